"""Cases under the working-day calendar: a deadline counted on a provisional year is marked, and recomputed (with
its audit record and a notice to the staff) when the office enters the year's official schedule."""

import datetime as dt

import pytest
import time_machine

from minsheng.cases import services
from minsheng.cases.models import Case
from minsheng.common import workdays
from minsheng.common.models import AuditRecord
from minsheng.common.services import calendar_year_enter
from minsheng.common.tests.test_workdays import NOTICE_2027
from minsheng.notifications.models import Notification

pytestmark = pytest.mark.django_db


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0)).astimezone(), tick=False)


def file_suggestion(deputy_user, congress, place) -> Case:
    case = services.case_create(
        actor=deputy_user,
        kind=Case.Kind.SUGGESTION,
        title="关于完善农村公交线路的建议",
        content="建议增加镇到县城的公交班次。",
        congress=congress,
        lead_deputy=deputy_user.deputy,
        place=place,
    )
    return services.case_file(actor=deputy_user, case_id=case.pk)


def test_entering_2027_recomputes_a_provisional_deadline_and_records_it(
    deputy_user, haiyan_congress, haiyan_staff, station, admin_user, django_capture_on_commit_callbacks
):
    with at(dt.date(2027, 2, 1)):
        case = file_suggestion(deputy_user, haiyan_congress, station.place)
        # provisional: 02-02, 02-03, 02-04, (除夕 02-05 and 02-08..02-10 off by rule), 02-11, 02-12
        assert case.assign_due == dt.date(2027, 2, 12) and case.assign_due_provisional
        with django_capture_on_commit_callbacks(execute=True):
            calendar_year_enter(
                actor=admin_user,
                year=2027,
                days=workdays.parse_notice(NOTICE_2027, 2027),
                notice_number="国办发明电〔2026〕9号",
                notice_date=dt.date(2026, 11, 4),
            )
    case.refresh_from_db()
    # official (the tests' 2027): 02-02..02-05 (4), 02-06..02-14 off, 02-15 (5)
    assert case.assign_due == dt.date(2027, 2, 15) and not case.assign_due_provisional
    record = AuditRecord.objects.get(verb="case.deadline_recomputed", target_id=str(case.pk))
    assert (record.data["field"], record.data["old"], record.data["new"]) == (
        "assign_due",
        "2027-02-12",
        "2027-02-15",
    )
    assert Notification.objects.filter(user=haiyan_staff, text__contains=case.number).exists()
    summary = AuditRecord.objects.get(verb="calendar.deadlines_recomputed")
    assert summary.data["result"]["cases"] == {"checked": 1, "changed": 1, "confirmed": 0}


def test_a_deadline_inside_an_official_year_is_not_touched(
    deputy_user, haiyan_congress, station, admin_user, django_capture_on_commit_callbacks
):
    with at(dt.date(2026, 6, 1)):
        case = file_suggestion(deputy_user, haiyan_congress, station.place)
    assert not case.assign_due_provisional
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_enter(actor=admin_user, year=2027, days=workdays.parse_notice(NOTICE_2027, 2027))
    assert not AuditRecord.objects.filter(verb="case.deadline_recomputed").exists()


@pytest.mark.parametrize("day", [dt.date(2026, 12, 10), dt.date(2026, 12, 28), dt.date(2027, 3, 1)])
def test_the_suggestion_story_holds_on_days_whose_deadlines_reach_into_a_provisional_year(
    day, deputy_user, haiyan_congress, haiyan_staff, haiyan_government, haiyan_handler, station
):
    from minsheng.cases.models import Assignment, Rating

    with at(day):
        case = file_suggestion(deputy_user, haiyan_congress, station.place)
        assert case.assign_due > day and case.assign_due_provisional == (case.assign_due.year >= 2027)
        services.case_accept(actor=haiyan_staff, case_id=case.pk)
        services.case_assign(actor=haiyan_staff, case_id=case.pk, lead=haiyan_government)
        assignment = Assignment.objects.get(case=case)
        assert assignment.reassign_request_due_provisional == (assignment.reassign_request_due.year >= 2027)
        services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
        services.answer_submit(
            actor=haiyan_handler,
            assignment_id=assignment.pk,
            answer_class="A",
            text="已增加班次。",
            signed_by="李镇长",
        )
        services.rating_submit(actor=deputy_user, case_id=case.pk, value=Rating.Value.SATISFIED)
        case.refresh_from_db()
        assert case.status == Case.Status.CLOSED
        assert case.publish_due > day and case.publish_due_provisional  # 20 working days reach 2027
        services.case_publish(actor=haiyan_staff, case_id=case.pk)
        case.refresh_from_db()
        assert case.published_at is not None
