"""The duty record (履职档案): built from the data, each thing once per person, filtered by congress and year."""

import datetime as dt

import pytest
import time_machine

from minsheng.insights import duty_record as DR
from minsheng.insights.models import DutySummary
from minsheng.voting.models import Elector
from minsheng.voting.tests.factories import SessionFactory, make_vote

from .records_data import activity, at, filed_case, reception

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_level(city_deputy, city_congress, haiyan_congress, station, city_staff):
    """曾丽 (city and 海宴镇 seats): a city research trip, a town group activity, a reception at the town's
    station (recorded with her twice in the list), a suggestion she leads at the city and co-signs too, a
    town suggestion she co-signs, training in part, a report to voters, leave from an inspection."""
    d = city_deputy
    activity(congress=city_congress, code="research", by=city_staff, participants={d: "present"})
    activity(congress=haiyan_congress, code="group", by=city_staff, participants={d: "present"})
    activity(congress=city_congress, code="training", by=city_staff, participants={d: "part"})
    activity(congress=haiyan_congress, code="report", by=city_staff, participants={d: "present"})
    activity(congress=city_congress, code="inspection", by=city_staff, participants={d: "leave"})
    activity(
        congress=city_congress,
        code="briefing",
        by=city_staff,
        participants={d: "present"},
        status="cancelled",
    )
    reception(station=station, deputies=[d, d], by=city_staff)
    filed_case(
        congress=city_congress, lead=d, by=city_staff, place=city_congress.place, cosigners=[d], priority=True
    )
    other = station.attachments.first().deputy
    filed_case(congress=haiyan_congress, lead=other, by=city_staff, place=station.place, cosigners=[d])
    return d


def test_a_deputy_with_seats_at_two_levels_sees_each_thing_once(two_level, city_congress, haiyan_congress):
    record = DR.duty_record(two_level)
    assert len(record["seats"]) == 2
    count = record["count"]
    assert count["activity_research"] == 1
    assert count["activity_group"] == 1
    assert count["training_part"] == 1 and "training_full" not in count
    assert count["report"] == 1
    assert count["leave"] == 1
    assert "activity_briefing" not in count  # cancelled
    assert count["reception"] == 1  # she is listed twice: one reception
    assert count["suggestion_led"] == 1 and count["suggestion_priority"] == 1
    assert count["suggestion_cosigned"] == 1  # her own (led) is not counted again as co-signed
    assert len(record["activities"]) == 4  # present, not the leave, not the cancelled one
    assert len(record["leave"]) == 1 and record["leave"][0]["reason"] == "因病请假"
    assert len(record["receptions"]) == 1
    # by congress: the city's activities and case, the town's group, report, reception and co-signed case
    city = DR.duty_record(two_level, congress_id=city_congress.pk)["count"]
    town = DR.duty_record(two_level, congress_id=haiyan_congress.pk)["count"]
    assert (
        city.get("activity_group") is None and city["activity_research"] == 1 and city["suggestion_led"] == 1
    )
    assert town["activity_group"] == 1 and town["reception"] == 1 and town.get("suggestion_led") is None
    assert sum(city.values()) + sum(town.values()) == sum(count.values())


def test_the_summary_table_gives_the_live_counts(two_level, city_congress):
    live = DR.duty_record(two_level)
    assert live["live"] and live["as_of"] is None
    assert DR.refresh_duty_summaries([two_level.pk]) == 2  # (2026, city) and (2026, 海宴镇)
    kept = DR.duty_record(two_level)
    assert not kept["live"] and kept["as_of"] is not None
    assert kept["count"] == live["count"]
    assert (
        DR.duty_record(two_level, congress_id=city_congress.pk, year=2026)["count"]["activity_research"] == 1
    )
    # refreshing again rewrites, never adds
    DR.refresh_duty_summaries([two_level.pk], year=2026)
    assert DutySummary.objects.filter(deputy=two_level).count() == 2


def test_the_year_filter_across_a_year_end(city_deputy, city_congress, city_staff):
    """Local time decides the year: 23:30 on 31 December and 00:30 on 1 January are two years."""
    activity(
        congress=city_congress,
        code="research",
        by=city_staff,
        participants={city_deputy: "present"},
        when=at(2026, 12, 31, 23, 30),
        length=dt.timedelta(minutes=30),  # until midnight: she is at the next one at 00:30
    )
    activity(
        congress=city_congress,
        code="research",
        by=city_staff,
        participants={city_deputy: "present"},
        when=at(2027, 1, 1, 0, 30),
    )
    with time_machine.travel(at(2027, 1, 2), tick=False):
        assert DR.duty_record(city_deputy, year=2026)["count"]["activity_research"] == 1
        assert DR.duty_record(city_deputy, year=2027)["count"]["activity_research"] == 1
        assert DR.duty_record(city_deputy)["count"]["activity_research"] == 2
        DR.refresh_duty_summaries([city_deputy.pk])
        assert set(DutySummary.objects.filter(deputy=city_deputy).values_list("year", flat=True)) == {
            2026,
            2027,
        }
        assert DR.duty_record(city_deputy, year=2027)["count"]["activity_research"] == 1


def test_sessions_attended_are_the_sessions_of_the_votes_attended(city_deputy, city_congress, city_term):
    session = SessionFactory(
        term=city_term, number=5, start_date=dt.date(2026, 1, 10), end_date=dt.date(2026, 1, 12)
    )
    first = make_vote(congress=city_congress, session=session)
    second = make_vote(congress=city_congress, session=session, title="补充票决", year=2025)
    Elector.objects.create(vote=first, deputy=city_deputy, has_voted=True)
    Elector.objects.create(vote=second, deputy=city_deputy, checked_in_at=at(2026, 1, 11))
    absent = SessionFactory(
        term=city_term, number=6, start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 2)
    )
    Elector.objects.create(
        vote=make_vote(congress=city_congress, session=absent, year=2024), deputy=city_deputy
    )
    record = DR.duty_record(city_deputy)
    assert record["count"]["session"] == 1  # two votes at one session; not present at the other
    assert len(record["sessions"]) == 1


def test_the_public_record_has_no_personal_data(two_level, station, city_staff, city_congress):
    filed_case(
        congress=city_congress,
        lead=two_level,
        by=city_staff,
        place=city_congress.place,
        title="为黄阿婆购置轮椅",
        public_summary="为一位独居老人购置轮椅",
    )
    reception(station=station, deputies=[two_level], by=city_staff, name="李来访", phone="13712345678")
    public = DR.duty_record(two_level, public=True)
    text = repr(public["led"]) + repr(public["cosigned"]) + repr(public["receptions"])
    assert "黄阿婆" not in text and "五丰村路口" not in text
    assert "为一位独居老人购置轮椅" in text
    assert public["leave"] == []
    assert public["count"]["suggestion_led"] == 2  # counted all the same


def test_the_summary_table_equals_the_live_counts_on_random_data(
    city_deputy,
    town_deputy,
    county_deputy,
    city_congress,
    haiyan_congress,
    taishan_congress,
    station,
    city_staff,
):
    import random

    rng = random.Random(11)
    deputies = [city_deputy, town_deputy, county_deputy]
    congresses = [city_congress, haiyan_congress, taishan_congress]
    codes = ["research", "inspection", "group", "training", "report", "planting"]
    for _i in range(40):
        year = rng.choice([2025, 2026])
        when = at(year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23))
        congress = rng.choice(congresses)
        picked = rng.sample(deputies, rng.randint(1, 3))
        what = rng.random()
        if what < 0.4:
            activity(
                congress=congress,
                code=rng.choice(codes),
                by=city_staff,
                when=when,
                participants={d: rng.choice(["present", "leave", "part"]) for d in picked},
            )
        elif what < 0.7:
            reception(station=station, deputies=picked, by=city_staff, when=when)
        else:
            filed_case(
                congress=congress,
                lead=picked[0],
                by=city_staff,
                place=congress.place,
                when=when,
                priority=rng.random() < 0.3,
                cosigners=picked[rng.randint(0, 1) :],
                kind=rng.choice(["suggestion", "wish"]),
            )
    live = {
        (d.pk, y, c): DR.duty_record(d, year=y, congress_id=c)["count"]
        for d in deputies
        for y in (None, 2025, 2026)
        for c in (None, *[x.pk for x in congresses])
    }
    DR.refresh_duty_summaries()
    for (deputy_id, y, c), counts in live.items():
        deputy = next(d for d in deputies if d.pk == deputy_id)
        kept = DR.duty_record(deputy, year=y, congress_id=c)
        assert kept["count"] == counts, (deputy.name, y, c)


def test_the_worker_refreshes_only_the_deputies_whose_duties_changed(
    two_level, county_deputy, city_congress, city_staff
):
    """The first run rewrites everything; the next ones only the deputies with changes since (by the rows'
    own times), across a year's end; the nightly run rewrites everything again."""
    from minsheng.insights.tasks import rebuild_duty_summaries, refresh_duty_summaries

    with time_machine.travel(at(2026, 12, 31, 23, 0), tick=False):
        first = DR.duty_summaries_update()
        assert first.full and first.rows == DutySummary.objects.count() >= 2
        assert DR.duty_summaries_update().deputies == 0  # nothing changed
    with time_machine.travel(at(2027, 1, 1, 0, 30), tick=False):
        activity(
            congress=city_congress,
            code="research",
            by=city_staff,
            participants={county_deputy: "present"},
            when=at(2027, 1, 1, 0, 0),
        )
    with time_machine.travel(at(2027, 1, 1, 1, 0), tick=False):
        before = set(DutySummary.objects.filter(deputy=two_level).values_list("id", flat=True))
        again = DR.duty_summaries_update()
        assert not again.full and again.deputies == 1
        assert DR.duty_record(county_deputy, year=2027)["count"] == {"activity_research": 1}
        assert not DR.duty_record(county_deputy, year=2027)["live"]
        # her rows were not rewritten
        assert set(DutySummary.objects.filter(deputy=two_level).values_list("id", flat=True)) == before
    with time_machine.travel(at(2027, 1, 2, 1, 0), tick=False):
        DutySummary.objects.filter(deputy=county_deputy).delete()
        assert refresh_duty_summaries.enqueue().return_value == 0
        assert rebuild_duty_summaries.enqueue().return_value == DutySummary.objects.count()
        assert DutySummary.objects.filter(deputy=county_deputy).exists()
