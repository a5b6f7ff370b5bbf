"""The demo's activities: the July campaign with its research topics, briefing, meeting with the mayor, group
activities, training, reports, 回选举单位 (some gone back, some not), the monthly tree planting since March, with
participants present, on leave and absent, and photos (one shared on purpose, which the checks find)."""

import datetime as dt

import pytest
from django.db import transaction

SEED = 20261127


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from minsheng.demo.services import demo_build

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_build(scale="tiny", seed=SEED).counts
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_july_campaign_and_its_activities(demo, db):
    from minsheng.activities.models import Activity, Campaign
    from minsheng.common import clock
    from minsheng.demo.activities import CAMPAIGN, MAYOR_THEME, RESEARCH_TOPICS

    year = clock.today().year
    campaign = Campaign.objects.get(name=CAMPAIGN)
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(year, 7, 1), dt.date(year, 7, 31))
    july = Activity.objects.filter(starts_at__year=year, starts_at__month=7)
    assert {a.topic for a in july.filter(kind__code="research")} == set(RESEARCH_TOPICS)
    research_levels = set(
        july.filter(kind__code="research").values_list(
            "participations__deputy__seats__congress__level", flat=True
        )
    )
    assert "provincial" in research_levels
    mayor = july.get(kind__code="meet_leader")
    assert mayor.topic == MAYOR_THEME and mayor.leader
    for code in ("briefing", "group", "training", "report", "electoral_unit", "planting"):
        assert july.filter(kind__code=code).exists(), code
    months = set(Activity.objects.filter(kind__code="planting").values_list("starts_at__month", flat=True))
    assert set(range(3, 8)) <= months
    assert demo["activities"] == Activity.objects.count()


def test_attendance_and_leading_cadres(demo, db):
    from minsheng.activities import activity_selectors
    from minsheng.activities.models import Activity, Participation
    from minsheng.common import clock
    from minsheng.congresses.models import Congress

    year = clock.today().year
    if clock.today() < dt.date(year, 8, 1):
        pytest.skip("July has not ended: the demo's July activities are still planned")
    statuses = set(Participation.objects.values_list("status", flat=True))
    assert {"present", "leave", "absent"} <= statuses
    assert Activity.objects.filter(status="held").exists()
    city = Congress.objects.get(level="city")
    rows = activity_selectors.electoral_unit_check(city, dt.date(year, 7, 1), dt.date(year, 7, 31))
    assert len(rows) == 6
    assert 0 < sum(r["went"] for r in rows) < len(rows)


def test_the_checks_find_the_shared_photo(demo, db):
    from minsheng.activities import checks
    from minsheng.common import clock

    year = clock.today().year
    if clock.today() < dt.date(year, 8, 1):
        pytest.skip("July has not ended: no photos yet")
    found = checks.shared_photos(
        checks.Scope(prefix="", date_from=dt.date(year, 7, 1), date_to=dt.date(year, 7, 31))
    )
    assert len(found) == 1 and len(found[0]["activities"]) == 2


def test_a_research_topic_produced_a_suggestion_shown_on_its_page(demo, db, client):
    from django.urls import reverse

    from minsheng.accounts.models import User
    from minsheng.activities.models import Activity
    from minsheng.cases.models import Case
    from minsheng.demo.activities import RESEARCH_TOPICS, SUGGESTION_TITLE

    research = Activity.objects.get(kind__code="research", topic=RESEARCH_TOPICS[0])
    produced = list(research.produced.all())
    assert [c.title for c in produced] == [SUGGESTION_TITLE]
    case = produced[0]
    assert case.kind == Case.Kind.SUGGESTION and case.congress_id == research.congress_id
    assert research.participations.filter(deputy=case.lead_deputy).exists()
    assert not Activity.objects.get(kind__code="research", topic=RESEARCH_TOPICS[1]).produced.exists()
    assert demo["activity_suggestions"] == 1
    client.force_login(User.objects.get(username="city_staff"))
    page = client.get(reverse("activities:activity_detail", args=[research.pk])).content.decode()
    assert SUGGESTION_TITLE in page and reverse("cases:detail", args=[case.pk]) in page
