"""One rule per action: what an actor may do with a solicitation, a proposal or a vote now, and with which
choices (units, places, sessions, candidates, marks, deputies, the presidium's decisions).

Pages render this answer (a control is shown for an offered action, with `data-action="<name>"`), the API
returns it as `available_actions` on the detail serializers (the same names), and every service calls
`require()` before it writes, so a job, a command or a forged request is refused the same way as a page that
never showed the button. `tests/test_actions.py` walks every role × state × action and checks that the three
agree.

An offer's refusal is the error the service raises (its class, code and message): permission first (403),
then the state (409), then the data (400/409). The `Offer`, its refusals and the asking are
`minsheng.common.actions`'; the rules are here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role
from minsheng.common.actions import Offer, Refusal, Tables, move_refusal, not_allowed
from minsheng.common.actions import first_refusal as _offer
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.permissions import can
from minsheng.congresses.models import Session
from minsheng.deputies.models import Seat

from . import rules, selectors
from .models import ELECTOR_PRESENT, BallotChoice, Elector, Proposal, Solicitation, VoteSession


def _manages(actor, congress) -> Callable[[], Refusal | None]:
    return lambda: None if can(actor, "voting.manage", congress) else not_allowed()


def _ids(qs) -> list[int]:
    return [int(pk) for pk in qs.values_list("pk", flat=True)]


# --- solicitations ----------------------------------------------------------------------------------------


def _solicitation_open(actor, s: Solicitation) -> Offer:
    return _offer("open", _manages(actor, s.congress), lambda: move_refusal(s, Solicitation.Status.OPEN))


def _solicitation_close(actor, s: Solicitation) -> Offer:
    return _offer("close", _manages(actor, s.congress), lambda: move_refusal(s, Solicitation.Status.CLOSED))


def _propose(actor, s: Solicitation) -> Offer:
    def is_open():
        if s.status != Solicitation.Status.OPEN:
            return TransitionNotAllowed(_("This solicitation is not open for proposals."), code="not_open")
        return None

    return _offer(
        "propose",
        lambda: None if can(actor, "voting.propose", s) else not_allowed(),
        is_open,
        choices=lambda: {"place_prefix": s.congress.region_prefix},
    )


def _add_candidate(actor, s: Solicitation) -> Offer:
    return _offer(
        "add_candidate",
        _manages(actor, s.congress),
        choices=lambda: {
            "lead_units": _ids(selectors.lead_units_for(s.congress)),
            "place_prefix": s.congress.region_prefix,
            "proposals": _ids(s.proposals.filter(status=Proposal.Status.ACCEPTED).order_by("pk")),
        },
    )


def _create_vote(actor, s: Solicitation) -> Offer:
    state: dict[str, Any] = {}

    def has_candidates():
        state["candidates"] = _ids(s.candidates.order_by("number"))
        if not state["candidates"]:
            return DomainError(_("Add the candidate projects first."), field="candidate_ids", code="required")
        return None

    def has_session():
        state["sessions"] = _ids(Session.objects.filter(term__congress=s.congress).order_by("-start_date"))
        if not state["sessions"]:
            return DomainError(
                _("Choose a session of %(congress)s.") % {"congress": s.congress.name},
                field="session",
                code="wrong_session",
            )
        return None

    def choices():
        kinds = [VoteSession.Kind.SATISFACTION.value]
        if len(state["candidates"]) >= 2:  # a selection needs more candidates than seats (差额)
            kinds.insert(0, VoteSession.Kind.SELECTION.value)
        return {"sessions": state["sessions"], "candidates": state["candidates"], "kinds": kinds}

    return _offer("create_vote", _manages(actor, s.congress), has_candidates, has_session, choices=choices)


SOLICITATION_ACTIONS: dict[str, Callable[[Any, Solicitation], Offer]] = {
    "open": _solicitation_open,
    "close": _solicitation_close,
    "propose": _propose,
    "add_candidate": _add_candidate,
    "create_vote": _create_vote,
}


# --- proposals --------------------------------------------------------------------------------------------


def _screen(actor, p: Proposal) -> Offer:
    return _offer(
        "screen",
        _manages(actor, p.solicitation.congress),
        lambda: move_refusal(p, Proposal.Status.ACCEPTED),
        choices=lambda: {"accept": [True, False], "reasons": list(Proposal.RejectReason.values)},
    )


PROPOSAL_ACTIONS: dict[str, Callable[[Any, Proposal], Offer]] = {"screen": _screen}


# --- votes ------------------------------------------------------------------------------------------------


def _vote_is_open(vote: VoteSession, message=None, code: str = "vote_not_open"):
    def check():
        if vote.status != VoteSession.Status.OPEN:
            return TransitionNotAllowed(
                message or _("This vote is not open: no ballot is accepted."), code=code
            )
        return None

    return check


def _marks(vote: VoteSession) -> dict[str, Any]:
    satisfaction = vote.kind == VoteSession.Kind.SATISFACTION
    marks = (
        [BallotChoice.Choice.SATISFIED, BallotChoice.Choice.MOSTLY, BallotChoice.Choice.DISSATISFIED]
        if satisfaction
        else [BallotChoice.Choice.FOR, BallotChoice.Choice.AGAINST, BallotChoice.Choice.ABSTAIN]
    )
    return {
        "candidates": _ids(vote.candidates.order_by("number")),
        "marks": [str(m.value) for m in marks],
        "max_for": None if satisfaction else vote.seats,
    }


def _vote_open(actor, vote: VoteSession) -> Offer:
    def has_electorate():
        seated = Seat.objects.filter(
            congress_id=vote.congress_id, term_id=vote.session.term_id, status=Seat.Status.ACTIVE
        )
        if not seated.exists():
            return DomainError(_("This congress has no deputies in office to vote."), code="no_electorate")
        return None

    return _offer(
        "open",
        _manages(actor, vote.congress),
        lambda: move_refusal(vote, VoteSession.Status.OPEN),
        has_electorate,
    )


def _deputies_left(vote: VoteSession, name: str, absent, message: str, code: str) -> Offer:
    """An action on one deputy of the electorate at a time: the deputies it may still be done for."""
    deputies = [int(d) for d in absent.order_by("deputy_id").values_list("deputy_id", flat=True)]
    if not deputies:
        return Offer(name, refusal=Conflict(message, code=code))
    return Offer(name, choices={"deputies": deputies})


def _check_in(actor, vote: VoteSession) -> Offer:
    first = _offer(
        "check_in",
        _manages(actor, vote.congress),
        _vote_is_open(vote, _("Check-in is only possible while the vote is open."), "not_open"),
    )
    if not first.allowed:
        return first
    return _deputies_left(
        vote,
        "check_in",
        vote.electors.exclude(ELECTOR_PRESENT),
        _("Every deputy of the electorate is present."),
        "all_present",
    )


def _paper_collected(actor, vote: VoteSession) -> Offer:
    first = _offer("paper_collected", _manages(actor, vote.congress), _vote_is_open(vote))
    if not first.allowed:
        return first
    return _deputies_left(
        vote,
        "paper_collected",
        vote.electors.filter(has_voted=False),
        _("Every deputy of the electorate has voted."),
        "all_voted",
    )


def _paper_entry(actor, vote: VoteSession) -> Offer:
    return _offer(
        "paper_entry", _manages(actor, vote.congress), _vote_is_open(vote), choices=lambda: _marks(vote)
    )


def _cast(actor, vote: VoteSession) -> Offer:
    state: dict[str, Elector | None] = {}

    def is_deputy():
        if not can(actor, "voting.vote", vote):
            return not_allowed()
        if getattr(actor, "deputy_id", None) is None or not has_role(actor, Role.DEPUTY):
            return PermissionDenied(_("Only a deputy can cast a ballot."))
        return None

    def in_electorate():
        state["elector"] = selectors.elector_of(vote, actor.deputy_id)
        if state["elector"] is None:
            return PermissionDenied(_("You are not in the electorate of this vote."))
        return None

    def not_voted():
        elector = state["elector"]
        if elector is not None and elector.has_voted:
            return Conflict(_("You have already voted in this vote."), code="already_voted")
        return None

    return _offer(
        "cast", is_deputy, _vote_is_open(vote), in_electorate, not_voted, choices=lambda: _marks(vote)
    )


def _close(actor, vote: VoteSession) -> Offer:
    def quorum():
        q = rules.vote_quorum(vote, selectors.present_count(vote))
        if not q.met:
            return TransitionNotAllowed(rules.no_quorum_message(q), code="no_quorum")
        return None

    return _offer(
        "close", _manages(actor, vote.congress), lambda: move_refusal(vote, VoteSession.Status.CLOSED), quorum
    )


def _publish(actor, vote: VoteSession) -> Offer:
    return _offer(
        "publish", _manages(actor, vote.congress), lambda: move_refusal(vote, VoteSession.Status.PUBLISHED)
    )


def _runoff_decide(actor, vote: VoteSession) -> Offer:
    from .services import runoff_refusal

    state: dict[str, Any] = {}

    def counted():
        if vote.status not in (VoteSession.Status.CLOSED, VoteSession.Status.PUBLISHED):
            return TransitionNotAllowed(_("The vote must be closed first."), code="not_closed")
        if vote.kind == VoteSession.Kind.SATISFACTION:
            return DomainError(_("A satisfaction vote has no further ballot."), code="no_runoff")
        if vote.presidium_decision:
            return Conflict(_("The presidium's decision is already recorded."), code="decided")
        return None

    def something_to_decide():
        state["result"] = result = selectors.vote_result(vote)
        if not result.decisions:
            return runoff_refusal(result, True)
        return None

    return _offer(
        "runoff_decide",
        _manages(actor, vote.congress),
        counted,
        something_to_decide,
        choices=lambda: {"hold": [bool(d) for d in state["result"].decisions]},
    )


VOTE_ACTIONS: dict[str, Callable[[Any, VoteSession], Offer]] = {
    "open": _vote_open,
    "check_in": _check_in,
    "paper_collected": _paper_collected,
    "paper_entry": _paper_entry,
    "cast": _cast,
    "close": _close,
    "publish": _publish,
    "runoff_decide": _runoff_decide,
}


# --- asking (common/actions.py) -----------------------------------------------------------------------------

TABLES = Tables({VoteSession: VOTE_ACTIONS, Solicitation: SOLICITATION_ACTIONS, Proposal: PROPOSAL_ACTIONS})
offer = TABLES.offer  # the one action `name` on `obj` for `actor`, now
offers = TABLES.offers  # every action on `obj` for `actor`, offered or not (in the table's order)
offered = TABLES.offered  # the actions `actor` may do with `obj` now: what pages render
available_actions = TABLES.available_actions  # the API's `available_actions`: [{name, choices}]
require = TABLES.require  # what every service asks before it writes: the offer, or its refusal raised
