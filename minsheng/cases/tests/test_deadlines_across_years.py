"""The deadline rules of cases on the working-day calendar, past the years the library knows: a deadline that
counts days of a provisional year is marked provisional, and every rule computes for every start day to 2030
(moved from minsheng/common/tests/test_workdays.py: common does not know the cases' rules)."""

import datetime as dt

import pytest

from minsheng.cases import rules as R
from minsheng.common import workdays
from minsheng.common.reminders import reminder_kind

pytestmark = pytest.mark.django_db


def working_days_between(start: dt.date, end: dt.date) -> int:
    return sum(
        workdays.is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )


def test_a_deadline_that_counts_days_of_a_provisional_year_is_marked_provisional():
    rules = R.rules_for(None)
    due = R.assign_due(dt.date(2026, 12, 28), rules)
    # 12-29, 12-30, 12-31, (2027-01-01 New Year), 01-04, 01-05
    assert due == dt.date(2027, 1, 5) and due.provisional
    inside = R.assign_due(dt.date(2026, 6, 1), rules)
    assert inside == dt.date(2026, 6, 8) and not inside.provisional
    month_rule = R.answer_due(dt.date(2026, 12, 28), rules, hard=False, round=1)
    assert month_rule == dt.date(2027, 3, 28)  # calendar months do not depend on the holiday schedule


@pytest.mark.parametrize("rule", ["assign", "reassign", "publish", "answer", "hard", "again", "opinion"])
def test_every_deadline_rule_computes_for_every_start_day_from_2026_to_2030(rule):
    rules = R.rules_for(None)
    working = {
        "assign": (R.assign_due, rules.assign_working_days),
        "reassign": (R.reassign_request_due, rules.reassign_request_working_days),
        "publish": (R.publish_due, rules.publish_working_days),
    }
    months = {
        "answer": lambda d: R.answer_due(d, rules, hard=False, round=1),
        "hard": lambda d: R.answer_due(d, rules, hard=True, round=1),
        "again": lambda d: R.answer_due(d, rules, hard=False, round=2),
        "opinion": lambda d: R.opinion_due(d, rules),
    }
    day = dt.date(2026, 1, 1)
    while day <= dt.date(2030, 12, 31):
        if rule in working:
            fn, n = working[rule]
            due = fn(day, rules)
            assert due > day
            assert workdays.is_working_day(due), (rule, day, due)
            assert working_days_between(day, due) == n, (rule, day, due)
            assert due.provisional == (due.year >= 2027), (rule, day, due)
        else:
            due = months[rule](day)
            assert day < due <= day + dt.timedelta(days=190)
        # the reminders of cases and milestones ask which reminder is due on any day
        reminder_kind(due, day, rules.reminder_days_before)
        day += dt.timedelta(days=1)
