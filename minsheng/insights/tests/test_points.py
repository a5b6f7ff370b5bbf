"""Duty points (履职积分): the counting rules with the arithmetic shown, the scheme's versions, bulletins
and contests (错重漏)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from minsheng.common.errors import DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.insights import points as P
from minsheng.insights import points_services as S
from minsheng.insights.models import PointsAdjustment, PointsContest, PointsEntry
from minsheng.insights.points_league import league

from .records_data import activity, at, filed_case, reception

D = Decimal


# --- the pure rules ------------------------------------------------------------------------------------------


def test_the_worked_example():
    """3 suggestions led, base 15, +10 per further one, cap 40: 15 + 10 + 10 = 35. One of them is 重点督办:
    +15 (base 15, cap 30). A 4th suggestion: 15 + 10 + 10 + 10 = 45 → capped at 40."""
    rules = {
        "suggestion_led": P.Rule("suggestion_led", D(15), D(10), D(40)),
        "suggestion_priority": P.Rule("suggestion_priority", D(15), D(15), D(30)),
    }
    entries = {e.kind: e for e in P.compute_entries({"suggestion_led": 3, "suggestion_priority": 1}, rules)}
    assert entries["suggestion_led"].points == 15 + 10 + 10 == 35
    assert not entries["suggestion_led"].capped
    assert entries["suggestion_priority"].points == 15
    assert P.total(entries.values()) == 35 + 15 == 50
    fourth = P.score(rules["suggestion_led"], 4)
    assert fourth.uncapped == 15 + 10 * 3 == 45 and fourth.points == 40 and fourth.capped
    assert P.score(rules["suggestion_led"], 0).points == 0
    assert P.compute_entries({"reception": 2}, rules) == []  # no rule: no points
    assert P.total([fourth], [D(-50)]) == 0  # never below zero


def test_rank_shares_places():
    assert P.rank({1: D(50), 2: D(35), 3: D(35), 4: D(10)}) == {1: 1, 2: 2, 3: 2, 4: 4}


def test_on_line():
    assert P.on_line("4407", "440781105")  # a town's duty counts for the city
    assert P.on_line("4407", "44")  # a provincial one too
    assert not P.on_line("440781", "440783")  # another county's does not


# --- schemes ---------------------------------------------------------------------------------------------------


pytestmark = pytest.mark.django_db


def test_a_negative_cap_or_score_is_refused_in_chinese(city_staff, city_congress):
    for values in ((15, 10, -1), (-5, 0, 10), (5, -1, 10)):
        with translation.override("zh-hans"), pytest.raises(DomainError) as exc:
            S.points_scheme_create(
                actor=city_staff, congress=city_congress, year=2026, rules={"reception": values}
            )
        assert exc.value.code == "negative"
        assert "不能为负" in str(exc.value.message)
    assert not S.scheme_in_force(city_congress, 2026)  # nothing half-saved


def test_only_covering_staff_make_a_scheme(kaiping_staff, city_congress):
    with pytest.raises(PermissionDenied):
        S.points_scheme_create(
            actor=kaiping_staff, congress=city_congress, year=2026, rules={"reception": (5, 5, 10)}
        )


@pytest.fixture
def scored(city_deputy, city_congress, haiyan_congress, station, city_staff):
    """曾丽 (city and 海宴镇 seats) in 2026: 3 city suggestions led (one 重点督办, one she also co-signs), a
    reception at the town's station with her listed twice, training in full at the city and in part at the
    town, a research trip of Kaiping's congress (within the city: on its line, not on the town's)."""
    d = city_deputy
    for i in range(3):
        filed_case(
            congress=city_congress,
            lead=d,
            by=city_staff,
            place=city_congress.place,
            priority=i == 0,
            cosigners=[d] if i == 1 else (),
            when=at(2026, 2 + i, 1),
        )
    reception(station=station, deputies=[d, d], by=city_staff, when=at(2026, 5, 1))
    activity(
        congress=city_congress,
        code="training",
        by=city_staff,
        participants={d: "present"},
        when=at(2026, 6, 1),
    )
    activity(
        congress=haiyan_congress,
        code="training",
        by=city_staff,
        participants={d: "part"},
        when=at(2026, 6, 2),
    )
    from minsheng.congresses.models import Congress

    kaiping = Congress.objects.get(place__code="440783")
    activity(
        congress=kaiping, code="research", by=city_staff, participants={d: "present"}, when=at(2026, 6, 3)
    )
    return d


RULES = {
    "suggestion_led": (15, 10, 40),
    "suggestion_priority": (15, 15, 30),
    "suggestion_cosigned": (3, 3, 15),
    "reception": (5, 5, 30),
    "training_full": (10, 10, 20),
    "training_part": (5, 5, 10),
    "activity_research": (8, 8, 24),
}


def _entries(scheme, deputy) -> dict:
    return {e.kind: e for e in PointsEntry.objects.filter(scheme=scheme, deputy=deputy)}


def test_points_follow_the_scheme(scored, city_staff, city_congress):
    with time_machine.travel(at(2026, 10, 8), tick=False):
        scheme = S.points_scheme_create(actor=city_staff, congress=city_congress, year=2026, rules=RULES)
    e = _entries(scheme, scored)
    assert (e["suggestion_led"].count, e["suggestion_led"].points) == (3, 15 + 10 + 10)  # 35
    assert (e["suggestion_priority"].count, e["suggestion_priority"].points) == (1, 15)
    assert "suggestion_cosigned" not in e  # led and co-signed by her: counted as led
    assert (e["reception"].count, e["reception"].points) == (1, 5)  # listed twice: once
    assert e["training_full"].points == 10 and e["training_part"].points == 5
    assert e["activity_research"].points == 8  # Kaiping lies within the city: on the city's line
    row = next(r for r in league(city_congress, 2026).rows if r.deputy_id == scored.pk)
    assert row.total == 35 + 15 + 5 + 10 + 5 + 8 == 78
    assert row.rank == 1


def test_the_town_scheme_counts_her_duties_once_too(scored, city_staff, haiyan_congress):
    """Her town seat: the town's scheme counts the town's duties and the city's (above it), each once."""
    with time_machine.travel(at(2026, 10, 8), tick=False):
        scheme = S.points_scheme_create(actor=city_staff, congress=haiyan_congress, year=2026, rules=RULES)
    e = _entries(scheme, scored)
    assert e["suggestion_led"].count == 3 and e["reception"].count == 1 and e["training_part"].count == 1
    assert "activity_research" not in e  # Kaiping's activity is not on 海宴镇's line


def test_versions_supersede_and_old_bulletins_keep_their_numbers(scored, city_staff, city_congress):
    with time_machine.travel(at(2026, 10, 8), tick=False):
        v1 = S.points_scheme_create(actor=city_staff, congress=city_congress, year=2026, rules=RULES)
        q3 = S.points_bulletin_publish(actor=city_staff, congress=city_congress, year=2026, quarter=3)
        v2 = S.points_scheme_create(
            actor=city_staff,
            congress=city_congress,
            year=2026,
            rules={**RULES, "suggestion_led": (20, 10, 50)},
        )
    v1.refresh_from_db()
    assert (v1.version, v2.version) == (1, 2) and v1.superseded_at is not None and v2.superseded_at is None
    assert S.scheme_in_force(city_congress, 2026) == v2
    mine = next(r for r in q3.rows if r["deputy_id"] == scored.pk)
    assert mine["total"] == "78.0"  # under version 1, frozen
    q3.refresh_from_db()
    assert next(r for r in q3.rows if r["deputy_id"] == scored.pk)["total"] == "78.0"
    assert q3.scheme == v1
    now = next(r for r in league(city_congress, 2026).rows if r.deputy_id == scored.pk)
    assert now.total == 78 - 35 + (20 + 10 + 10)  # 83 under version 2
    old = next(r for r in league(city_congress, 2026, version=1).rows if r.deputy_id == scored.pk)
    assert old.total == 78  # version 1 kept and readable


def test_a_bulletin_counts_duties_up_to_the_quarters_end(scored, city_staff, city_congress):
    activity(
        congress=city_congress,
        code="training",
        by=city_staff,
        participants={scored: "present"},
        when=at(2026, 10, 2),
    )
    with time_machine.travel(at(2026, 10, 8), tick=False):
        S.points_scheme_create(actor=city_staff, congress=city_congress, year=2026, rules=RULES)
        q3 = S.points_bulletin_publish(actor=city_staff, congress=city_congress, year=2026, quarter=3)
    mine = next(r for r in q3.rows if r["deputy_id"] == scored.pk)
    training = next(e for e in mine["entries"] if e["kind"] == "training_full")
    assert training["count"] == 1  # the October training is Q4's
    assert q3.until == dt.date(2026, 9, 30)


def test_the_q4_bulletin_waits_for_the_year_end(scored, city_staff, city_congress):
    """Clock frozen across the year end: on 31 December Q4 has not ended; on 2 January it has, and the last
    quarter is the fourth of the year before."""
    with time_machine.travel(at(2026, 12, 31, 23, 0), tick=False):
        S.points_scheme_create(actor=city_staff, congress=city_congress, year=2026, rules=RULES)
        assert S.last_quarter(dt.date(2026, 12, 31)) == (2026, 3)
        with pytest.raises(DomainError):
            S.points_bulletin_publish(actor=city_staff, congress=city_congress, year=2026, quarter=4)
    with time_machine.travel(at(2027, 1, 2), tick=False):
        assert S.last_quarter(dt.date(2027, 1, 2)) == (2026, 4)
        q4 = S.points_bulletin_publish(actor=city_staff, congress=city_congress, year=2026, quarter=4)
        assert q4.until == dt.date(2026, 12, 31)
        with pytest.raises(DomainError):  # once per quarter
            S.points_bulletin_publish(actor=city_staff, congress=city_congress, year=2026, quarter=4)


@pytest.fixture
def q3(scored, city_staff, city_congress):
    with time_machine.travel(at(2026, 10, 8), tick=False):
        S.points_scheme_create(actor=city_staff, congress=city_congress, year=2026, rules=RULES)
        return S.points_bulletin_publish(actor=city_staff, congress=city_congress, year=2026, quarter=3)


@pytest.fixture
def her(scored):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="zengli", role=User.Role.DEPUTY, deputy=scored)


def _total(congress, deputy) -> Decimal:
    return next(r for r in league(congress, 2026).rows if r.deputy_id == deputy.pk).total


def test_a_contest_changes_the_points_only_when_upheld(q3, her, city_staff, city_congress, scored):
    from minsheng.common.models import AuditRecord

    with time_machine.travel(at(2026, 10, 10), tick=False):
        missing = S.points_contest_file(
            actor=her,
            bulletin=q3,
            kind="activity_inspection",
            ground="missing",
            reason="7月参加了市人大集中视察",
        )
        twice = S.points_contest_file(
            actor=her, bulletin=q3, kind="reception", ground="duplicate", reason="重复"
        )
        assert _total(city_congress, scored) == 78  # pending: nothing changes
        S.points_contest_decide(actor=city_staff, contest=twice, uphold=False, reason="只计了一次")
        assert _total(city_congress, scored) == 78  # rejected: nothing changes
        S.points_contest_decide(actor=city_staff, contest=missing, uphold=True, reason="核实属实", delta="8")
        assert _total(city_congress, scored) == 78 + 8  # upheld: +8
        with pytest.raises(TransitionNotAllowed):
            S.points_contest_decide(actor=city_staff, contest=missing, uphold=False, reason="再议")
    missing.refresh_from_db()
    assert missing.status == PointsContest.Status.UPHELD and missing.decided_by == city_staff
    assert PointsAdjustment.objects.get(contest=missing).delta == 8
    assert AuditRecord.objects.filter(verb="points_contest.decided").count() == 2
    q3.refresh_from_db()
    assert (
        next(r for r in q3.rows if r["deputy_id"] == scored.pk)["total"] == "78.0"
    )  # the bulletin is frozen
    with time_machine.travel(at(2027, 1, 3), tick=False):
        q4 = S.points_bulletin_publish(actor=city_staff, congress=city_congress, year=2026, quarter=4)
    mine = next(r for r in q4.rows if r["deputy_id"] == scored.pk)
    assert mine["total"] == "86.0" and mine["adjustments"][0]["delta"] == "8.0"  # in the next bulletin


def test_a_contest_after_the_window_is_refused(q3, her, settings):
    days = settings.MINSHENG["POINTS_CONTEST_DAYS"]
    late = q3.published_at + dt.timedelta(days=days, minutes=1)
    with (
        time_machine.travel(late, tick=False),
        translation.override("zh-hans"),
        pytest.raises(DomainError) as exc,
    ):
        S.points_contest_file(actor=her, bulletin=q3, kind="reception", ground="wrong", reason="错了")
    assert exc.value.code == "window_closed"
    assert not PointsContest.objects.exists()


def test_only_a_listed_deputy_contests_and_only_staff_decide(q3, her, deputy_user, kaiping_staff):
    with pytest.raises(PermissionDenied):  # 陈海 is a town deputy: not in the city's bulletin
        S.points_contest_file(actor=deputy_user, bulletin=q3, kind="reception", ground="wrong", reason="x")
    with time_machine.travel(at(2026, 10, 10), tick=False):
        contest = S.points_contest_file(
            actor=her, bulletin=q3, kind="reception", ground="wrong", reason="错了"
        )
    with pytest.raises(PermissionDenied):
        S.points_contest_decide(actor=kaiping_staff, contest=contest, uphold=True, reason="x", delta=5)
    with pytest.raises(PermissionDenied):
        S.points_contest_decide(actor=her, contest=contest, uphold=True, reason="x", delta=5)


def test_an_upheld_contest_needs_a_change_and_a_reason(q3, her, city_staff):
    with time_machine.travel(at(2026, 10, 10), tick=False):
        contest = S.points_contest_file(
            actor=her, bulletin=q3, kind="reception", ground="wrong", reason="错了"
        )
    for kwargs in (
        {"reason": "属实", "delta": ""},
        {"reason": "属实", "delta": "0"},
        {"reason": " ", "delta": "5"},
    ):
        with pytest.raises(DomainError):
            S.points_contest_decide(actor=city_staff, contest=contest, uphold=True, **kwargs)
    contest.refresh_from_db()
    assert contest.status == PointsContest.Status.PENDING and not PointsAdjustment.objects.exists()


def test_the_league_reads_ranks_that_follow_the_totals(q3, her, city_staff, city_congress, scored, city_term):
    """The stored standings: every deputy of the congress ranked (1, 2, 2, 4) on entries + adjustments; a
    name filter narrows the rows, not the ranks; an upheld contest re-ranks at once."""
    from minsheng.deputies.tests.factories import SeatFactory
    from minsheng.insights.models import PointsStanding

    for name in ("甄一", "甄二", "甄三"):
        SeatFactory(term=city_term, deputy__name=name)
    S.points_compute(scheme=S.scheme_in_force(city_congress, 2026))
    table = league(city_congress, 2026)
    rows = list(table.rows)
    totals = {}
    for deputy_id, points in PointsEntry.objects.filter(scheme=table.scheme).values_list(
        "deputy_id", "points"
    ):
        totals[deputy_id] = totals.get(deputy_id, D(0)) + points
    everyone = {r.deputy_id: totals.get(r.deputy_id, D(0)) for r in rows}
    assert len(rows) == len(table.rows) == PointsStanding.objects.filter(scheme=table.scheme).count() > 1
    assert {r.deputy_id: r.rank for r in rows} == P.rank(everyone)
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    assert rows[0].deputy_id == scored.pk and rows[0].rank == 1
    assert sorted((r.name, r.rank) for r in rows[1:]) == sorted(
        [("甄一", 2), ("甄二", 2), ("甄三", 2)]
    )  # tied
    assert [(r.name, r.rank) for r in league(city_congress, 2026, q="甄二").rows] == [("甄二", 2)]
    with time_machine.travel(at(2026, 10, 10), tick=False):
        contest = S.points_contest_file(
            actor=her, bulletin=q3, kind="reception", ground="duplicate", reason="重复计算"
        )
        S.points_contest_decide(actor=city_staff, contest=contest, uphold=True, reason="属实", delta="-78")
    after = {r.deputy_id: r for r in league(city_congress, 2026).rows}
    assert after[scored.pk].total == 0
    assert after[scored.pk].rank == min(r.rank for r in after.values() if r.total == 0)
