"""The demo's cases (minsheng/demo/cases.py) at tiny scale: every state of the workflow, made through the
services, spread over ten months; the statistics and exports of them never show a beneficiary's identity."""

import datetime as dt

import pytest
from django.urls import reverse

from minsheng.cases.models import Answer, Beneficiary, Case, Claim
from minsheng.common import clock
from minsheng.insights.stats import stats_for


@pytest.fixture(scope="module")
def demo_cases(django_db_setup, django_db_blocker):
    """The tiny demo and its cases, built once for this module (and removed afterwards)."""
    from django.db import transaction

    from minsheng.demo.cases import build_demo_cases
    from minsheng.demo.services import demo_build

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_build(scale="tiny", seed=20261127, cases=False)
            counts = build_demo_cases(seed=20261127, scale="tiny")
            yield counts
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def users(demo_cases, db):
    from minsheng.accounts.models import User

    return {u.username: u for u in User.objects.all()}


def test_the_demo_has_wishes_projects_and_suggestions_in_many_states(demo_cases, db):
    assert demo_cases["kind_wish"] >= 10 and demo_cases["kind_micro_project"] >= 3
    assert demo_cases["kind_suggestion"] >= 6
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"filed", "assigned", "answered", "closed"} <= statuses
    assert Case.objects.filter(kind="wish", realised_at__isnull=False).exists()
    assert Claim.objects.filter(status="confirmed").exists()


def test_the_demo_spreads_its_cases_over_the_last_ten_months(demo_cases, db):
    today = clock.today()
    filed = [c.filed_at.date() for c in Case.objects.exclude(filed_at=None)]
    assert min(filed) >= today - dt.timedelta(days=310)
    assert max(filed) <= today
    assert (max(filed) - min(filed)).days > 60
    for case in Case.objects.exclude(filed_at=None).exclude(assigned_at=None):
        assert case.filed_at <= case.assigned_at <= clock.now()
    for answer in Answer.objects.select_related("assignment"):
        assert answer.on_time == (answer.answered_at.astimezone().date() <= answer.assignment.answer_due)


def test_the_statistics_of_the_demo_add_up(demo_cases, users):
    stats = stats_for(users["city_staff"])
    total = stats.total
    assert total.cases == Case.objects.exclude(filed_at=None).count()
    assert sum(row.cases for row in stats.by_county) == total.cases
    assert total.answers_due >= total.answered_on_time
    assert total.ratings >= total.satisfied
    haiyan = stats_for(users["haiyan_staff"]).total.cases
    assert 0 < haiyan < total.cases


def test_the_statistics_page_and_exports_of_the_demo_show_no_beneficiary(demo_cases, users, client):
    from io import BytesIO

    from openpyxl import load_workbook

    secrets = []
    for b in Beneficiary.objects.all():
        secrets += [b.name, b.id_number, b.phone, b.address]
    assert secrets
    client.force_login(users["city_staff"])
    page = client.get(reverse("insights:case_stats")).content.decode()
    for name in ("insights:case_stats_export", "cases_stats:case_export"):
        book = load_workbook(BytesIO(client.get(reverse(name)).content))
        page += "\n".join(str(v) for ws in book for row in ws.values for v in row if v is not None)
    leaked = [s for s in secrets if s and s in page]
    assert leaked == []
