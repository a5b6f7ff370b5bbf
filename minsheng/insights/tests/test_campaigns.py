"""The campaign dashboard (集中履职月): its figures equal the counts of the underlying records for every scope
(the city campaign, a county, a town), computed here independently from the raw rows; the refresh runs on the
worker's path; the page reads the summary rows only; the exports carry no personal data."""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from minsheng.accounts.tests.factories import DonorProfileFactory
from minsheng.activities.kinds import ensure_builtin_kinds
from minsheng.activities.models import (
    Activity,
    ActivityKind,
    Campaign,
    Participation,
    Reception,
    ReceptionMatter,
)
from minsheng.cases.models import Case, Claim
from minsheng.cases.tests.factories import WishFactory, beneficiary_data
from minsheng.common.idcard import with_check_digit
from minsheng.congresses.models import Congress
from minsheng.congresses.tests.factories import TermFactory
from minsheng.deputies.tests.factories import SeatFactory
from minsheng.insights import campaigns
from minsheng.insights.campaign_models import CampaignFigure, CampaignSummary, Contribution
from minsheng.places.models import Place
from minsheng.stations.models import Station, StationDeputy
from minsheng.stations.tests.factories import StationFactory

NOW = timezone.make_aware(dt.datetime(2026, 7, 20, 12, 0))
START, END = dt.date(2026, 7, 1), dt.date(2026, 7, 31)


def at(moment):
    return time_machine.travel(moment, tick=False)


def moment(day: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def world(city_congress, city_staff, city_term, taishan_term, kaiping_term, haiyan_term, station_staff):
    """Random receptions, matters, activities, attendance, wishes and gifts in three towns of two counties,
    some inside the campaign's period and some outside."""
    rng = random.Random(11)
    haiyan = Place.objects.get(name="海宴镇")
    other_taishan = (
        Place.objects.filter(code__startswith="440781", level="township", congress__isnull=False)
        .exclude(pk=haiyan.pk)
        .first()
    )
    kaiping_town = Place.objects.filter(
        code__startswith="440783", level="township", congress__isnull=False
    ).first()
    towns = [haiyan, other_taishan, kaiping_town]
    terms = {
        "city": city_term,
        "haiyan": haiyan_term,
        "taishan": taishan_term,
        "kaiping": kaiping_term,
        other_taishan.code: TermFactory(congress=Congress.objects.get(place=other_taishan), number=18),
        kaiping_town.code: TermFactory(congress=Congress.objects.get(place=kaiping_town), number=18),
    }
    stations = [StationFactory(place=town) for town in towns]
    deputies = []
    for i in range(24):
        town = towns[i % 3]
        county_term = terms["kaiping"] if town.code.startswith("440783") else terms["taishan"]
        town_term = terms["haiyan"] if town == haiyan else terms[town.code]
        choice = i % 4
        seat_terms = [[town_term], [county_term], [terms["city"]], [terms["city"], town_term]][choice]
        seat = SeatFactory(term=seat_terms[0])
        for term in seat_terms[1:]:
            SeatFactory(deputy=seat.deputy, term=term)
        deputy = seat.deputy
        if rng.random() < 0.7 or choice == 2:
            StationDeputy.objects.create(station=stations[i % 3], deputy=deputy)
        deputies.append(deputy)
    days = [START - dt.timedelta(days=3), START, dt.date(2026, 7, 10), END, END + dt.timedelta(days=1)]
    for _ in range(30):
        station = rng.choice(stations)
        r = Reception.objects.create(
            station=station,
            received_at=moment(rng.choice(days), rng.choice([0, 9, 23])),
            visitor_count=rng.randint(1, 4),
            matter="路灯",
            category="other",
            outcome="answered",
            recorded_by=city_staff,
        )
        r.deputies.set(rng.sample(deputies, 2))
        for pos in range(rng.randint(0, 3)):
            ReceptionMatter.objects.create(
                reception=r,
                position=pos + 1,
                text="事项",
                category="other",
                disposal=rng.choice(ReceptionMatter.Disposal.values),
                status=rng.choice(ReceptionMatter.Status.values),
            )
    ensure_builtin_kinds()  # a transactional test before this one flushed the seeded kinds
    kinds = list(ActivityKind.objects.filter(congress__isnull=True))
    organisers = [
        city_congress,
        terms["taishan"].congress,
        terms["haiyan"].congress,
        terms["kaiping"].congress,
    ]
    for _ in range(20):
        start = moment(rng.choice(days), 9)
        a = Activity.objects.create(
            kind=rng.choice(kinds),
            title="活动",
            congress=rng.choice(organisers),
            place=haiyan,
            location="会议室",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            status=rng.choice(Activity.Status.values),
            created_by=city_staff,
        )
        for deputy in rng.sample(deputies, 3):
            Participation.objects.create(
                activity=a, deputy=deputy, status=rng.choice(Participation.Status.values), leave_reason="开会"
            )
    donor = DonorProfileFactory(status="verified").user
    wishes = []
    for day in days:
        with at(moment(day, 11)):
            for k, station in enumerate(stations):
                lead = deputies[[0, 4, 8][k]]  # a deputy of the station's town
                wishes.append(
                    WishFactory(
                        actor=city_staff,
                        lead_deputy=lead,
                        congress=station.congress,
                        station=station,
                        beneficiary=beneficiary_data(
                            id_number=with_check_digit(f"44078119{len(wishes) + 40:02d}0506122")
                        ),
                    )
                )
    Case.objects.filter(pk__in=[w.pk for w in wishes[::3]]).update(realised_at=moment(dt.date(2026, 7, 15)))
    for wish in wishes[::2]:
        Claim.objects.create(case=wish, donor=donor, kind="share", amount=Decimal("100"), status="live")
    campaign = Campaign.objects.create(
        name="绿美江门·人大代表在行动",
        slogan="三级人大联动、五级代表行动",
        congress=city_congress,
        starts_on=START,
        ends_on=END,
        target_wishes=10,
        target_funds=Decimal("5000"),
        target_participation_percent=60,
        target_receptions_per_station=5,
        created_by=city_staff,
    )
    other = Campaign.objects.create(
        name="另一个活动", congress=city_congress, starts_on=START, ends_on=END, created_by=city_staff
    )
    for i, town in enumerate(towns):
        Contribution.objects.create(
            donor_kind="enterprise",
            donor_name=f"企业{i}",
            form="money",
            amount=Decimal("1000") * (i + 1),
            purpose="campaign",
            campaign=campaign,
            place=town,
            pledged_on=dt.date(2026, 3, 5),
            status="received" if i else "pledged",
            received_on=dt.date(2026, 3, 9) if i else None,
            created_by=city_staff,
        )
    Contribution.objects.create(
        donor_kind="enterprise",
        donor_name="别家",
        form="money",
        amount=Decimal("777"),
        purpose="campaign",
        campaign=other,
        place=haiyan,
        pledged_on=dt.date(2026, 7, 2),
        created_by=city_staff,
    )
    Contribution.objects.create(
        donor=donor,
        donor_kind="enterprise",
        form="money",
        amount=Decimal("250"),
        purpose="wish",
        case=wishes[2],
        claim=Claim.objects.get(case=wishes[2]),
        place=wishes[2].place,
        pledged_on=dt.date(2026, 7, 12),
        created_by=city_staff,
    )
    return {"campaign": campaign, "stations": stations, "deputies": deputies, "towns": towns}


def expected(campaign: Campaign, prefix: str) -> dict:
    """The figures from the raw rows, in Python, without the summary's queries."""
    start = moment(campaign.starts_on, 0).replace(hour=0)
    end = moment(campaign.ends_on + dt.timedelta(days=1), 0).replace(hour=0)
    receptions = [
        r
        for r in Reception.objects.select_related("station__place")
        if r.station.place.code.startswith(prefix) and start <= r.received_at < end
    ]
    ids = {r.pk for r in receptions}
    matters = [m for m in ReceptionMatter.objects.all() if m.reception_id in ids]
    activities = [
        a
        for a in Activity.objects.select_related("congress", "kind")
        if a.congress.region_prefix.startswith(prefix)
        and start <= a.starts_at < end
        and a.status != "cancelled"
    ]
    wishes = [
        c
        for c in Case.objects.select_related("place")
        if c.kind == "wish" and c.place.code.startswith(prefix)
    ]
    funds = Decimal("0")
    for c in Contribution.objects.select_related("place"):
        if c.status == "cancelled" or not c.place.code.startswith(prefix):
            continue
        if c.campaign_id == campaign.pk or (c.purpose != "campaign" and START <= c.pledged_on <= END):
            funds += c.amount
    ledgered = {c.claim_id for c in Contribution.objects.exclude(status="cancelled") if c.claim_id}
    for claim in Claim.objects.select_related("case__place"):
        if (
            claim.pk not in ledgered
            and claim.status in Claim.HOLDING
            and claim.case.place.code.startswith(prefix)
            and start <= claim.created_at < end
        ):
            funds += claim.amount
    # Participation: deputies with a seat, belonging to the scope by a station there or a congress there.
    # Taking part counts anywhere in the campaign (its whole region), not only in the scope.
    root = campaign.congress.region_prefix
    took_part = {
        d.pk
        for r in Reception.objects.select_related("station__place")
        if r.station.place.code.startswith(root) and start <= r.received_at < end
        for d in r.deputies.all()
    }
    activity_ids = {
        a.pk
        for a in Activity.objects.select_related("congress")
        if a.congress.region_prefix.startswith(root)
        and start <= a.starts_at < end
        and a.status != "cancelled"
    }
    took_part |= {
        p.deputy_id
        for p in Participation.objects.all()
        if p.activity_id in activity_ids and p.status == "present"
    }
    levels = defaultdict(set)
    inside = set()
    for seat in __import__("minsheng.deputies.models", fromlist=["Seat"]).Seat.objects.select_related(
        "congress"
    ):
        levels[seat.deputy_id].add(seat.congress.level)
        if seat.congress.region_prefix.startswith(prefix):
            inside.add(seat.deputy_id)
    for sd in StationDeputy.objects.select_related("station__place"):
        if sd.station.place.code.startswith(prefix):
            inside.add(sd.deputy_id)
    per_level = {}
    for level in [*campaigns.LEVELS, "all"]:
        members = {d for d in inside if level == "all" or level in levels[d]}
        per_level[level] = (len(members), len(members & took_part))
    return {
        "receptions": len(receptions),
        "visitors": sum(r.visitor_count for r in receptions),
        "matters": len(matters),
        "disposals": {
            code: sum(1 for m in matters if m.disposal == code) for code in ReceptionMatter.Disposal.values
        },
        "activities": len(activities),
        "kinds": {
            code: sum(1 for a in activities if a.kind.code == code) for code in ActivityKind.Code.values
        },
        "wishes": sum(1 for c in wishes if start <= c.created_at < end and c.status != "withdrawn"),
        "realised": sum(1 for c in wishes if c.realised_at and start <= c.realised_at < end),
        "funds": funds,
        "stations": Station.objects.filter(place__code__startswith=prefix, is_active=True).count(),
        "levels": per_level,
    }


def shown(dash: dict) -> dict:
    return {
        "receptions": dash["receptions"],
        "visitors": dash["visitors"],
        "matters": dash["matters"],
        "disposals": {d["code"]: d["n"] for d in dash["disposals"]},
        "activities": dash["activities"],
        "kinds": {k["code"]: k["n"] for k in dash["kinds"]},
        "wishes": dash["wishes"],
        "realised": dash["realised"],
        "funds": Decimal(dash["funds"]),
        "stations": dash["stations"],
        "levels": {row["code"]: (row["deputies"], row["participants"]) for row in dash["levels"]},
    }


@pytest.mark.django_db
def test_the_figures_equal_the_records_in_every_scope(
    world, city_congress, taishan_congress, haiyan_congress, kaiping_congress
):
    campaign = world["campaign"]
    with at(NOW):
        assert campaigns.refresh_campaign_summaries(campaign_id=campaign.pk) > 0
    for scope in (city_congress, taishan_congress, kaiping_congress, haiyan_congress):
        want = expected(campaign, scope.region_prefix)
        got = shown(campaigns.dashboard_for(campaign, scope))
        assert got == want, (scope.name, str(got["levels"]), str(want["levels"]))
    city = expected(campaign, "4407")
    assert city["receptions"] > 0 and city["activities"] > 0 and city["funds"] > Decimal("6000")
    assert city["levels"]["all"][1] > 0


@pytest.mark.django_db
def test_the_heat_table_of_a_city_has_its_counties_and_a_countys_its_towns(
    world, city_congress, taishan_congress
):
    campaign = world["campaign"]
    with at(NOW):
        campaigns.refresh_campaign_summaries(campaign_id=campaign.pk)
    city = campaigns.dashboard_for(campaign, city_congress)
    assert {row["code"] for row in city["heat_rows"]} == {"440781", "440783"}
    for row in city["heat_rows"]:
        want = expected(campaign, row["code"])["levels"]
        assert {c["level"]: (c["deputies"], c["participants"]) for c in row["cells"]} == want
    county = campaigns.dashboard_for(campaign, taishan_congress)
    assert {len(row["code"]) for row in county["heat_rows"]} == {9}
    area_total = sum(row["receptions"] for row in city["area_rows"])
    assert area_total == city["receptions"]


@pytest.mark.django_db
def test_the_page_reads_only_the_summary_rows(
    world, client, city_staff, taishan_congress, django_assert_max_num_queries
):
    campaign = world["campaign"]
    with at(NOW):
        campaigns.refresh_campaign_summaries(campaign_id=campaign.pk)
    client.force_login(city_staff)
    url = reverse("insights:campaign_dashboard", args=[campaign.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url, {"congress": taishan_congress.pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert b'data-testid="as-of"' in response.content
    assert "三级人大联动、五级代表行动" in response.content.decode()
    for table in ("participation", "heat", "areas", "matters", "activities", "funds", "targets"):
        export = client.get(url, {"export": table})
        assert export.status_code == 200
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url, {"export": "nope"}).status_code == 404


@pytest.mark.django_db
def test_the_rendered_figures_are_cached_until_the_next_refresh(world, client, city_staff):
    """A second look reads no figure rows (the rendered figures come from the cache), and the figures of a
    reception recorded since show as soon as the summary is refreshed, not before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = world["campaign"]
    with at(NOW):
        campaigns.refresh_campaign_summaries(campaign_id=campaign.pk)
    client.force_login(city_staff)
    url = reverse("insights:campaign_dashboard", args=[campaign.pk])

    def receptions_shown(response) -> int:
        html = response.content.decode()
        return int(html.split('data-testid="total-receptions">', 1)[1].split("<", 1)[0].replace(",", ""))

    first = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    with CaptureQueriesContext(connection) as again:
        second = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert second.context["figures"] == first.context["figures"]
    assert not [q for q in again.captured_queries if "insights_campaignfigure" in q["sql"]]
    before = receptions_shown(second)
    reception = Reception.objects.filter(received_at__date=dt.date(2026, 7, 10)).first()
    Reception.objects.create(
        station=reception.station,
        received_at=reception.received_at,
        matter="路灯",
        category="other",
        outcome="answered",
        recorded_by=city_staff,
    )
    assert receptions_shown(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")) == before  # not yet refreshed
    with at(NOW + dt.timedelta(minutes=10)):
        campaigns.refresh_campaign_summaries(campaign_id=campaign.pk)
    assert receptions_shown(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")) == before + 1
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Receptions" in english.content.decode()  # cached per language


@pytest.mark.django_db
def test_a_congress_outside_the_campaign_is_not_a_scope(
    world, client, city_staff, taishan_staff, kaiping_congress
):
    campaign = Campaign.objects.create(
        name="台山",
        congress=Congress.objects.get(place__code="440781"),
        starts_on=START,
        ends_on=END,
        created_by=city_staff,
    )
    client.force_login(taishan_staff)
    url = reverse("insights:campaign_dashboard", args=[campaign.pk])
    assert client.get(url).status_code == 200
    assert client.get(url, {"congress": kaiping_congress.pk}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_refresh_runs_on_the_worker_path(
    world, settings, django_capture_on_commit_callbacks, client, city_staff
):
    """The task, enqueued by the page's button, runs as the worker runs it (immediate backend in tests) and
    writes the summary; the scheduler lists it every 10 minutes."""
    from minsheng.insights.tasks import refresh_campaign_figures

    assert ("minsheng.insights.tasks.refresh_campaign_figures", 0, 10) in settings.MINSHENG["PERIODIC_TASKS"]
    campaign = world["campaign"]
    with at(NOW):
        result = refresh_campaign_figures.enqueue()
        assert result.return_value == CampaignFigure.objects.count() > 0
        client.force_login(city_staff)
        response = client.post(reverse("insights:campaign_refresh", args=[campaign.pk]))
    assert response.status_code == 302
    assert CampaignSummary.objects.get(campaign=campaign).as_of == NOW


@pytest.mark.django_db
def test_a_campaign_across_the_year_end_counts_by_local_days(city_congress, city_staff, station):
    """A winter campaign from 20 December to 10 January, with the clock frozen in the new year: the local
    midnight of its last day bounds it, and the running total of the funds runs across the two years."""
    campaign = Campaign.objects.create(
        name="冬季",
        congress=city_congress,
        starts_on=dt.date(2026, 12, 20),
        ends_on=dt.date(2027, 1, 10),
        created_by=city_staff,
    )
    for when in (
        timezone.make_aware(dt.datetime(2026, 12, 19, 23, 59)),  # before
        timezone.make_aware(dt.datetime(2026, 12, 31, 23, 30)),
        timezone.make_aware(dt.datetime(2027, 1, 1, 0, 30)),
        timezone.make_aware(dt.datetime(2027, 1, 10, 23, 59)),
        timezone.make_aware(dt.datetime(2027, 1, 11, 0, 0)),  # after
    ):
        Reception.objects.create(
            station=station,
            received_at=when,
            matter="事项",
            category="other",
            outcome="answered",
            recorded_by=city_staff,
        )
    for day, amount in ((dt.date(2026, 12, 28), "100"), (dt.date(2027, 1, 3), "50")):
        Contribution.objects.create(
            donor_kind="enterprise",
            donor_name="企业",
            form="money",
            amount=Decimal(amount),
            purpose="campaign",
            campaign=campaign,
            place=station.place,
            pledged_on=day,
            created_by=city_staff,
        )
    with at(timezone.make_aware(dt.datetime(2027, 1, 5, 9, 0))):
        campaigns.refresh_campaign_summaries()
        dash = campaigns.dashboard_for(campaign, city_congress)
    assert dash["receptions"] == 3
    assert [(m["month"], m["running"]) for m in dash["months"]] == [("2026-12", 100), ("2027-01", 150)]


@pytest.mark.django_db
def test_a_gift_for_the_whole_city_counts_in_the_city_and_in_no_county(city_congress, city_staff):
    campaign = Campaign.objects.create(
        name="七月", congress=city_congress, starts_on=START, ends_on=END, created_by=city_staff
    )
    Contribution.objects.create(
        donor_kind="enterprise",
        donor_name="企业",
        form="money",
        amount=Decimal("900"),
        purpose="campaign",
        campaign=campaign,
        place=city_congress.place,
        pledged_on=dt.date(2026, 3, 5),
        created_by=city_staff,
    )
    with at(NOW):
        campaigns.refresh_campaign_summaries(campaign_id=campaign.pk)
    dash = campaigns.dashboard_for(campaign, city_congress)
    assert dash["funds"] == 900
    assert dash["area_rows"] == []  # the city's own place is no county of the table
    taishan = Congress.objects.get(place__code="440781")
    assert campaigns.dashboard_for(campaign, taishan)["funds"] == 0


@pytest.mark.django_db
def test_a_provincial_campaign_equals_the_records_in_every_scope(
    world, client, admin_user, city_staff, city_congress, taishan_congress, haiyan_congress, kaiping_congress
):
    """The province's campaign over the same records: its figures at the province, the city, each county and
    a town equal the counts of the raw rows; its heat table has the counties; its own gift counts, the city
    campaign's gifts do not."""
    province = Congress.objects.get(level=Congress.Level.PROVINCIAL)
    campaign = Campaign.objects.create(
        name="广东省集中履职月",
        slogan="三级人大联动、五级代表行动",
        congress=province,
        starts_on=START,
        ends_on=END,
        target_wishes=10,
        target_funds=Decimal("1000"),
        created_by=city_staff,
    )
    Contribution.objects.create(
        donor_kind="enterprise",
        donor_name="省里的企业",
        form="money",
        amount=Decimal("300"),
        purpose="campaign",
        campaign=campaign,
        place=world["towns"][2],
        pledged_on=dt.date(2026, 7, 3),
        created_by=city_staff,
    )
    with at(NOW):
        assert campaigns.refresh_campaign_summaries(campaign_id=campaign.pk) > 0
    for scope in (province, city_congress, taishan_congress, kaiping_congress, haiyan_congress):
        want = expected(campaign, scope.region_prefix)
        got = shown(campaigns.dashboard_for(campaign, scope))
        assert got == want, (scope.name, str(got["levels"]), str(want["levels"]))
    whole = campaigns.dashboard_for(campaign, province)
    assert whole["receptions"] > 0 and whole["activities"] > 0
    own_gifts = sum(c.amount for c in Contribution.objects.filter(campaign=campaign))
    assert own_gifts == Decimal("300") <= whole["funds"]
    assert {row["code"] for row in whole["heat_rows"]} == {"440781", "440783"}
    for row in whole["heat_rows"]:
        want = expected(campaign, row["code"])["levels"]
        assert {c["level"]: (c["deputies"], c["participants"]) for c in row["cells"]} == want
    assert sum(row["receptions"] for row in whole["area_rows"]) == whole["receptions"]
    client.force_login(admin_user)
    response = client.get(reverse("insights:campaign_dashboard", args=[campaign.pk]))
    assert response.status_code == 200 and b'data-testid="as-of"' in response.content
