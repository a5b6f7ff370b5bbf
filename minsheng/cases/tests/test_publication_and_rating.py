"""Publication within 20 working days of the answer (rated or not), the deputy's month to rate it, the
reminders at T−7 and on the day, and 未反馈: staff close a case the deputy did not rate by the deadline
(代表法 2025). The clock is frozen on the answer day, T−7, T (the rating deadline) and T+1."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from minsheng.cases import services
from minsheng.cases.models import Case, CaseRules, RatingReminderLog
from minsheng.cases.rating_reminders import rating_reminders_send
from minsheng.common.errors import PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord
from minsheng.notifications.models import Notification

ANSWERED_ON = dt.date(2026, 3, 2)  # a Monday
PUBLISH_DUE = dt.date(2026, 3, 30)  # 20 working days later (no holiday in March 2026)
RATING_DUE = dt.date(2026, 4, 2)  # one month after the answer: T
T_MINUS_7 = RATING_DUE - dt.timedelta(days=7)
T_PLUS_1 = RATING_DUE + dt.timedelta(days=1)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0)).astimezone(), tick=False)


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched in English here (zh-hans is the default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def verbs(case: Case) -> list[str]:
    return list(
        AuditRecord.objects.filter(target_id=str(case.pk)).order_by("id").values_list("verb", flat=True)
    )


@pytest.fixture
def zeng(city_deputy):
    """曾丽, a city deputy who co-signs 陈海's wish, with her account."""
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy)


@pytest.fixture
def answered(wish, deputy_user, station_staff, haiyan_staff, haiyan_government, haiyan_handler, zeng):
    """陈海's wish, co-signed by 曾丽, assigned on 2026-02-02 and answered (class A) on 2026-03-02."""
    with at(dt.date(2026, 2, 2)):
        services.case_verify(
            actor=station_staff,
            case_id=wish.pk,
            visited_on=dt.date(2026, 2, 2),
            visitors="站长",
            findings="属实",
            confirmed=True,
        )
        services.case_file(actor=deputy_user, case_id=wish.pk, cosigners=[zeng.deputy])
        services.cosign_respond(actor=zeng, case_id=wish.pk, confirm=True)  # 联名: 曾丽 confirms
        services.case_accept(actor=haiyan_staff, case_id=wish.pk)
        services.case_assign(actor=haiyan_staff, case_id=wish.pk, lead=haiyan_government)
    part = wish.assignments.get()
    with at(ANSWERED_ON):
        services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)
        services.answer_submit(
            actor=haiyan_handler, assignment_id=part.pk, answer_class="A", text="已解决", signed_by="李镇长"
        )
    return Case.objects.get(pk=wish.pk)


# --- the deadlines are counted from the answer ---------------------------------------------------------------


def test_the_answer_sets_the_publication_and_rating_deadlines_and_records_them(answered):
    assert answered.status == Case.Status.ANSWERED
    assert answered.publish_due == PUBLISH_DUE
    assert answered.rating_due == RATING_DUE
    record = AuditRecord.objects.filter(verb="case.answered", target_id=str(answered.pk)).get()
    assert record.data["publish_due"] == "2026-03-30" and record.data["rating_due"] == "2026-04-02"


def test_closing_on_a_rating_keeps_the_publication_deadline_of_the_answer(answered, deputy_user):
    with at(dt.date(2026, 3, 20)):
        services.rating_submit(actor=deputy_user, case_id=answered.pk, value="satisfied")
    answered.refresh_from_db()
    assert answered.status == Case.Status.CLOSED
    assert answered.publish_due == PUBLISH_DUE  # not 20 working days from 03-20


def test_a_congress_may_give_its_deputies_more_months_to_rate(
    haiyan_congress, wish, deputy_user, station_staff, haiyan_staff, haiyan_government, haiyan_handler
):
    CaseRules.objects.create(congress=haiyan_congress, rating_months=2)
    with at(dt.date(2026, 2, 2)):
        services.case_verify(
            actor=station_staff, case_id=wish.pk, visited_on=dt.date(2026, 2, 2), visitors="站长",
            findings="属实", confirmed=True,
        )  # fmt: skip
        services.case_file(actor=deputy_user, case_id=wish.pk)
        services.case_accept(actor=haiyan_staff, case_id=wish.pk)
        services.case_assign(actor=haiyan_staff, case_id=wish.pk, lead=haiyan_government)
    part = wish.assignments.get()
    with at(ANSWERED_ON):
        services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)
        services.answer_submit(
            actor=haiyan_handler, assignment_id=part.pk, answer_class="B", text="列入计划", signed_by="李镇长"
        )
    assert Case.objects.get(pk=wish.pk).rating_due == dt.date(2026, 5, 2)


# --- publication --------------------------------------------------------------------------------------------


def test_an_answered_case_the_deputy_has_not_rated_can_be_published(answered, haiyan_staff):
    with at(dt.date(2026, 3, 10)):
        case = services.case_publish(actor=haiyan_staff, case_id=answered.pk)
    assert case.published_at is not None and case.status == Case.Status.ANSWERED
    assert verbs(answered)[-1] == "case.published"
    with pytest.raises(TransitionNotAllowed):
        services.case_publish(actor=haiyan_staff, case_id=answered.pk)


def test_an_answer_the_deputy_is_dissatisfied_with_is_not_published_while_it_is_handled_again(
    answered, deputy_user, haiyan_staff
):
    with at(dt.date(2026, 3, 10)):
        services.rating_submit(actor=deputy_user, case_id=answered.pk, value="dissatisfied", comment="未解决")
        before = AuditRecord.objects.count()
        with pytest.raises(TransitionNotAllowed, match="answered or closed"):
            services.case_publish(actor=haiyan_staff, case_id=answered.pk)
    assert AuditRecord.objects.count() == before
    assert Case.objects.get(pk=answered.pk).published_at is None


def test_the_publication_queue_holds_answered_and_closed_cases_not_yet_published(answered, haiyan_staff):
    from minsheng.cases.selectors import case_list_for

    with at(dt.date(2026, 3, 10)):
        assert list(case_list_for(haiyan_staff, queue="to_publish")) == [answered]
        services.case_publish(actor=haiyan_staff, case_id=answered.pk)
        assert list(case_list_for(haiyan_staff, queue="to_publish")) == []


# --- 未反馈 ---------------------------------------------------------------------------------------------------


def test_staff_cannot_close_a_case_as_not_rated_before_or_on_the_deadline(answered, haiyan_staff):
    for day in (T_MINUS_7, RATING_DUE):
        with at(day), pytest.raises(TransitionNotAllowed, match="until 2026-04-02"):
            services.case_close_unrated(actor=haiyan_staff, case_id=answered.pk)
    case = Case.objects.get(pk=answered.pk)
    assert case.status == Case.Status.ANSWERED and not case.closed_unrated
    assert "case.closed_unrated" not in verbs(case)


def test_after_the_deadline_staff_close_the_case_as_not_rated_and_the_deputy_can_no_longer_rate(
    answered, haiyan_staff, deputy_user
):
    with at(T_PLUS_1):
        services.case_close_unrated(actor=haiyan_staff, case_id=answered.pk, note="代表逾期未反馈意见")
        case = Case.objects.get(pk=answered.pk)
        assert case.status == Case.Status.CLOSED and case.closed_unrated
        assert case.status_note == "代表逾期未反馈意见"
        assert case.publish_due == PUBLISH_DUE
        assert verbs(case)[-2:] == ["case.closed", "case.closed_unrated"]
        record = AuditRecord.objects.get(verb="case.closed_unrated")
        assert record.actor == haiyan_staff and record.data == {"rating_due": "2026-04-02"}
        with pytest.raises(TransitionNotAllowed):
            services.rating_submit(actor=deputy_user, case_id=answered.pk, value="satisfied")
        # a closed case can still be published
        assert services.case_publish(actor=haiyan_staff, case_id=answered.pk).published_at is not None


def test_a_case_the_deputy_has_rated_is_not_closed_as_not_rated(answered, haiyan_staff, deputy_user):
    with at(RATING_DUE):
        services.rating_submit(actor=deputy_user, case_id=answered.pk, value="dissatisfied", comment="未落实")
    with at(T_PLUS_1), pytest.raises(TransitionNotAllowed, match="has rated"):
        services.case_close_unrated(actor=haiyan_staff, case_id=answered.pk)
    assert not Case.objects.get(pk=answered.pk).closed_unrated


def test_only_the_congress_staff_close_a_case_as_not_rated(
    answered, deputy_user, haiyan_handler, kaiping_staff
):
    with at(T_PLUS_1):
        for actor in (deputy_user, haiyan_handler, kaiping_staff):
            with pytest.raises(PermissionDenied):
                services.case_close_unrated(actor=actor, case_id=answered.pk)
    assert Case.objects.get(pk=answered.pk).status == Case.Status.ANSWERED


# --- reminders ----------------------------------------------------------------------------------------------


def _last_notification_id() -> int:
    return Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_the_deputies_are_reminded_seven_days_before_and_on_the_day_each_once(answered, deputy_user, zeng):
    before = _last_notification_id()  # accepted, assigned, answered: told already (cases/notices.py)
    for day, expected in [
        (T_MINUS_7 - dt.timedelta(days=1), 0),
        (T_MINUS_7, 1),
        (T_MINUS_7, 0),  # the job, retried: nothing twice
        (RATING_DUE - dt.timedelta(days=1), 0),
        (RATING_DUE, 1),
        (RATING_DUE, 0),
        (T_PLUS_1, 0),  # afterwards: staff close it as 未反馈, no "overdue" reminder
    ]:
        with at(day):
            assert rating_reminders_send() == expected, day
    assert sorted(RatingReminderLog.objects.values_list("kind", flat=True)) == ["due_soon", "due_today"]
    for user in (deputy_user, zeng):
        reminders = Notification.objects.filter(user=user, pk__gt=before).order_by("id")
        texts = list(reminders.values_list("text", flat=True))
        assert len(texts) == 2 and all(answered.number in t for t in texts)
        assert "2026-04-02" in texts[0] and "7" in texts[0]


def test_a_co_signer_who_has_rated_is_not_reminded_and_a_closed_case_not_at_all(answered, deputy_user, zeng):
    before = _last_notification_id()
    with at(T_MINUS_7 - dt.timedelta(days=2)):
        services.rating_submit(actor=zeng, case_id=answered.pk, value="mostly")
    with at(T_MINUS_7):
        assert rating_reminders_send() == 1
    assert Notification.objects.filter(user=deputy_user, pk__gt=before).count() == 1
    assert Notification.objects.filter(user=zeng, pk__gt=before).count() == 0
    with at(RATING_DUE - dt.timedelta(days=1)):
        services.rating_submit(actor=deputy_user, case_id=answered.pk, value="satisfied")
    with at(RATING_DUE):
        assert rating_reminders_send() == 0


def test_a_reminder_job_that_dies_half_way_sends_the_rest_when_retried_and_nothing_twice(
    answered, deputy_user, monkeypatch
):
    from minsheng.cases import rating_reminders

    Case.objects.filter(pk=answered.pk).update(rating_due=RATING_DUE)
    original = rating_reminders._send_one
    calls = []

    def dying(case, kind):
        calls.append(case.pk)
        if len(calls) == 1:
            return original(case, kind)
        raise RuntimeError("the worker was killed")

    second = Case.objects.get(pk=answered.pk)
    second.pk, second.number = None, "2026W9999999"
    second.save()
    monkeypatch.setattr(rating_reminders, "_send_one", dying)
    with at(T_MINUS_7), pytest.raises(RuntimeError):
        rating_reminders.rating_reminders_send()
    monkeypatch.setattr(rating_reminders, "_send_one", original)
    assert RatingReminderLog.objects.count() == 1
    with at(T_MINUS_7):
        assert rating_reminders.rating_reminders_send() == 1  # the other case only
    assert RatingReminderLog.objects.count() == 2


def test_the_rating_reminders_are_a_daily_job_of_the_scheduler(answered, settings):
    from minsheng.cases.tasks import send_rating_reminders

    assert ("minsheng.cases.tasks.send_rating_reminders", 8) in settings.MINSHENG["PERIODIC_TASKS"]
    with at(T_MINUS_7):
        assert send_rating_reminders.call() == 1


# --- pages and API ------------------------------------------------------------------------------------------


def _offered(client, case) -> set[str]:
    response = client.get(reverse("cases:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return {act.name for act in response.context["actions"]}


def test_the_case_page_offers_staff_the_not_rated_button_only_after_the_deadline(
    answered, client, haiyan_staff
):
    client.force_login(haiyan_staff)
    with at(RATING_DUE):
        offered = _offered(client, answered)
        assert "close_unrated" not in offered and "publish" in offered
        refused = client.post(reverse("cases:close_unrated", args=[answered.pk]), {"note": ""})
        assert refused.status_code == 409
    with at(T_PLUS_1):
        assert "close_unrated" in _offered(client, answered)
        response = client.post(reverse("cases:close_unrated", args=[answered.pk]), {"note": ""})
        assert response.status_code == 302
        page = client.get(reverse("cases:detail", args=[answered.pk]), HTTP_ACCEPT_LANGUAGE="en")
        assert b'data-testid="unrated"' in page.content
        assert "close_unrated" not in {act.name for act in page.context["actions"]}
    assert Case.objects.get(pk=answered.pk).closed_unrated


def test_the_deputy_sees_no_not_rated_button_and_may_not_post_it(answered, client, deputy_user):
    client.force_login(deputy_user)
    with at(T_PLUS_1):
        assert "close_unrated" not in _offered(client, answered)
        assert client.post(reverse("cases:close_unrated", args=[answered.pk]), {}).status_code == 403
    assert not Case.objects.get(pk=answered.pk).closed_unrated


def test_the_staff_queue_lists_the_cases_past_their_rating_deadline_and_marks_those_closed_unrated(
    answered, client, haiyan_staff
):
    client.force_login(haiyan_staff)
    url = reverse("cases:list")
    with at(RATING_DUE):
        response = client.get(url, {"queue": "rating_overdue"})
        assert list(response.context["page_obj"]) == []
    with at(T_PLUS_1):
        response = client.get(url, {"queue": "rating_overdue"})
        assert [c.pk for c in response.context["page_obj"]] == [answered.pk]
        assert {q: n for q, _label, n in response.context["queues"]}["rating_overdue"] == 1
        services.case_close_unrated(actor=haiyan_staff, case_id=answered.pk)
        listed = client.get(url).content.decode()
    assert 'data-testid="unrated"' in listed


def test_the_api_gives_the_rating_deadline_the_action_and_the_mark(answered, client, haiyan_staff):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(haiyan_staff)
    detail = f"/api/v1/cases/{answered.pk}/"
    with at(RATING_DUE):
        body = api.get(detail).json()
        assert body["deadlines"]["rating_due"] == "2026-04-02"
        assert body["deadlines"]["rating_overdue"] is False
        assert "close-unrated" not in body["allowed_actions"] and "publish" in body["allowed_actions"]
        assert api.post(f"{detail}close-unrated/", {}, format="json").status_code == 409
    with at(T_PLUS_1):
        body = api.get(detail).json()
        assert body["deadlines"]["rating_overdue"] is True and "close-unrated" in body["allowed_actions"]
        response = api.post(f"{detail}close-unrated/", {"note": "逾期未反馈"}, format="json")
        assert response.status_code == 200
        assert response.json()["closed_unrated"] is True and response.json()["status"] == "closed"
        rows = api.get("/api/v1/cases/").json()["results"]
    assert [r["closed_unrated"] for r in rows if r["id"] == answered.pk] == [True]


def test_an_answer_published_before_the_deputy_rates_it_is_on_the_public_pages(
    answered, client, haiyan_staff
):
    with at(dt.date(2026, 3, 10)):
        services.case_publish(actor=haiyan_staff, case_id=answered.pk)
        listing = client.get(reverse("cases:answers"))
        page = client.get(reverse("cases:answer_public", args=[answered.pk]))
        api = client.get(f"/api/v1/answers/{answered.pk}/")
    assert [row["pk"] for row in listing.context["rows"]] == [answered.pk]
    assert page.status_code == 200 and "已解决" in page.content.decode()
    assert api.status_code == 200 and api.json()["closed_at"] is None
