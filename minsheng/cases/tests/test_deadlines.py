import datetime as dt

import pytest
import time_machine

from minsheng.cases import rules as R
from minsheng.cases import services
from minsheng.cases.models import CaseRules


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0)).astimezone(), tick=False)


def test_assigned_on_2025_09_28_the_answer_is_due_three_months_later():
    rules = R.rules_for(None)
    assert R.answer_due(dt.date(2025, 9, 28), rules, hard=False, round=1) == dt.date(2025, 12, 28)
    assert R.answer_due(dt.date(2025, 9, 28), rules, hard=True, round=1) == dt.date(2026, 3, 28)
    assert R.answer_due(dt.date(2025, 9, 28), rules, hard=False, round=2) == dt.date(2025, 10, 28)


def test_month_ends_are_clamped():
    assert R.add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert R.add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)


@pytest.mark.django_db
def test_the_five_working_day_clock_runs_across_national_day_2025_with_its_working_weekends():
    rules = R.rules_for(None)
    # Filed Friday 2025-09-26: Sunday 09-28 is worked, 10-01..10-08 off, Saturday 10-11 worked
    assert R.assign_due(dt.date(2025, 9, 26), rules) == dt.date(2025, 10, 10)
    # Filed 2025-09-30: 10-09 (Thu), 10-10, 10-11 (Sat, worked), 10-13, 10-14
    assert R.assign_due(dt.date(2025, 9, 30), rules) == dt.date(2025, 10, 14)


@pytest.mark.django_db
def test_the_five_working_day_clock_runs_across_the_2026_spring_festival():
    rules = R.rules_for(None)
    # Filed Thursday 2026-02-12: 02-13, 02-14 (Sat, worked), then 02-15..02-23 off, 02-24, 02-25, 02-26
    assert R.assign_due(dt.date(2026, 2, 12), rules) == dt.date(2026, 2, 26)


@pytest.mark.django_db
def test_filing_on_2025_09_28_sets_the_assign_clock_and_assigning_sets_the_answer_due(
    wish, deputy_user, station_staff, haiyan_staff, haiyan_government
):
    with at(dt.date(2025, 9, 28)):
        services.case_verify(
            actor=station_staff,
            case_id=wish.pk,
            visited_on=dt.date(2025, 9, 27),
            visitors="站长",
            findings="属实",
            confirmed=True,
        )
        services.case_file(actor=deputy_user, case_id=wish.pk)
        services.case_accept(actor=haiyan_staff, case_id=wish.pk)
        case = services.case_assign(actor=haiyan_staff, case_id=wish.pk, lead=haiyan_government)
    # 09-29, 09-30, (holiday 10-01..10-08), 10-09, 10-10, and Saturday 10-11, a 调休 working day
    assert case.assign_due == dt.date(2025, 10, 11)
    assert case.answer_due == dt.date(2025, 12, 28)
    assignment = case.assignments.get()
    assert assignment.reassign_request_due == dt.date(2025, 10, 14)


@pytest.mark.django_db
def test_a_congress_sets_its_own_answer_months(
    wish, deputy_user, station_staff, haiyan_staff, haiyan_government, haiyan_congress
):
    CaseRules.objects.create(congress=haiyan_congress, answer_months=2)
    with at(dt.date(2025, 9, 28)):
        services.case_verify(
            actor=station_staff,
            case_id=wish.pk,
            visited_on=dt.date(2025, 9, 27),
            visitors="站长",
            findings="属实",
            confirmed=True,
        )
        services.case_file(actor=deputy_user, case_id=wish.pk)
        services.case_accept(actor=haiyan_staff, case_id=wish.pk)
        case = services.case_assign(actor=haiyan_staff, case_id=wish.pk, lead=haiyan_government)
    assert case.answer_due == dt.date(2025, 11, 28)
