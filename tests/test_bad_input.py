"""Bad input is refused everywhere (issue 8, part 3): free text longer than its field's limit and dates that make
no sense, by the page, the API, the service and (for text) the database; and Django's own messages in plain
Chinese."""

import datetime as dt
import gettext
import os

import pytest
import rest_framework
from django.apps import apps
from django.conf import locale as django_locale
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import translation

from minsheng.activities import services as reception_services
from minsheng.activities.models import Reception
from minsheng.cases import services as case_services
from minsheng.cases.models import Case
from minsheng.common import clock, django_messages
from minsheng.common import validators as checks
from minsheng.common.crypto import EncryptedCharField, ciphertext_length
from minsheng.common.errors import DomainError
from minsheng.deputies.models import Seat
from minsheng.deputies.tests.conftest import api  # noqa: F401 - the JSON client fixture

HUGE = "长" * 200_000
ANCIENT = "1900-01-01T09:30"


def project_models():
    return [m for m in apps.get_models() if m._meta.app_config.name.startswith("minsheng.")]


def length_checks(model) -> dict[str, int]:
    """The fields whose length the database checks, with the limit: `validators.length_constraint`'s shape."""
    found = {}
    for constraint in model._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if isinstance(condition, LessThanOrEqual) and isinstance(condition.lhs, Length):
            (source,) = condition.lhs.get_source_expressions()
            found[source.name] = condition.rhs
    return found


def test_every_text_field_has_a_maximum_length_that_the_database_checks_too():
    missing = []
    for model in project_models():
        checked = length_checks(model)
        for field in model._meta.local_fields:
            if not isinstance(field, models.TextField):
                continue
            name = f"{model._meta.label}.{field.name}"
            if not field.max_length:
                missing.append(f"{name}: no max_length")
                continue
            # The database sees the ciphertext of an encrypted field: it checks the longest ciphertext.
            encrypted = isinstance(field, EncryptedCharField)
            expected = ciphertext_length(field.max_length) if encrypted else field.max_length
            if checked.get(field.name) != expected:
                helper = "encrypted_length_constraint" if encrypted else "length_constraint"
                missing.append(f"{name}: no validators.{helper}({field.name!r}, {field.max_length})")
    assert not missing, "\n".join(missing)


# Dates the application sets from the clock (or derives): nobody types them. Every other date field checks
# its sense with validators.validate_past_date or validate_planned_date.
SET_BY_THE_APPLICATION = {
    "accounts.User.last_login",  # Django's
    "accounts.User.date_joined",
    "accounts.DonorProfile.reviewed_at",
    *(
        f"cases.Case.{f}"
        for f in [
            "verified_at",
            "filed_at",
            "assign_due",
            "assigned_at",
            "answer_due",
            "answered_at",
            "closed_at",
            "publish_due",
            "rating_due",
            "published_at",
            "on_wall_at",
            "realised_at",
        ]
    ),
    "cases.Assignment.answer_due",
    "cases.Assignment.opinion_due",
    "cases.Assignment.reassign_request_due",
    "cases.Assignment.acknowledged_at",
    "cases.Assignment.opinion_at",
    "cases.ReassignmentRequest.decided_at",
    "cases.Answer.answered_at",
    "cases.Claim.delivered_at",
    "cases.Claim.confirmed_at",
    "cases.ReminderLog.due_date",
    "cases.RatingReminderLog.due_date",
    "cases.Cosigner.responded_at",
    "cases.ExtensionRequest.previous_due",  # copied from the assignment
    "cases.ExtensionRequest.decided_at",
    "insights.CaseStatsRefresh.as_of",
    "insights.CaseStatsRefresh.overdue_day",
    "insights.CaseStatsRefresh.full_at",
    "insights.DutySummaryRefresh.as_of",  # the worker's clock
    "insights.DutySummaryRefresh.full_at",
    "insights.PointsScheme.standings_at",  # when the league's ranks were last written
    "insights.DutyAward.withdrawn_at",  # the clock, when staff withdraw an award
    "activities.Participation.checked_in_at",  # the clock of the sign-in
    "activities.Reception.archived_at",
    "activities.ReceptionMatter.answer_due",  # working days from the reception
    "insights.DutySummary.refreshed_at",
    "insights.PointsScheme.superseded_at",
    "insights.PointsScheme.computed_at",
    "insights.PointsBulletin.until",  # the quarter's end
    "insights.PointsBulletin.published_at",
    "insights.PointsBulletin.contest_until",
    "insights.PointsContest.created_at",
    "insights.PointsContest.decided_at",
    "insights.PointsAdjustment.created_at",
    "insights.CampaignSummary.as_of",
    "deputies.Deputy.birth_date",  # read from the ID number, which is checked (common/idcard.py)
    "imports.ImportJob.started_at",
    "imports.ImportJob.finished_at",
    "notifications.Notification.read_at",
    "common.JobRun.day",
    "projects.MilestoneReminder.due_on",
    "voting.VoteSession.opened_at",
    "voting.VoteSession.closed_at",
    "voting.VoteSession.published_at",
    "voting.Elector.checked_in_at",
}
SENSE_CHECKS = {checks.validate_past_date, checks.validate_planned_date}


def test_every_date_a_user_enters_is_checked_against_sense():
    unchecked = []
    for model in project_models():
        for field in model._meta.local_fields:
            if not isinstance(field, models.DateField) or field.auto_now or field.auto_now_add:
                continue
            name = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            if name in SET_BY_THE_APPLICATION or not field.editable:
                continue
            if not SENSE_CHECKS & set(field.validators):
                unchecked.append(name)
    assert not unchecked, (
        "Give these validators=[validators.validate_past_date] (something that happened) or "
        "validate_planned_date (a deadline, a due date), or name them in SET_BY_THE_APPLICATION:\n"
        + "\n".join(unchecked)
    )


# --- a 200,000-character case content ---------------------------------------------------------------------


def suggestion_page_data(deputy, congress, place) -> dict:
    seat = Seat.objects.get(deputy=deputy, congress=congress, status=Seat.Status.ACTIVE)
    return {"kind": "suggestion", "seat": seat.pk, "title": "路灯", "content": HUGE, "place": place.pk}


def test_a_200000_character_case_content_is_refused_by_the_page_in_plain_chinese(
    client, deputy_user, haiyan_congress, station
):
    client.force_login(deputy_user)
    data = suggestion_page_data(deputy_user.deputy, haiyan_congress, station.place)
    with translation.override("zh-hans"):
        response = client.post(f"{reverse('cases:create')}?kind=suggestion", data)
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "最多5000个字，现在是200000个字。" in html
    assert "确保该变量" not in html
    assert 'maxlength="5000"' in client.get(f"{reverse('cases:create')}?kind=suggestion").content.decode()
    assert not Case.objects.exists()


def test_a_200000_character_case_content_is_refused_by_the_api(api, deputy_user, haiyan_congress, station):  # noqa: F811
    body = {
        "kind": "suggestion",
        "title": "路灯",
        "content": HUGE,
        "congress": haiyan_congress.pk,
        "place": station.place_id,
    }
    with translation.override("zh-hans"):
        response = api.login(deputy_user).post("/api/v1/cases/", body)
    assert response.status_code == 400
    assert "最多5000个字" in str(response.json())
    assert not Case.objects.exists()


def test_a_200000_character_case_content_is_refused_by_the_service(deputy_user, haiyan_congress, station):
    with pytest.raises(DomainError) as refused:
        case_services.case_create(
            actor=deputy_user,
            kind="suggestion",
            title="路灯",
            content=HUGE,
            congress=haiyan_congress,
            lead_deputy=deputy_user.deputy,
            place=station.place,
        )
    assert refused.value.field == "content" and refused.value.code == "max_length"
    assert not Case.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_200000_character_case_content_is_refused_by_the_database(deputy_user, haiyan_congress, station):
    case = case_services.case_create(
        actor=deputy_user,
        kind="suggestion",
        title="路灯",
        content="五丰村路口夜间无照明。",
        congress=haiyan_congress,
        lead_deputy=deputy_user.deputy,
        place=station.place,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(content=HUGE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(content="长" * 5001)
    Case.objects.filter(pk=case.pk).update(content="长" * 5000)  # the limit itself is allowed
    assert len(Case.objects.get(pk=case.pk).content) == 5000


# --- a reception dated 1900-01-01 -------------------------------------------------------------------------


def test_a_reception_dated_1900_is_refused_by_the_page(client, station_staff, station, town_deputy):
    client.force_login(station_staff)
    with translation.override("zh-hans"):
        response = client.post(
            reverse("activities:reception_new", args=[station.pk]),
            {
                "received_at": ANCIENT,
                "deputies": [town_deputy.pk],
                "visitor_count": "1",
                "matter": "村道坑洼。",
                "category": "transport",
                "outcome": "answered",
            },
        )
    assert response.status_code == 400
    assert "日期不能早于2000年1月1日" in response.content.decode()
    assert not Reception.objects.exists()


def test_a_reception_dated_1900_or_tomorrow_is_refused_by_the_api(api, station_staff, station, town_deputy):  # noqa: F811
    body = {
        "station": station.pk,
        "deputies": [town_deputy.pk],
        "matter": "村道坑洼。",
        "category": "transport",
        "outcome": "answered",
    }
    api.login(station_staff)
    with translation.override("zh-hans"):
        ancient = api.post("/api/v1/receptions/", {**body, "received_at": "1900-01-01T09:30:00+08:00"})
        tomorrow = clock.now() + dt.timedelta(days=1)
        future = api.post("/api/v1/receptions/", {**body, "received_at": tomorrow.isoformat()})
    assert ancient.status_code == 400 and "日期不能早于2000年1月1日" in str(ancient.json())
    assert future.status_code == 400 and "received_at" in str(future.json())
    assert not Reception.objects.exists()


def test_a_reception_dated_1900_is_refused_by_the_service(station_staff, station, town_deputy):
    with pytest.raises(DomainError) as refused:
        reception_services.reception_record(
            actor=station_staff,
            station_id=station.pk,
            received_at=dt.datetime(1900, 1, 1, 9, 30, tzinfo=dt.UTC),
            deputies=[town_deputy],
            matter="村道坑洼。",
            category="transport",
            outcome="answered",
        )
    assert (refused.value.field, refused.value.code) == ("received_at", "date_too_early")
    assert not Reception.objects.exists()


def test_a_reception_matter_too_long_is_refused_by_the_service_and_the_database(
    station_staff, station, town_deputy
):
    with pytest.raises(DomainError) as refused:
        reception_services.reception_record(
            actor=station_staff,
            station_id=station.pk,
            received_at=clock.now(),
            deputies=[town_deputy],
            matter=HUGE,
            category="transport",
            outcome="answered",
        )
    assert (refused.value.field, refused.value.code) == ("matter", "max_length")
    reception = reception_services.reception_record(
        actor=station_staff,
        station_id=station.pk,
        received_at=clock.now(),
        deputies=[town_deputy],
        matter="村道坑洼。",
        category="transport",
        outcome="answered",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Reception.objects.filter(pk=reception.pk).update(outcome_note="长" * 2001)


# --- Django's messages, reworded ----------------------------------------------------------------------------


def catalogue(path: str) -> dict:
    with open(path, "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


def test_the_reworded_msgids_are_still_those_django_and_drf_use():
    django_zh = catalogue(
        os.path.join(os.path.dirname(django_locale.__file__), "zh_Hans/LC_MESSAGES/django.mo")
    )
    drf_zh = catalogue(
        os.path.join(os.path.dirname(rest_framework.__file__), "locale/zh_Hans/LC_MESSAGES/django.mo")
    )
    assert [m for m in django_messages.DJANGO if m not in django_zh] == []
    assert [m for m in django_messages.REST_FRAMEWORK if m not in drf_zh] == []


def test_our_catalogue_takes_precedence_over_djangos():
    from django import forms

    class Form(forms.Form):
        note = forms.CharField(max_length=10)
        count = forms.IntegerField(min_value=1)
        day = forms.DateField()

    with translation.override("zh-hans"):
        form = Form({"note": "长" * 12, "count": "0", "day": "昨天"})
        assert not form.is_valid()
        assert form.errors["note"] == ["最多10个字，现在是12个字。"]
        assert form.errors["count"] == ["不能小于1。"]
        assert form.errors["day"] == ["请填写正确的日期，例如 2025-03-18。"]
