"""Reads of votes, scoped to the caller: staff see the votes of the congresses they cover, deputies the votes
whose electorate they are in, everyone the published results."""

from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common.errors import PermissionDenied
from minsheng.congresses.models import Congress
from minsheng.places.models import Place
from minsheng.units.models import Unit

from . import rules, tally
from .models import (
    ELECTOR_PRESENT,
    CandidateResult,
    Elector,
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
