"""A granted extension of an answer deadline, counted by the statistics (by congress, by unit, in all)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from minsheng.cases import services
from minsheng.cases.tests.test_api_fixtures import *  # noqa: F403 (the shared fixtures of the cases tests)
from minsheng.insights.stats import stats_for

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def clock_at():
    """The clock at 10:00 on 2026-03-02 (as in cases/tests/test_handling_rules.py)."""
    with time_machine.travel(dt.datetime.combine(MONDAY, dt.time(10, 0)).astimezone(), tick=False) as t:
        yield t


def test_granted_extensions_are_counted_in_the_statistics_by_congress_unit_and_in_all(
    lead_assignment, haiyan_handler, haiyan_staff, client
):
    request = services.extension_request(
        actor=haiyan_handler,
        assignment_id=lead_assignment.pk,
        requested_due=dt.date(2026, 8, 31),
        reason="需协调县级资金",
    )
    before = stats_for(haiyan_staff, today=dt.date(2026, 3, 1))
    assert before.total.extensions == 0
    services.extension_decide(actor=haiyan_staff, request_id=request.pk, grant=True, note="同意")
    figures = stats_for(haiyan_staff, today=dt.date(2026, 3, 1))
    assert figures.total.extensions == 1
    assert [r.extensions for r in figures.by_congress] == [1]
    unit = next(r for r in figures.by_unit if r.key == lead_assignment.unit_id)
    assert unit.extensions == 1
    client.force_login(haiyan_staff)
    page = client.get(reverse("insights:case_stats")).content.decode()
    assert 'data-testid="extensions">1<' in page
