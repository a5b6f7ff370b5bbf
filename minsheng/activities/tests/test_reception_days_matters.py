"""Reception days (接待日) and the matters of a reception followed to an answer (issue 11): the services, the
notice-days setting, answer dates across a year end and in a year without a holiday schedule, bad input."""

import datetime as dt

import pytest
import time_machine

from minsheng.activities import selectors, services
from minsheng.activities.models import Reception, ReceptionDay, ReceptionMatter
from minsheng.cases.models import Case
from minsheng.cases.origins import origins_for
from minsheng.common import clock
from minsheng.common.errors import DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord

from .conftest import VISITOR_NAME


def at(*args):
    return time_machine.travel(dt.datetime(*args).astimezone(), tick=False)


@pytest.fixture
def day_in_a_week(station, station_staff, town_deputy):
    return services.reception_day_schedule(
        actor=station_staff,
        station_id=station.pk,
        day=clock.today() + dt.timedelta(days=7),
        starts_at=dt.time(9),
        ends_at=dt.time(11, 30),
        deputies=[town_deputy],
        note="集中接待",
    )


def _matters(unit):
    return [
        {
            "text": "村道路灯坏了。",
            "category": "urban_rural",
            "disposal": "town",
            "referred_to_name": "海宴镇政府",
        },
        {"text": "医保报销咨询。", "category": "health", "disposal": "answered", "note": "当场解释了政策"},
        {"text": "河道垃圾。", "category": "environment", "disposal": "higher", "referred_to": unit},
    ]


def test_schedule_change_cancel_a_day_and_the_audit(day_in_a_week, station_staff, town_deputy, city_deputy):
    assert list(day_in_a_week.deputies.all()) == [town_deputy]
    assert AuditRecord.objects.filter(
        verb="reception_day.scheduled", target_id=str(day_in_a_week.pk)
    ).exists()
    services.reception_day_change(actor=station_staff, day_id=day_in_a_week.pk, ends_at=dt.time(12))
    day = ReceptionDay.objects.get(pk=day_in_a_week.pk)
    assert day.ends_at == dt.time(12)
    with pytest.raises(DomainError) as exc:
        services.reception_day_change(actor=station_staff, day_id=day.pk, deputies=[city_deputy])
    assert exc.value.code == "not_attached"
    services.reception_day_cancel(actor=station_staff, day_id=day.pk)
    assert ReceptionDay.objects.get(pk=day.pk).is_cancelled
    with pytest.raises(TransitionNotAllowed):
        services.reception_day_cancel(actor=station_staff, day_id=day.pk)


def test_a_deputy_may_not_schedule_days(station, deputy_user, town_deputy):
    with pytest.raises(PermissionDenied):
        services.reception_day_schedule(
            actor=deputy_user,
            station_id=station.pk,
            day=clock.today() + dt.timedelta(days=7),
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            deputies=[town_deputy],
        )


@pytest.mark.parametrize(("ahead", "ok"), [(-1, False), (0, False), (2, False), (3, True), (10, True)])
def test_notice_days_setting(station, station_staff, town_deputy, ahead, ok):
    kwargs = {
        "actor": station_staff,
        "station_id": station.pk,
        "day": clock.today() + dt.timedelta(days=ahead),
        "starts_at": dt.time(9),
        "ends_at": dt.time(10),
        "deputies": [town_deputy],
    }
    if ok:
        assert services.reception_day_schedule(**kwargs).pk
    else:
        with pytest.raises(DomainError) as exc:
            services.reception_day_schedule(**kwargs)
        assert exc.value.code in ("past", "notice")
        assert not ReceptionDay.objects.exists()


def test_notice_days_follow_the_setting(settings, station, station_staff, town_deputy):
    settings.MINSHENG = {**settings.MINSHENG, "RECEPTION_DAY_NOTICE_DAYS": 10}
    with pytest.raises(DomainError) as exc:
        services.reception_day_schedule(
            actor=station_staff,
            station_id=station.pk,
            day=clock.today() + dt.timedelta(days=7),
            starts_at=dt.time(9),
            ends_at=dt.time(10),
            deputies=[town_deputy],
        )
    assert "10" in str(exc.value.message)


@pytest.mark.parametrize(
    ("starts", "ends", "field"), [(dt.time(10), dt.time(9), "ends_at"), (None, dt.time(9), "starts_at")]
)
def test_impossible_hours_are_refused(station, station_staff, town_deputy, starts, ends, field):
    with pytest.raises(DomainError) as exc:
        services.reception_day_schedule(
            actor=station_staff,
            station_id=station.pk,
            day=clock.today() + dt.timedelta(days=7),
            starts_at=starts,
            ends_at=ends,
            deputies=[town_deputy],
        )
    assert exc.value.field == field
    assert not ReceptionDay.objects.exists()


def test_a_reception_on_a_day_links_it_and_a_town_matter_is_followed_to_an_answer_before_archiving(
    day_in_a_week, station, station_staff, town_deputy, civil_affairs, civil_affairs_handler
):
    with at(*(day_in_a_week.day.timetuple()[:3]), 10):
        assert selectors.duty_deputy_ids(station, clock.today()) == [town_deputy.pk]
        reception = services.reception_record(
            actor=station_staff,
            station_id=station.pk,
            received_at=clock.now(),
            deputies=[town_deputy],
            contact_name=VISITOR_NAME,
            matters=_matters(civil_affairs),
        )
        assert reception.reception_day == day_in_a_week
        town, spot, higher = reception.matters.order_by("position")
        assert spot.status == "closed" and town.status == "open" and higher.status == "open"
        assert town.answer_due == services.matter_answer_due(clock.today())
        assert reception.archived_at is None
    with at(*(day_in_a_week.day + dt.timedelta(days=2)).timetuple()[:3], 10):
        services.matter_answer(
            actor=station_staff, matter_id=town.pk, answer="已修好", answered_on=clock.today()
        )
        services.matter_answer(  # the unit it was sent to answers its own
            actor=civil_affairs_handler, matter_id=higher.pk, answer="已清理", answered_on=clock.today()
        )
        services.matter_feedback(
            actor=station_staff, matter_id=town.pk, feedback_on=clock.today(), how="phone", note="满意"
        )
        assert Reception.objects.get(pk=reception.pk).archived_at is None
        services.matter_feedback(
            actor=station_staff, matter_id=higher.pk, feedback_on=clock.today(), how="sms"
        )
    reception = Reception.objects.get(pk=reception.pk)
    assert reception.archived_at is not None
    assert set(reception.matters.values_list("status", flat=True)) == {"closed"}
    assert AuditRecord.objects.filter(verb="reception.archived", target_id=str(reception.pk)).count() == 1


def test_a_matter_turned_into_a_wish_is_in_the_case_workflow_and_both_link(
    make_reception, station_staff, admin_user
):
    reception = make_reception(
        matters=[
            {
                "text": "独居老人家里需要安装扶手。",
                "category": "social_security",
                "disposal": "wish",
                "amount": "300",
                "case_category": "material",
                "beneficiary": {"name": VISITOR_NAME, "address": "海宴镇五丰村"},
            },
            {"text": "咨询低保政策。", "category": "social_security", "disposal": "answered"},
        ]
    )
    wish = reception.matters.get(position=1)
    case = wish.case
    assert case is not None and case.kind == Case.Kind.WISH and case.status == Case.Status.DRAFT
    assert wish.status == "closed"  # the case workflow follows it from here
    assert reception.archived_at is not None
    origins = origins_for(station_staff, case)
    assert [r.pk for r in origins[0].context["receptions"]] == [reception.pk]
    assert list(case.reception_matters.all()) == [wish]


def test_bad_input_is_refused_and_nothing_is_half_saved(
    make_reception, station_staff, civil_affairs, education_handler
):
    with pytest.raises(DomainError) as exc:
        make_reception(
            matters=[
                {"text": "甲", "category": "health", "disposal": "answered"},
                {"text": "乙", "category": "health", "disposal": "town"},  # sent where?
            ]
        )
    assert exc.value.field == "matters.2.referred_to"
    assert not Reception.objects.exists() and not ReceptionMatter.objects.exists()
    reception = make_reception(matters=_matters(civil_affairs))
    town = reception.matters.get(position=1)
    with pytest.raises(TransitionNotAllowed) as early:
        services.matter_feedback(
            actor=station_staff, matter_id=town.pk, feedback_on=clock.today(), how="phone"
        )
    assert early.value.code == "not_answered"
    with pytest.raises(DomainError):
        services.matter_answer(actor=station_staff, matter_id=town.pk, answer="", answered_on=clock.today())
    with pytest.raises(DomainError) as future:
        services.matter_answer(
            actor=station_staff,
            matter_id=town.pk,
            answer="好",
            answered_on=clock.today() + dt.timedelta(days=3),
        )
    assert future.value.code == "future"
    with pytest.raises(DomainError) as before:
        services.matter_answer(
            actor=station_staff, matter_id=town.pk, answer="好", answered_on=dt.date(2001, 1, 1)
        )
    assert before.value.code == "too_early"
    with pytest.raises(PermissionDenied):  # not the unit it was sent to
        services.matter_answer(
            actor=education_handler, matter_id=town.pk, answer="好", answered_on=clock.today()
        )
    services.matter_answer(actor=station_staff, matter_id=town.pk, answer="已办", answered_on=clock.today())
    services.matter_feedback(actor=station_staff, matter_id=town.pk, feedback_on=clock.today(), how="visit")
    with pytest.raises(TransitionNotAllowed) as closed:
        services.matter_answer(
            actor=station_staff, matter_id=town.pk, answer="再答", answered_on=clock.today()
        )
    assert closed.value.code == "not_open"
    assert ReceptionMatter.objects.get(pk=town.pk).answer == "已办"
    spot = reception.matters.get(position=2)
    with pytest.raises(TransitionNotAllowed):
        services.matter_answer(actor=station_staff, matter_id=spot.pk, answer="x", answered_on=clock.today())


def test_answer_due_across_a_year_end(make_reception, station_staff, civil_affairs):
    with at(2026, 12, 28, 10):
        reception = make_reception(received_at=clock.now(), matters=_matters(civil_affairs))
        town = reception.matters.get(position=1)
        assert town.answer_due.year == 2027
        assert town.answer_due == clock.working_deadline(dt.date(2026, 12, 28), 15).date
    with at(2027, 3, 1, 10):
        assert list(selectors.matters_overdue_for_station(reception.station, clock.today())) == [
            town,
            reception.matters.get(position=3),
        ]


def test_answer_due_in_a_year_without_a_holiday_schedule(db):
    due = services.matter_answer_due(dt.date(2031, 3, 3))  # a Monday; 2031 has no official schedule
    assert due == dt.date(2031, 3, 24)  # 15 weekdays on


def test_matters_overdue_for_station(make_reception, station, civil_affairs):
    reception = make_reception(matters=_matters(civil_affairs))
    today = clock.today()
    assert not selectors.matters_overdue_for_station(station, today).exists()
    late = today + dt.timedelta(days=60)
    assert set(selectors.matters_overdue_for_station(station.pk, late)) == {
        m for m in reception.matters.all() if m.disposal in ("town", "higher")
    }
