"""Reads of votes, scoped to the caller: staff see the votes of the congresses they cover, deputies the votes
whose electorate they are in, everyone the published results."""

from django.db.models import Q, QuerySet

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix

from .models import CandidateResult, Elector, Solicitation, VoteSession


def solicitations_for(actor) -> QuerySet[Solicitation]:
    prefix = staff_scope_prefix(actor)
    qs = Solicitation.objects.select_related("congress")
    if prefix is None:
        return qs.filter(status=Solicitation.Status.OPEN)
    return qs.filter(congress__region_prefix__startswith=prefix)


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


def elector_of(vote: VoteSession, deputy_id) -> Elector | None:
    return Elector.objects.filter(vote=vote, deputy_id=deputy_id).first()


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


def turnout(vote: VoteSession) -> dict[str, int]:
    """应到 / 实到 / voted so far (the number, never who voted how)."""
    electors = Elector.objects.filter(vote=vote)
    return {
        "electorate": vote.electorate,
        "checked_in": electors.filter(checked_in_at__isnull=False).count(),
        "voted": electors.filter(has_voted=True).count(),
    }
