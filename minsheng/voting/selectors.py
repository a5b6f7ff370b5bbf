"""Reads of votes, scoped to the caller: staff see the votes of the congresses they cover, deputies the votes
whose electorate they are in, everyone the published results."""

from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import ensure
from minsheng.congresses.models import Congress
from minsheng.places.models import Place
from minsheng.units.models import Unit

from . import rules, tally
from .models import (
    ELECTOR_PRESENT,
    Candidate,
    CandidateResult,
    Elector,
    Proposal,
    Solicitation,
    VoteSession,
)


def solicitations_for(actor) -> QuerySet[Solicitation]:
    """Everyone sees the windows open for proposals (the public proposes in them); staff also the others of
    the congresses they cover."""
    prefix = staff_scope_prefix(actor)
    qs = Solicitation.objects.select_related("congress")
    is_open = Q(status=Solicitation.Status.OPEN)
    if prefix is None:
        return qs.filter(is_open)
    return qs.filter(is_open | Q(congress__region_prefix__startswith=prefix))


def votes_for(actor) -> QuerySet[VoteSession]:
    """The votes `actor` may see: staff by region, a deputy those he or she is an elector of, and anyone
    the published ones."""
    qs = VoteSession.objects.select_related("congress", "session", "solicitation")
    published = Q(status=VoteSession.Status.PUBLISHED)
    prefix = staff_scope_prefix(actor)
    if prefix is not None:
        return qs.filter(published | Q(congress__region_prefix__startswith=prefix))
    if has_role(actor, Role.DEPUTY) and getattr(actor, "deputy_id", None):
        return qs.filter(published | Q(electors__deputy_id=actor.deputy_id)).distinct()
    return qs.filter(published)


def staff_solicitations(actor) -> QuerySet[Solicitation]:
    """Solicitations of the congresses the caller covers as staff (none for everyone else): pages and API."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Solicitation.objects.none()
    return Solicitation.objects.filter(congress__region_prefix__startswith=prefix)


def staff_votes(actor) -> QuerySet[VoteSession]:
    """Votes of the congresses the caller covers as staff (none for everyone else)."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return VoteSession.objects.none()
    return VoteSession.objects.filter(congress__region_prefix__startswith=prefix)


def deputy_elector(actor, vote_pk) -> Elector:
    """The caller's place in a vote's electorate; 403 for anyone but a deputy, 404 for a deputy who is not in
    the vote's electorate (another congress, or no such vote)."""
    if not has_role(actor, Role.DEPUTY) or not getattr(actor, "deputy_id", None):
        raise PermissionDenied(_("Only deputies vote."))
    return get_object_or_404(
        Elector.objects.select_related("vote", "vote__congress"), vote_id=vote_pk, deputy_id=actor.deputy_id
    )


def elector_of(vote: VoteSession, deputy_id) -> Elector | None:
    return Elector.objects.filter(vote=vote, deputy_id=deputy_id).first()


def electors_of(vote: VoteSession) -> QuerySet[Elector]:
    """The electorate (应到) with `present` (实到: `ELECTOR_PRESENT`, checked in or voted) on every row."""
    return vote.electors.annotate(present=ExpressionWrapper(ELECTOR_PRESENT, output_field=BooleanField()))


# --- 实到 and the law's figures: one answer for the pages, the API, the dashboard and the close ---------------


def vote_counts(vote: VoteSession) -> dict[str, Any]:
    """应到 (`expected`), 实到 (`present`: `models.ELECTOR_PRESENT`, checked in or voted — the count
    `services.vote_close` holds against the quorum), how many have voted (online and on paper), the ballots,
    and the quorum: how many must be present for the ballot to be closed and counted (`rules.vote_quorum`)."""
    counts: dict[str, Any] = vote.electors.aggregate(
        expected=Count("id"),
        present=Count("id", filter=ELECTOR_PRESENT),
        voted=Count("id", filter=Q(has_voted=True)),
        paper=Count("id", filter=Q(channel=Elector.Channel.PAPER)),
    )
    counts["ballots"] = vote.ballots.count()
    quorum = rules.vote_quorum(vote, counts["present"])
    counts["quorum"] = rules.quorum_text(quorum.fraction)
    counts["required"] = quorum.required
    counts["quorum_met"] = quorum.met
    return counts


def present_count(vote: VoteSession) -> int:
    """实到 alone (`models.ELECTOR_PRESENT`)."""
    return vote.electors.filter(ELECTOR_PRESENT).count()


def vote_threshold(vote: VoteSession) -> int:
    """The fewest 赞成 a candidate needs: more than half of ALL deputies (应到), as tally.py counts."""
    return tally.needed(vote.electorate)


def result_sheet(vote: VoteSession) -> dict[str, Any]:
    """The result sheet (page, PDF, Excel, API): the stored counts, the quorum, the threshold of all deputies,
    and what the rules leave to decide (`vote_result`: a further ballot required, a shortfall)."""
    results = list(
        CandidateResult.objects.filter(vote=vote).select_related("candidate", "candidate__lead_unit")
    )
    counts = vote_counts(vote)
    satisfaction = vote.kind == VoteSession.Kind.SATISFACTION
    outcome = None if satisfaction else vote_result(vote, results)
    decisions = outcome.decisions if outcome is not None and not vote.presidium_decision else ()
    return {
        "vote": vote,
        "results": results,
        "counts": counts,
        "threshold": vote_threshold(vote),
        "outcome": outcome,
        "decisions": decisions,
        "needs_runoff": bool(decisions),
        "runoff_required": bool(outcome and outcome.runoff_required and not vote.presidium_decision),
        "shortfall": 0 if satisfaction else vote.shortfall,
        "satisfaction": satisfaction,
    }


# --- the choices of a congress's votes -------------------------------------------------------------------


def lead_units_for(congress: Congress) -> QuerySet[Unit]:
    """The units that may lead a candidate project (and the project it becomes) of `congress`: active units
    supervised by the congress, by a congress within its region, or by one above it (a town's project is
    often led by a county's department)."""
    prefix = congress.region_prefix
    above = [prefix[:i] for i in range(len(prefix))]
    return (
        Unit.objects.filter(is_active=True)
        .filter(Q(congress__region_prefix__startswith=prefix) | Q(congress__region_prefix__in=above))
        .order_by("place__code", "kind", "name")
    )


def places_for(congress: Congress) -> QuerySet[Place]:
    """The places a proposal, a candidate or a project of `congress` may name: those of its region."""
    return Place.objects.filter(code__startswith=congress.region_prefix).order_by("code")


def open_votes_of_deputy(deputy_id) -> QuerySet[VoteSession]:
    """The open votes a deputy is an elector of and has not voted in yet."""
    return VoteSession.objects.filter(
        status=VoteSession.Status.OPEN, electors__deputy_id=deputy_id, electors__has_voted=False
    ).select_related("congress")


def results_of(vote: VoteSession) -> QuerySet[CandidateResult]:
    """The result sheet's rows, best first."""
    return vote.results.select_related("candidate", "candidate__lead_unit").order_by(
        "rank", "candidate__number"
    )


def vote_result(vote: VoteSession, results=None) -> tally.Result:
    """The rules (tally.py) applied to the counts stored at closing: the result sheet, the API and the
    presidium's decision (services.runoff_decide) read the same answer."""
    rows = vote.results.all() if results is None else results
    return tally.tally(
        electorate=vote.electorate,
        seats=vote.seats,
        counts={r.candidate_id: (r.votes_for, r.votes_against, r.abstentions) for r in rows},
        tie_rule=vote.tie_rule,
    )


# --- the three-level dashboard (三级人大同步) -------------------------------------------------------------

DASHBOARD_STATES = ("draft", "open", "closed", "published", "none")  # a vote's status, or no vote yet
LEVEL_DEPTH = {"city": 0, "county": 1, "township": 2}


def dashboard_query(params) -> dict[str, Any]:
    """year (default this year), level and state from a query string; nonsense falls back to no filter."""
    from minsheng.common import clock

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
    from minsheng.projects.selectors import progress_summary

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
