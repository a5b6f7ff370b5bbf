"""Reads that span apps, scoped to the caller: the role home pages (each home one selector, a fixed number of
queries: see the query-budget tests in tests/test_homes.py; the donor's home reads accounts only and stays
there, `accounts.selectors.home_donor`) and the three-level vote dashboard (votes and projects)."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import DonorProfile, User
from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.accounts.selectors import donor_list_for, lockout_count_for
from minsheng.activities.selectors import duty_days_for_station, matters_overdue_for_station
from minsheng.common import clock, workdays
from minsheng.common.models import AuditRecord
from minsheng.common.permissions import can, ensure
from minsheng.common.readers import read
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy, Seat
from minsheng.projects.selectors import progress_summary
from minsheng.stations.models import Station, StationDeputy
from minsheng.units.models import Unit
from minsheng.voting.models import (
    ELECTOR_PRESENT,
    Candidate,
    CandidateResult,
    Elector,
    Proposal,
    Solicitation,
    VoteSession,
)


def home_congress_staff(actor) -> dict:
    """What a congress's staff see first: their congress, active seats by level in its region, stations,
    units, donors waiting, locked accounts, the latest imports."""
    congress = actor.congress
    prefix = congress.region_prefix
    seats_by_level = dict(
        Seat.objects.filter(status=Seat.Status.ACTIVE, congress__region_prefix__startswith=prefix)
        .values_list("congress__level")
        .annotate(n=Count("id"))
        .order_by()
    )
    levels = [
        (label, seats_by_level.get(level, 0))
        for level, label in Congress.Level.choices
        if level in seats_by_level or level in Congress.LOCAL_LEVELS
    ]
    stations = Station.objects.filter(congress__region_prefix__startswith=prefix).aggregate(
        total=Count("id"), open=Count("id", filter=Q(is_active=True))
    )
    units = Unit.objects.filter(congress__region_prefix__startswith=prefix, is_active=True).count()
    pending_donors = donor_list_for(actor, status=DonorProfile.Status.PENDING).count()
    imports = read("imports.latest", region_prefix=prefix, default=[])
    return {
        "congress": congress,
        "seats_by_level": levels,
        "seats_total": sum(seats_by_level.values()),
        "stations": stations,
        "units_count": units,
        "pending_donors": pending_donors,
        "locked_count": lockout_count_for(actor),
        "imports": imports,
        **_calendar_notice(actor),
    }


def _calendar_notice(actor) -> dict:
    """From 1 November while next year's holiday schedule is provisional: the homes ask for it."""
    return {
        "calendar_missing": workdays.next_year_needs_schedule(clock.today()),
        "calendar_can_edit": can(actor, "calendar.edit"),
    }


def home_admin(actor) -> dict:
    """The system overview: accounts by role, the size of the data, what waits for someone."""
    by_role = dict(User.objects.filter(is_active=True).values_list("role").annotate(n=Count("id")).order_by())
    return {
        "users_by_role": [(label, by_role.get(role, 0)) for role, label in User.Role.choices],
        "counts": [
            (_("Congresses"), Congress.objects.count()),
            (_("Deputies"), Deputy.objects.count()),
            (_("Seats in office"), Seat.objects.filter(status=Seat.Status.ACTIVE).count()),
            (_("Liaison stations"), Station.objects.count()),
            (_("Handling units"), Unit.objects.count()),
        ],
        "pending_donors": DonorProfile.objects.filter(status=DonorProfile.Status.PENDING).count(),
        "locked_count": lockout_count_for(actor),
        "imports": read("imports.latest", default=[]),
        "audit": list(AuditRecord.objects.select_related("actor")[:10]),
        **_calendar_notice(actor),
    }


def home_deputy(actor) -> dict:
    """A deputy's seats (all levels and terms) and the stations he or she is attached to."""
    deputy = actor.deputy
    seats = list(
        Seat.objects.filter(deputy=deputy)
        .select_related("congress", "term")
        .order_by("status", "congress__region_prefix", "-term__number")
    )
    attachments = list(
        StationDeputy.objects.filter(deputy=deputy)
        .select_related("station", "station__place")
        .order_by("station__place__code", "station__name")
    )
    return {"deputy": deputy, "seats": seats, "attachments": attachments}


def home_station_staff(actor) -> dict:
    """A station's staff: their station and the deputies attached to it, each with the active seats."""
    station = Station.objects.select_related("place", "congress").get(pk=actor.station_id)
    attachments = list(
        StationDeputy.objects.filter(station=station)
        .select_related("deputy")
        .prefetch_related(
            Prefetch(
                "deputy__seats",
                queryset=Seat.objects.filter(status=Seat.Status.ACTIVE).select_related("congress"),
                to_attr="active_seats",
            )
        )
        .order_by("deputy__name_sort")
    )
    today = clock.today()
    return {
        "station": station,
        "attachments": attachments,
        # 接待日: the deputies on duty today and the rest of this week; the matters past their answer date.
        "duty_days": duty_days_for_station(station.pk, today),
        "overdue_matters": matters_overdue_for_station(station.pk, today).count(),
    }


def home_unit_handler(actor) -> dict:
    """A unit's handler: the unit, the body above it, its handlers."""
    unit = Unit.objects.select_related("place", "congress", "parent").get(pk=actor.unit_id)
    handlers = list(User.objects.filter(unit=unit, is_active=True).order_by("display_name", "username"))
    return {"unit": unit, "handlers": handlers}


def home_public() -> dict:
    """What an anonymous visitor sees first: how many liaison stations are open."""
    return {"open_stations": Station.objects.filter(is_active=True).count()}


# --- the three-level vote dashboard (三级人大同步): votes and the chosen projects' progress ----------------

DASHBOARD_STATES = ("draft", "open", "closed", "published", "none")  # a vote's status, or no vote yet
LEVEL_DEPTH = {"city": 0, "county": 1, "township": 2}


def dashboard_query(params) -> dict[str, Any]:
    """year (default this year), level and state from a query string; nonsense falls back to no filter."""
    year = str(params.get("year", "")).strip()
    return {
        "year": int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else clock.today().year,
        "level": params.get("level", "") if params.get("level", "") in LEVEL_DEPTH else "",
        "state": params.get("state", "") if params.get("state", "") in DASHBOARD_STATES else "",
    }


def project_progress(congress_ids: list[int], year: int) -> dict[int, dict]:
    """The progress of each congress's chosen projects of `year`: {congress id: {projects, completed,
    terminated, average_progress, late_milestones}} (congresses without projects are left out). Two queries
    whatever the number of congresses (minsheng.projects.selectors.progress_summary)."""
    return progress_summary(congress_ids, year)


def _count(model, fk: str, **filters):
    """A correlated COUNT(*) of `model` rows pointing at the outer row by `fk` (0 when none)."""
    rows = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def dashboard_for(actor, *, year: int, level: str = "", state: str = "") -> dict:
    """Per congress in the caller's staff scope (city staff: the city and every county and town congress
    of the city; county staff: its own and its towns'; town staff: its own), for one year: the
    solicitation's state and counts, each vote's kind, state, 应到, 实到, voted, turnout, chosen of N, and
    `progress` (see `project_progress`); in the order city → each county → its towns, with totals.
    Filters: `level` (city/county/township), `state` (a vote status, or "none": no vote yet). Three
    queries, whatever the number of congresses."""
    ensure(actor, "voting.view_dashboard", None)
    prefix = staff_scope_prefix(actor) or ""
    congresses = Congress.objects.filter(
        level__in=Congress.LOCAL_LEVELS, region_prefix__startswith=prefix
    ).order_by("region_prefix")
    if level in LEVEL_DEPTH:
        congresses = congresses.filter(level=level)
    solicitations = (
        Solicitation.objects.filter(congress__in=congresses.values("pk"), year=year)
        .annotate(
            n_proposals=_count(Proposal, "solicitation"),
            n_accepted=_count(Proposal, "solicitation", status=Proposal.Status.ACCEPTED),
            n_candidates=_count(Candidate, "solicitation"),
        )
        .order_by()
    )
    votes = (
        VoteSession.objects.filter(congress__in=congresses.values("pk"), solicitation__year=year)
        .annotate(
            n_voted=_count(Elector, "vote", has_voted=True),
            n_present=Coalesce(  # 实到: models.ELECTOR_PRESENT, as vote_counts
                Subquery(
                    Elector.objects.filter(vote=OuterRef("pk"))
                    .filter(ELECTOR_PRESENT)
                    .order_by()
                    .values("vote")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            n_chosen=_count(CandidateResult, "vote", outcome=CandidateResult.Outcome.CHOSEN),
        )
        .order_by("created_at", "pk")
    )
    by_congress: dict[int, list[dict[str, Any]]] = {}
    for v in votes:
        by_congress.setdefault(v.congress_id, []).append(
            {
                "id": v.pk,
                "title": v.title,
                "kind": v.kind,
                "kind_label": str(v.get_kind_display()),
                "status": v.status,
                "status_label": str(v.get_status_display()),
                "electorate": v.electorate,
                "present": v.n_present,
                "voted": v.n_voted,
                "turnout": _percent(v.n_voted, v.electorate),
                "seats": v.seats,
                "chosen": v.n_chosen,
                "published": v.status == VoteSession.Status.PUBLISHED,
            }
        )
    solicitation_of = {s.congress_id: s for s in solicitations}
    rows: list[dict[str, Any]] = []
    for congress in congresses:
        congress_votes = by_congress.get(congress.pk, [])
        if state == "none" and congress_votes:
            continue
        if state in VoteSession.Status.values and not any(v["status"] == state for v in congress_votes):
            continue
        s = solicitation_of.get(congress.pk)
        rows.append(
            {
                "id": congress.pk,
                "name": congress.name,
                "level": congress.level,
                "level_label": str(congress.get_level_display()),
                "depth": LEVEL_DEPTH.get(congress.level, 0),
                "parent": congress.parent_id,
                "solicitation": None
                if s is None
                else {
                    "id": s.pk,
                    "title": s.title,
                    "status": s.status,
                    "status_label": str(s.get_status_display()),
                    "proposals": s.n_proposals,
                    "accepted": s.n_accepted,
                    "candidates": s.n_candidates,
                },
                "votes": congress_votes,
                "progress": {},
            }
        )
    progress = project_progress([row["id"] for row in rows], year)
    for row in rows:
        row["progress"] = progress.get(row["id"], {})
    all_votes = [v for row in rows for v in row["votes"]]
    electorate = sum(v["electorate"] for v in all_votes)
    voted = sum(v["voted"] for v in all_votes)
    solicited = [row["solicitation"] for row in rows if row["solicitation"]]
    totals = {
        "congresses": len(rows),
        "by_level": {lvl: sum(1 for row in rows if row["level"] == lvl) for lvl in LEVEL_DEPTH},
        "solicitations": len(solicited),
        "proposals": sum(s["proposals"] for s in solicited),
        "accepted": sum(s["accepted"] for s in solicited),
        "candidates": sum(s["candidates"] for s in solicited),
        "votes": len(all_votes),
        "by_state": {st: sum(1 for v in all_votes if v["status"] == st) for st in VoteSession.Status.values},
        "electorate": electorate,
        "present": sum(v["present"] for v in all_votes),
        "voted": voted,
        "turnout": _percent(voted, electorate),
        "seats": sum(v["seats"] for v in all_votes),
        "chosen": sum(v["chosen"] for v in all_votes),
    }
    return {
        "year": year,
        "level": level if level in LEVEL_DEPTH else "",
        "state": state if state in DASHBOARD_STATES else "",
        "rows": rows,
        "totals": totals,
        "any_open": totals["by_state"][VoteSession.Status.OPEN] > 0,
        "has_progress": any(row["progress"] for row in rows),
    }
