"""The statistics' summary table (`insights/rollup.py`): on random cases (fixed seeds) it gives exactly the
figures of the live computation for every scope and filter; refreshing is idempotent, incremental for the
congresses that changed, safe after dying half-way; the page reads it within a small query budget."""

import datetime as dt
import random
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from openpyxl import load_workbook

from minsheng.cases.models import (
    Answer,
    Assignment,
    Case,
    CaseRules,
    Claim,
    HandlingRecord,
    Rating,
)
from minsheng.common import audit
from minsheng.insights import rollup
from minsheng.insights.models import CaseStatsRefresh, CaseStatsRollup
from minsheng.insights.stats import stats_for, stats_live

TODAY = dt.date(2026, 6, 1)
NOON = dt.datetime(2026, 6, 1, 12, 0).astimezone()
CLASSES = ["A", "B", "C", "D", "甲"]  # 甲: a congress's own class, outside the default A–D
OPEN_ASSIGNMENT = [
    Assignment.Status.PENDING,
    Assignment.Status.HANDLING,
    Assignment.Status.REASSIGN_REQUESTED,
]


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def _moment(rng: random.Random) -> dt.datetime:
    """A filing time over two years, often within minutes of midnight on New Year's Day or another first
    of a month (the table's years are local ones; UTC's differ for 8 hours)."""
    if rng.random() < 0.25:
        month = rng.choice(
            [dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2025, 7, 1), dt.date(2026, 3, 1)]
        )
        local = dt.datetime.combine(month, dt.time(0, 0)) + dt.timedelta(minutes=rng.choice([-20, -1, 1, 20]))
    else:
        local = dt.datetime(2024, 9, 1) + dt.timedelta(minutes=rng.randrange(60 * 24 * 630))
    return local.astimezone()


class World:
    """Congresses of every level of Jiangmen, their places, four units and three deputies."""

    def __init__(self, *, congresses, units, deputies, author):
        from minsheng.places.models import Place

        self.congresses = congresses
        self.units = units
        self.deputies = deputies
        self.author = author
        self.places = {
            c.pk: list(Place.objects.filter(code__startswith=c.region_prefix).order_by("code")[:30])
            for c in congresses
        }


def random_cases(world: World, rng: random.Random, n: int) -> list[Case]:
    """`n` cases of random kinds, states, filing times, parts, answers, ratings and claims, written
    directly (the statistics read rows, not the workflow that made them)."""
    cases = []
    for i in range(n):
        congress = rng.choice(world.congresses)
        status = rng.choice(Case.Status.values)
        kind = rng.choice(Case.Kind.values)
        filed = None if status == Case.Status.DRAFT and rng.random() < 0.8 else _moment(rng)
        case = Case.objects.create(
            kind=kind,
            title=f"随机个案{i}",
            content="内容",
            congress=congress,
            lead_deputy=rng.choice(world.deputies),
            place=rng.choice(world.places[congress.pk] or [congress.place]),
            created_by=world.author,
            status=status,
            round=rng.choice([1, 1, 2]),
            filed_at=filed,
            answer_due=TODAY + dt.timedelta(days=rng.randint(-40, 40)) if rng.random() < 0.8 else None,
            amount=Decimal(rng.randint(50, 500)) if kind == Case.Kind.WISH else None,
            realised_at=filed if kind == Case.Kind.WISH and filed and rng.random() < 0.4 else None,
            closed_unrated=status == Case.Status.CLOSED and rng.random() < 0.4,
        )
        cases.append(case)
        for round_ in range(1, case.round + 1):
            units = rng.sample(world.units, rng.randint(0, 3))
            lead_given = False
            for unit in units:
                role = rng.choice(Assignment.Role.values)
                part_status = rng.choice(Assignment.Status.values)
                if role == Assignment.Role.LEAD:
                    if lead_given:
                        role = Assignment.Role.SPLIT
                    lead_given = lead_given or part_status != Assignment.Status.REMOVED
                part = Assignment.objects.create(
                    case=case,
                    unit=unit,
                    role=role,
                    round=round_,
                    status=part_status,
                    answer_due=TODAY + dt.timedelta(days=rng.randint(-60, 60)),
                    reassign_request_due=TODAY,
                )
                for _ in range(rng.choice([0, 0, 1, 2])):
                    # 见面 / 座谈 / 电话, recorded before the answer (NOON) or, now and then, after it
                    record = HandlingRecord.objects.create(
                        assignment=part,
                        kind=rng.choice(HandlingRecord.Kind.values),
                        happened_on=TODAY,
                        note="沟通",
                        recorded_by=world.author,
                    )
                    later = rng.random() < 0.3
                    HandlingRecord.objects.filter(pk=record.pk).update(
                        recorded_at=NOON + dt.timedelta(hours=1) if later else NOON - dt.timedelta(days=1)
                    )
                if part_status == Assignment.Status.ANSWERED or rng.random() < 0.05:
                    Answer.objects.create(
                        case=case,
                        assignment=part,
                        round=round_,
                        answer_class=rng.choice(CLASSES),
                        text="答复",
                        signed_by="某局长",
                        answered_by=world.author,
                        answered_at=NOON,
                        on_time=rng.random() < 0.7,
                    )
            for deputy in rng.sample(world.deputies, rng.randint(0, len(world.deputies))):
                Rating.objects.create(
                    case=case, deputy=deputy, round=round_, value=rng.choice(Rating.Value.values)
                )
        if kind == Case.Kind.WISH:
            for _ in range(rng.randint(0, 3)):
                Claim.objects.create(
                    case=case,
                    donor=world.author,
                    kind=Claim.Kind.SHARE,
                    amount=Decimal(rng.randint(1, 30000)) / 100,
                    status=rng.choice(Claim.Status.values),
                )
    return cases


def figures(stats) -> dict:
    """What the page and the export show, row by row (a zero shown is a zero not stored)."""

    def row(r):
        return (
            r.key,
            str(r.label),
            r.cases,
            tuple(r.statuses()),
            tuple(r.kinds()),
            r.answers_due,
            r.answered_on_time,
            r.on_time_rate,
            r.answers,
            tuple(sorted((k, v) for k, v in r.by_class.items() if v)),
            r.ratings,
            tuple(r.by_rating.get(v, 0) for v in Rating.Value.values),
            r.satisfaction_rate,
            r.overdue,
            r.wishes_realised,
            r.value_donated,
            tuple(r.shares),
            r.assigned,
            r.answered,
            r.answer_rate,
            r.answers_met,
            r.meeting_rate,
            r.answers_implemented,
            r.implemented_rate,
            r.unrated,
        )

    return {
        "total": row(stats.total),
        "by_congress": [row(r) for r in stats.by_congress],
        "by_county": [row(r) for r in stats.by_county],
        "by_unit": [row(r) for r in stats.by_unit],
        "class_codes": stats.class_codes,
    }


@pytest.fixture
def world(jiangmen, city_deputy, county_deputy, kaiping_deputy, admin_user):
    from minsheng.congresses.models import Congress
    from minsheng.units.tests.factories import UnitFactory

    towns = list(Congress.objects.filter(region_prefix__startswith="440781").order_by("region_prefix")[1:4])
    congresses = [
        jiangmen,
        Congress.objects.get(place__code="440781"),
        Congress.objects.get(place__code="440783"),
        Congress.objects.get(place__code="440703"),
        *towns,
    ]
    units = [UnitFactory(name=f"江门市测试局{i}") for i in range(4)]
    # A congress of its own mind on what counts as 落实 (its own class 甲 and A, not B).
    CaseRules.objects.create(congress=congresses[1], implemented_classes=["A", "甲"])
    return World(
        congresses=congresses,
        units=units,
        deputies=[city_deputy, county_deputy, kaiping_deputy],
        author=admin_user,
    )


@pytest.fixture
def viewers(admin_user, city_staff, taishan_staff, kaiping_staff, world):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    town = world.congresses[4]
    town_staff = UserFactory(username="town_staff", role=User.Role.CONGRESS_STAFF, congress=town)
    return {
        "admin": admin_user,
        "city staff": city_staff,
        "county staff": taishan_staff,
        "other county staff": kaiping_staff,
        "town staff": town_staff,
    }


def filters_for(world: World) -> list[dict]:
    filters = [{}]
    filters += [{"year": year} for year in (2024, 2025, 2026, 2023)]
    filters += [{"kind": kind} for kind in Case.Kind.values]
    filters += [{"congress_id": c.pk} for c in world.congresses]
    filters += [{"year": 2026, "kind": Case.Kind.WISH, "congress_id": world.congresses[1].pk}]
    filters += [{"year": 2025, "kind": Case.Kind.SUGGESTION}]
    return filters


@pytest.mark.parametrize("seed", [20261127, 7])
def test_the_summary_table_gives_exactly_the_live_figures_for_every_scope_and_filter(seed, world, viewers):
    rng = random.Random(seed)
    with at(NOON):
        random_cases(world, rng, 120)
        result = rollup.rollup_refresh()
        assert result.full and result.rows > 0
        compared = 0
        for name, viewer in viewers.items():
            for f in filters_for(world):
                from_table = rollup.stats_from_rollup(viewer, **f)
                assert from_table is not None, (name, f)
                assert from_table.as_of == NOON
                live = stats_live(viewer, **f)
                assert figures(from_table) == figures(live), (name, f)
                compared += 1
                if from_table.total.cases:
                    compared += 1000
    assert compared > 1000 * 20  # most of the comparisons had cases in them


def test_a_refresh_is_idempotent(world, viewers):
    with at(NOON - dt.timedelta(hours=2)):
        random_cases(world, random.Random(1), 60)
    with at(NOON):
        rollup.rollup_refresh()
        first = table()
        again = rollup.rollup_refresh(full=True)
        assert table() == first
        assert again.rows == len(first)
        nothing = rollup.rollup_refresh()
        assert not nothing.full and nothing.congresses == 0
        assert table() == first


def table() -> list[tuple]:
    """The summary table's rows, without their ids."""
    columns = [f.attname for f in CaseStatsRollup._meta.concrete_fields if f.attname != "id"]
    return sorted(CaseStatsRollup.objects.values_list(*columns), key=repr)


def test_an_incremental_refresh_recomputes_only_the_congresses_that_changed(world, viewers):
    with at(NOON - dt.timedelta(hours=2)):
        cases = random_cases(world, random.Random(2), 80)
    with at(NOON - dt.timedelta(hours=1)):
        rollup.rollup_refresh()
    changed = next(c for c in cases if c.filed_at and c.congress_id == world.congresses[1].pk)
    with at(NOON):
        # What `services.case_withdraw` writes: the case, and its audit record.
        Case.objects.filter(pk=changed.pk).update(status=Case.Status.WITHDRAWN, updated_at=NOON)
        audit.record(world.author, "case.withdrawn", changed)
        before = rollup.stats_from_rollup(viewers["county staff"])
        assert figures(before) != figures(stats_live(viewers["county staff"]))
        result = rollup.rollup_refresh()
        assert not result.full and result.congresses == 1
        for viewer in viewers.values():
            assert figures(rollup.stats_from_rollup(viewer)) == figures(stats_live(viewer))


def test_a_new_rating_or_claim_alone_is_picked_up_by_its_audit_record(world, viewers):
    with at(NOON - dt.timedelta(hours=2)):
        cases = random_cases(world, random.Random(3), 40)
    with at(NOON - dt.timedelta(hours=1)):
        rollup.rollup_refresh()
    target = next(c for c in cases if c.filed_at and c.kind == Case.Kind.WISH)
    with at(NOON):
        Claim.objects.create(
            case=target,
            donor=world.author,
            kind=Claim.Kind.SHARE,
            amount=Decimal("77.70"),
            status="confirmed",
        )
        audit.record(world.author, "claim.confirmed", target)
        Rating.objects.create(case=target, deputy=world.deputies[0], round=3, value=Rating.Value.SATISFIED)
        audit.record(world.author, "case.rated", target)
        assert rollup.rollup_refresh().congresses == 1
        admin = viewers["admin"]
        assert figures(rollup.stats_from_rollup(admin)) == figures(stats_live(admin))


def test_a_refresh_that_dies_half_way_changes_nothing_and_can_be_run_again(world, viewers, monkeypatch):
    with at(NOON - dt.timedelta(hours=1)):
        cases = random_cases(world, random.Random(4), 60)
        rollup.rollup_refresh()
    before = table()
    state = CaseStatsRefresh.objects.values().get()
    Case.objects.filter(pk__in=[c.pk for c in cases[:10]]).update(status=Case.Status.CLOSED, updated_at=NOON)

    def dies(*args, **kwargs):
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(CaseStatsRollup.objects, "bulk_create", dies)
    with at(NOON), pytest.raises(RuntimeError):
        rollup.rollup_refresh(full=True)
    assert table() == before
    assert CaseStatsRefresh.objects.values().get() == state
    monkeypatch.undo()
    with at(NOON):
        rollup.rollup_refresh(full=True)  # the job, retried
        for viewer in viewers.values():
            assert figures(rollup.stats_from_rollup(viewer)) == figures(stats_live(viewer))


def test_a_write_around_the_services_waits_for_the_nightly_rebuild(world, viewers):
    with at(NOON - dt.timedelta(hours=2)):
        cases = random_cases(world, random.Random(10), 40)
    with at(NOON - dt.timedelta(hours=1)):
        rollup.rollup_refresh()
    admin = viewers["admin"]
    with at(NOON):
        Case.objects.filter(pk__in=[c.pk for c in cases if c.filed_at][:5]).update(status=Case.Status.REFUSED)
        assert rollup.rollup_refresh().congresses == 0  # no audit record: not seen
        assert figures(rollup.stats_from_rollup(admin)) != figures(stats_live(admin))
        rollup.rollup_refresh(full=True)
        assert figures(rollup.stats_from_rollup(admin)) == figures(stats_live(admin))


def test_the_table_does_not_answer_when_stale_or_for_other_roles(world, viewers, deputy_user):
    with at(NOON):
        random_cases(world, random.Random(5), 20)
        assert rollup.stats_from_rollup(viewers["admin"]) is None  # never refreshed
        rollup.rollup_refresh()
        assert rollup.stats_from_rollup(deputy_user) is None
        assert stats_for(viewers["admin"]).as_of == NOON
        assert stats_for(viewers["admin"], today=TODAY).as_of is None  # another day asked: live
    with at(NOON + dt.timedelta(hours=3)):  # the worker stopped: live figures
        assert rollup.stats_from_rollup(viewers["admin"]) is None
        assert stats_for(viewers["admin"]).as_of is None
    with at(NOON + dt.timedelta(days=1)):  # "overdue" was counted for yesterday
        assert rollup.stats_from_rollup(viewers["admin"]) is None
        result = rollup.rollup_refresh()  # the first refresh of a day is a full one
        assert result.full
        admin = viewers["admin"]
        assert figures(rollup.stats_from_rollup(admin)) == figures(stats_live(admin))


def test_the_rebuild_command_rebuilds_the_table(world):
    with at(NOON):
        random_cases(world, random.Random(6), 20)
        call_command("rebuild_case_stats", stdout=open("/dev/null", "w"))  # noqa: SIM115
        state = CaseStatsRefresh.objects.get()
        assert state.full_at == NOON and state.overdue_day == TODAY
        assert CaseStatsRollup.objects.filter(Q(unit__isnull=True), ~Q(answer_class="")).exists()


def test_the_page_and_the_export_read_the_table_within_a_small_query_budget(
    world, viewers, client, django_assert_max_num_queries
):
    with at(NOON):
        random_cases(world, random.Random(8), 80)
        rollup.rollup_refresh()
        for name in ("admin", "city staff", "town staff"):
            client.force_login(viewers[name])
            with django_assert_max_num_queries(16):
                response = client.get(reverse("insights:case_stats"), HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 200
            assert response.context["stats"].as_of == NOON
            assert b'data-testid="as-of"' in response.content
            assert "Figures as of" in response.content.decode()
            live = stats_live(viewers[name])
            assert response.context["stats"].total.cases == live.total.cases > 0
        with django_assert_max_num_queries(16):
            response = client.get(reverse("insights:case_stats_export"), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    last = [cell.value for cell in sheet[sheet.max_row]]
    assert last[0] == "Figures as of 2026-06-01 12:00, from the statistics summary."


def test_the_page_computes_live_figures_without_the_table(world, viewers, client):
    with at(NOON):
        random_cases(world, random.Random(9), 20)
        client.force_login(viewers["admin"])
        response = client.get(reverse("insights:case_stats"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["stats"].as_of is None
    assert b'data-testid="as-of"' not in response.content


@pytest.mark.django_db
def test_the_scheduler_enqueues_the_refresh_every_ten_minutes_and_the_rebuild_nightly(
    settings, django_capture_on_commit_callbacks
):
    from minsheng.common.management.commands.scheduler import run_due_jobs

    settings.MINSHENG = {
        **settings.MINSHENG,
        "PERIODIC_TASKS": [
            ("minsheng.insights.tasks.rebuild_case_stats", 0),
            ("minsheng.insights.tasks.refresh_case_stats", 0, 10),
        ],
    }
    refresh, rebuild = (
        "minsheng.insights.tasks.refresh_case_stats",
        "minsheng.insights.tasks.rebuild_case_stats",
    )
    with time_machine.travel(dt.datetime(2026, 3, 2, 0, 3).astimezone(), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_due_jobs() == [rebuild, refresh]
        assert run_due_jobs() == []
    with time_machine.travel(dt.datetime(2026, 3, 2, 0, 9).astimezone(), tick=False):
        assert run_due_jobs() == []
    with (
        time_machine.travel(dt.datetime(2026, 3, 2, 0, 10).astimezone(), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert run_due_jobs() == [refresh]
    assert rollup.CaseStatsRefresh.objects.get().congresses == 0
