"""Writes of 民生实事项目票决制: solicitation, screening, candidates, votes, ballots, results, further ballots.

Rules: `voting.manage` on the congress for staff acts; `voting.vote` on the vote for casting (the service then
checks the deputy is in the electorate). Secrecy: a cast marks the deputy's `Elector` row (compare-and-set, so
a deputy votes once) and writes an unlinked `Ballot` in the same transaction; its audit record names only the
vote, with no actor, choices or ballot. Casting holds the vote row FOR SHARE (PostgreSQL) while it checks that
the vote is open; closing takes it FOR UPDATE, so a ballot is either counted or refused.
"""

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role
from minsheng.common import audit, clock
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.permissions import ensure
from minsheng.deputies.models import Seat

from . import actions, rules, selectors
from . import tally as rule
from .models import (
    ELECTOR_PRESENT,
    Ballot,
    BallotChoice,
    Candidate,
    CandidateResult,
    Elector,
    PaperEntry,
    Proposal,
    Solicitation,
    VoteSession,
)

SELECTION_MARKS = frozenset(
    {BallotChoice.Choice.FOR, BallotChoice.Choice.AGAINST, BallotChoice.Choice.ABSTAIN}
)
SATISFACTION_MARKS = frozenset(
    {BallotChoice.Choice.SATISFIED, BallotChoice.Choice.MOSTLY, BallotChoice.Choice.DISSATISFIED}
)


def _required(value, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field, code="required")
    return value


def _get(model, pk, *, lock: bool = True):
    qs = model.objects.select_for_update() if lock else model.objects
    try:
        return qs.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise DomainError(
            _("%(model)s not found.") % {"model": model._meta.verbose_name}, code="not_found"
        ) from None


# --- solicitation -----------------------------------------------------------------------------------------


@transaction.atomic
def solicitation_create(
    *, actor, congress, year: int, title: str, opens_on: dt.date, closes_on: dt.date
) -> Solicitation:
    ensure(actor, "voting.manage", congress)
    title = _required(title, "title", _("Enter a title."))
    checks.check_planned_date(opens_on, field="opens_on")
    checks.check_planned_date(closes_on, field="closes_on")
    if closes_on < opens_on:
        raise DomainError(_("The window cannot close before it opens."), field="closes_on", code="dates")
    if Solicitation.objects.filter(congress=congress, year=year).exists():
        raise Conflict(
            _("This congress already has a solicitation for %(year)d.") % {"year": year},
            field="year",
            code="duplicate",
        )
    solicitation = Solicitation.objects.create(
        congress=congress, year=year, title=title, opens_on=opens_on, closes_on=closes_on
    )
    audit.record(actor, "solicitation.created", solicitation, year=year)
    return solicitation


def _solicitation_move(actor, solicitation_id, action, status, verb) -> Solicitation:
    solicitation = _get(Solicitation, solicitation_id)
    actions.require(actor, action, solicitation)
    solicitation.move_to(status)
    solicitation.save(update_fields=["status", "updated_at"])
    audit.record(actor, verb, solicitation)
    return solicitation


@transaction.atomic
def solicitation_open(*, actor, solicitation_id) -> Solicitation:
    return _solicitation_move(actor, solicitation_id, "open", Solicitation.Status.OPEN, "solicitation.opened")


@transaction.atomic
def solicitation_close(*, actor, solicitation_id) -> Solicitation:
    return _solicitation_move(
        actor, solicitation_id, "close", Solicitation.Status.CLOSED, "solicitation.closed"
    )


def _check_place(place, offer: actions.Offer) -> None:
    """A place named by a proposal or a candidate lies in the congress's region (the offer's place_prefix)."""
    if place is not None and not str(getattr(place, "code", "")).startswith(offer.choices["place_prefix"]):
        raise DomainError(_("Choose a place of this congress's region."), field="place", code="foreign_place")


@transaction.atomic
def proposal_submit(*, actor, solicitation_id, title: str, description: str, place=None) -> Proposal:
    """Anyone proposes while the window is open; a signed-in deputy's proposal names the deputy."""
    solicitation = _get(Solicitation, solicitation_id, lock=False)
    offer = actions.require(actor, "propose", solicitation)
    _check_place(place, offer)
    title = _required(title, "title", _("Enter a title."))
    description = _required(description, "description", _("Describe the project."))
    checks.check_length(description, field="description", model=Proposal)
    if len(title) > 200:
        raise DomainError(_("At most %(n)d characters.") % {"n": 200}, field="title", code="max_length")
    deputy = getattr(actor, "deputy", None) if has_role(actor, Role.DEPUTY) else None
    proposal = Proposal.objects.create(
        solicitation=solicitation,
        source=Proposal.Source.DEPUTY if deputy else Proposal.Source.PUBLIC,
        deputy=deputy,
        title=title,
        description=description,
        place=place,
    )
    audit.record(actor, "proposal.submitted", proposal, source=proposal.source)
    return proposal


@transaction.atomic
def proposal_screen(*, actor, proposal_id, accept: bool, reason: str = "", note: str = "") -> Proposal:
    proposal = _get(Proposal, proposal_id)
    actions.require(actor, "screen", proposal)
    if not accept and reason not in Proposal.RejectReason.values:
        raise DomainError(_("Choose the reason for rejecting."), field="reason", code="reason_required")
    checks.check_length((note or "").strip(), field="note", limit=checks.limit(Proposal, "screening_note"))
    proposal.move_to(Proposal.Status.ACCEPTED if accept else Proposal.Status.REJECTED)
    proposal.reject_reason = "" if accept else reason
    proposal.screening_note = (note or "").strip()
    proposal.save(update_fields=["status", "reject_reason", "screening_note", "updated_at"])
    audit.record(actor, "proposal.screened", proposal, accepted=bool(accept), reason=proposal.reject_reason)
    return proposal


@transaction.atomic
def candidate_add(
    *, actor, solicitation_id, title: str, description: str, lead_unit, budget, place=None, proposal=None
) -> Candidate:
    solicitation = _get(Solicitation, solicitation_id)
    offer = actions.require(actor, "add_candidate", solicitation)
    title = _required(title, "title", _("Enter a title."))
    description = _required(description, "description", _("Describe the project."))
    checks.check_length(description, field="description", model=Candidate)
    if lead_unit is None:
        raise DomainError(_("Choose the lead unit."), field="lead_unit", code="required")
    if lead_unit.pk not in offer.choices["lead_units"]:
        raise DomainError(
            _("Choose a unit of this congress, of a congress in its region or of one above it."),
            field="lead_unit",
            code="foreign_unit",
        )
    _check_place(place, offer)
    try:
        budget = Decimal(str(budget))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter the budget as a number."), field="budget", code="invalid") from None
    if budget < 0 or not budget.is_finite():
        raise DomainError(_("The budget cannot be negative."), field="budget", code="negative")
    budget = budget.quantize(Decimal("0.01"))
    if budget >= Decimal("1e10"):
        raise DomainError(_("The budget is too large."), field="budget", code="too_large")
    if proposal is not None and (
        proposal.solicitation_id != solicitation.pk or proposal.status != Proposal.Status.ACCEPTED
    ):
        raise DomainError(
            _("Only a proposal of this solicitation that passed screening can become a candidate."),
            field="proposal",
            code="proposal_not_accepted",
        )
    number = (solicitation.candidates.aggregate(m=Max("number"))["m"] or 0) + 1
    candidate = Candidate.objects.create(
        solicitation=solicitation,
        proposal=proposal,
        number=number,
        title=title,
        description=description,
        lead_unit=lead_unit,
        budget=budget,
        place=place,
    )
    audit.record(actor, "candidate.added", candidate, number=number)
    return candidate


# --- votes ------------------------------------------------------------------------------------------------


@transaction.atomic
def vote_create(
    *, actor, solicitation_id, session, seats: int, title: str, candidate_ids=None, kind: str = "selection"
) -> VoteSession:
    """A vote in preparation. A selection vote needs more candidates than seats (差额). The congress's rules
    (rules.rules_for: quorum, tie rule) are copied onto the vote: it is counted by them."""
    solicitation = _get(Solicitation, solicitation_id)
    congress = solicitation.congress
    actions.require(actor, "create_vote", solicitation)
    if kind not in (VoteSession.Kind.SELECTION, VoteSession.Kind.SATISFACTION):
        raise DomainError(_("Choose the kind of vote."), field="kind", code="invalid_choice")
    if session is None or session.term.congress_id != congress.pk:
        raise DomainError(
            _("Choose a session of %(congress)s.") % {"congress": congress.name},
            field="session",
            code="wrong_session",
        )
    title = _required(title, "title", _("Enter a title."))
    candidates = list(solicitation.candidates.all())
    if candidate_ids is not None:
        wanted = {int(c) for c in candidate_ids}
        candidates = [c for c in candidates if c.pk in wanted]
        if len(candidates) != len(wanted):
            raise DomainError(
                _("Choose candidates of this solicitation only."), field="candidate_ids", code="foreign"
            )
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        seats = 0
    if seats < 1:
        raise DomainError(_("At least one project must be chosen."), field="seats", code="seats")
    if kind == VoteSession.Kind.SELECTION and len(candidates) <= seats:
        raise DomainError(
            _("There must be more candidates (%(n)d) than projects to choose (%(seats)d).")
            % {"n": len(candidates), "seats": seats},
            field="seats",
            code="not_competitive",
        )
    if not candidates:
        raise DomainError(_("Choose the projects to rate."), field="candidate_ids", code="required")
    own = rules.rules_for(congress)
    vote = VoteSession.objects.create(
        congress=congress,
        session=session,
        solicitation=solicitation,
        kind=kind,
        title=title,
        seats=seats,
        quorum=own.quorum_text,
        tie_rule=own.tie_rule,
    )
    vote.candidates.set(candidates)
    audit.record(
        actor,
        "vote.created",
        vote,
        kind=kind,
        seats=seats,
        candidates=len(candidates),
        quorum=vote.quorum,
        tie_rule=vote.tie_rule,
    )
    return vote


@transaction.atomic
def vote_open(*, actor, vote_id) -> VoteSession:
    """Open the ballot and snapshot the electorate (应到): every deputy with an active seat in the congress
    for the term of the vote's session."""
    vote = _get(VoteSession, vote_id)
    actions.require(actor, "open", vote)
    vote.move_to(VoteSession.Status.OPEN)
    deputy_ids = sorted(
        set(
            Seat.objects.filter(
                congress=vote.congress, term_id=vote.session.term_id, status=Seat.Status.ACTIVE
            ).values_list("deputy_id", flat=True)
        )
    )
    if not deputy_ids:
        raise DomainError(_("This congress has no deputies in office to vote."), code="no_electorate")
    Elector.objects.bulk_create([Elector(vote=vote, deputy_id=d) for d in deputy_ids], batch_size=1000)
    vote.electorate = len(deputy_ids)
    vote.opened_at = clock.now()
    vote.save(update_fields=["status", "electorate", "opened_at", "updated_at"])
    audit.record(actor, "vote.opened", vote, electorate=vote.electorate)
    return vote


def _elector_or_refuse(vote, deputy_id) -> Elector:
    try:
        return Elector.objects.select_for_update().get(vote=vote, deputy_id=deputy_id)
    except (Elector.DoesNotExist, ValueError, TypeError):
        raise DomainError(
            _("This deputy is not in the electorate of this vote."), field="deputy", code="not_elector"
        ) from None


@transaction.atomic
def elector_check_in(*, actor, vote_id, deputy_id) -> Elector:
    """实到: a deputy of the electorate is in the hall. One who has voted is present already (ELECTOR_PRESENT)."""
    vote = _get(VoteSession, vote_id, lock=False)
    actions.require(actor, "check_in", vote)
    elector = _elector_or_refuse(vote, deputy_id)
    if elector.checked_in_at is not None:
        raise Conflict(_("This deputy has already checked in."), code="already_checked_in")
    if elector.has_voted:
        raise Conflict(_("This deputy has voted and is present already."), code="already_present")
    elector.checked_in_at = clock.now()
    elector.save(update_fields=["checked_in_at"])
    audit.record(actor, "vote.checked_in", vote, deputy=elector.deputy_id)
    return elector


def _lock_open_vote_shared(vote: VoteSession) -> VoteSession:
    """The vote, checked OPEN while its row is held FOR SHARE until the transaction ends (PostgreSQL): many
    ballots go in at once, and `vote_close` (FOR UPDATE) waits for them — or they wait for it and see it
    closed. SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status FROM {VoteSession._meta.db_table} WHERE id = %s FOR SHARE", [vote.pk]
            )
            vote.status = cursor.fetchone()[0]
    if vote.status != VoteSession.Status.OPEN:
        raise TransitionNotAllowed(_("This vote is not open: no ballot is accepted."), code="vote_not_open")
    return vote


def _clean_choices(vote: VoteSession, choices, candidate_ids: set[int]) -> dict[int, str]:
    """{candidate id: mark}: every candidate of the vote marked exactly once, marks of the vote's kind, at
    most N 赞成 in a selection or further ballot."""
    if not isinstance(choices, dict):
        raise DomainError(_("Mark every candidate."), field="choices", code="incomplete")
    cleaned: dict[int, str] = {}
    for key, mark in choices.items():
        try:
            cid = int(key)
        except (TypeError, ValueError):
            raise DomainError(
                _("Unknown candidate on the ballot."), field="choices", code="unknown"
            ) from None
        if cid in cleaned:
            raise DomainError(_("A candidate is marked twice."), field="choices", code="twice")
        cleaned[cid] = str(mark)
    if set(cleaned) - candidate_ids:
        raise DomainError(_("Unknown candidate on the ballot."), field="choices", code="unknown")
    if set(cleaned) != candidate_ids:
        raise DomainError(_("Mark every candidate."), field="choices", code="incomplete")
    allowed = SATISFACTION_MARKS if vote.kind == VoteSession.Kind.SATISFACTION else SELECTION_MARKS
    if any(mark not in allowed for mark in cleaned.values()):
        raise DomainError(_("A mark is not valid for this vote."), field="choices", code="invalid_mark")
    if vote.kind != VoteSession.Kind.SATISFACTION:
        n_for = sum(1 for mark in cleaned.values() if mark == BallotChoice.Choice.FOR)
        if n_for > vote.seats:
            raise DomainError(
                _("At most %(n)d candidates may be marked “for”.") % {"n": vote.seats},
                field="choices",
                code="too_many_for",
            )
    return cleaned


def _new_receipt() -> str:
    return secrets.token_hex(6)


def _write_ballot(vote: VoteSession, cleaned: dict[int, str], *, is_paper: bool) -> Ballot:
    ballot = Ballot.objects.create(vote=vote, receipt=_new_receipt(), is_paper=is_paper)
    BallotChoice.objects.bulk_create(
        [BallotChoice(ballot=ballot, candidate_id=cid, choice=mark) for cid, mark in cleaned.items()]
    )
    return ballot


def _candidate_ids(vote: VoteSession) -> set[int]:
    return set(vote.candidates.values_list("id", flat=True))


@transaction.atomic
def ballot_cast(*, actor, vote_id, choices: dict) -> str:
    """The deputy's own ballot; returns the receipt code. The Elector flag and the Ballot are one
    transaction: a ballot confirmed to the deputy is stored, an interrupted one is not, and either way the
    deputy can vote once."""
    vote = _get(VoteSession, vote_id, lock=False)
    actions.require(actor, "cast", vote)
    ensure(actor, "voting.vote", vote)
    deputy_id = getattr(actor, "deputy_id", None)
    if deputy_id is None:
        raise PermissionDenied(_("Only a deputy can cast a ballot."))
    vote = _lock_open_vote_shared(vote)
    cleaned = _clean_choices(vote, choices, _candidate_ids(vote))
    marked = Elector.objects.filter(vote=vote, deputy_id=deputy_id, has_voted=False).update(
        has_voted=True, channel=Elector.Channel.ONLINE
    )
    if marked != 1:
        if Elector.objects.filter(vote=vote, deputy_id=deputy_id).exists():
            raise Conflict(_("You have already voted in this vote."), code="already_voted")
        raise PermissionDenied(_("You are not in the electorate of this vote."))
    ballot = _write_ballot(vote, cleaned, is_paper=False)
    audit.record(None, "vote.ballot_cast", vote)
    return ballot.receipt


@transaction.atomic
def paper_ballot_collected(*, actor, vote_id, deputy_id) -> Elector:
    """The deputy handed in a paper ballot in the hall: the elector has voted (paper). Never linked to the
    paper's entry."""
    vote = _get(VoteSession, vote_id, lock=False)
    actions.require(actor, "paper_collected", vote)
    ensure(actor, "voting.manage", vote.congress)
    vote = _lock_open_vote_shared(vote)
    marked = Elector.objects.filter(vote=vote, deputy_id=deputy_id, has_voted=False).update(
        has_voted=True, channel=Elector.Channel.PAPER
    )
    if marked != 1:
        elector = _elector_or_refuse(vote, deputy_id)
        raise Conflict(
            _("This deputy has already voted (%(how)s).") % {"how": elector.get_channel_display()},
            code="already_voted",
        )
    audit.record(actor, "vote.paper_collected", vote)
    return Elector.objects.get(vote=vote, deputy_id=deputy_id)


@transaction.atomic
def paper_entry_add(*, actor, vote_id, serial: str, choices: dict) -> Ballot | None:
    """One staff member's entry of a paper ballot. The second entry of the same paper, by someone else, must
    match the first: then the ballot counts (returned); a mismatch is refused and nothing counts."""
    vote = _get(VoteSession, vote_id)  # FOR UPDATE: paper entries are few, and must not outrun the count
    actions.require(actor, "paper_entry", vote)
    ensure(actor, "voting.manage", vote.congress)
    if vote.status != VoteSession.Status.OPEN:
        raise TransitionNotAllowed(_("This vote is not open: no ballot is accepted."), code="vote_not_open")
    serial = _required(serial, "serial", _("Enter the number of the paper ballot."))
    if len(serial) > 20:
        raise DomainError(_("At most %(n)d characters.") % {"n": 20}, field="serial", code="max_length")
    cleaned = _clean_choices(vote, choices, _candidate_ids(vote))
    stored = {str(cid): mark for cid, mark in sorted(cleaned.items())}
    entries = list(PaperEntry.objects.select_for_update().filter(vote=vote, serial=serial))
    if any(e.entered_by_id == actor.pk for e in entries):
        raise Conflict(_("You have already entered this paper ballot."), field="serial", code="entered_twice")
    if any(e.ballot_id for e in entries):
        raise Conflict(_("This paper ballot is already counted."), field="serial", code="counted")
    ballot = None
    if entries:
        first = entries[0]
        if first.choices != stored:
            raise DomainError(
                _("The two entries of paper ballot %(serial)s differ: check the paper and enter it again.")
                % {"serial": serial},
                field="choices",
                code="entries_differ",
            )
        collected = Elector.objects.filter(vote=vote, channel=Elector.Channel.PAPER).count()
        counted = Ballot.objects.filter(vote=vote, is_paper=True).count()
        if counted >= collected:
            raise DomainError(
                _("There are already as many paper ballots counted as were collected."),
                field="serial",
                code="more_than_collected",
            )
        ballot = _write_ballot(vote, cleaned, is_paper=True)
    try:
        with transaction.atomic():
            entry = PaperEntry.objects.create(
                vote=vote, serial=serial, entered_by=actor, choices=stored, ballot=ballot
            )
    except IntegrityError:
        raise Conflict(
            _("You have already entered this paper ballot."), field="serial", code="entered_twice"
        ) from None
    if ballot is not None:
        PaperEntry.objects.filter(pk=entries[0].pk).update(ballot=ballot)
    audit.record(actor, "vote.paper_entered", vote, serial=serial, counted=ballot is not None, entry=entry.pk)
    return ballot


def counts_of(vote: VoteSession) -> dict[int, dict[str, int]]:
    """{candidate id: {mark: number}} over the vote's ballots (one aggregate query)."""
    counts: dict[int, dict[str, int]] = {c: {} for c in _candidate_ids(vote)}
    rows = (
        BallotChoice.objects.filter(ballot__vote=vote)
        .values_list("candidate_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
    )
    for cid, mark, n in rows:
        counts.setdefault(cid, {})[mark] = n
    return counts


def result_of(vote: VoteSession, counts: dict[int, dict[str, int]] | None = None) -> rule.Result:
    """The rules applied to the vote's ballots (or to the given counts): the threshold of all deputies (应到),
    the vote's tie rule."""
    counts = counts_of(vote) if counts is None else counts
    return rule.tally(
        electorate=vote.electorate,
        seats=vote.seats,
        counts={
            cid: (c.get("for", 0), c.get("against", 0), c.get("abstain", 0)) for cid, c in counts.items()
        },
        tie_rule=vote.tie_rule,
    )


@transaction.atomic
def vote_close(*, actor, vote_id) -> VoteSession:
    """Close the ballot (one audited act), count it by the rules and store a CandidateResult per candidate,
    and the seats left empty (`shortfall`). Refused, and the ballot stays open, without the quorum: fewer
    deputies present (checked in, or voted) than the vote's quorum of all deputies (2/3 by default, 地方组织法
    Art 14). Locks the vote row. On commit, a job vacuums the elector table (`tasks.vacuum_electors`)."""
    vote = _get(VoteSession, vote_id)  # FOR UPDATE: waits for ballots being cast, then refuses new ones
    actions.require(actor, "close", vote)
    ensure(actor, "voting.manage", vote.congress)
    vote.move_to(VoteSession.Status.CLOSED)
    electors = Elector.objects.filter(vote=vote)
    present = electors.filter(ELECTOR_PRESENT).count()
    quorum = rules.vote_quorum(vote, present)
    if not quorum.met:
        raise TransitionNotAllowed(rules.no_quorum_message(quorum), code="no_quorum")
    vote.present = present
    vote.closed_at = clock.now()
    # Rewrite every elector row in this transaction: on PostgreSQL their row versions then carry the
    # closing transaction's id, not the id of the transaction that also wrote the ballot.
    electors.update(has_voted=F("has_voted"))
    counts = counts_of(vote)
    results = []
    if vote.kind == VoteSession.Kind.SATISFACTION:
        rates = {
            cid: rule.satisfaction_rate(c.get("satisfied", 0), c.get("mostly", 0), c.get("dissatisfied", 0))
            for cid, c in counts.items()
        }
        order = sorted(counts, key=lambda cid: (-(rates[cid] or -1), cid))
        for rank, cid in enumerate(order, 1):
            c = counts[cid]
            results.append(
                CandidateResult(
                    vote=vote,
                    candidate_id=cid,
                    satisfied=c.get("satisfied", 0),
                    mostly=c.get("mostly", 0),
                    dissatisfied=c.get("dissatisfied", 0),
                    rank=rank,
                )
            )
        summary: dict[str, object] = {"ballots": Ballot.objects.filter(vote=vote).count()}
    else:
        result = result_of(vote, counts)
        for cid, t in result.candidates.items():
            results.append(
                CandidateResult(
                    vote=vote,
                    candidate_id=cid,
                    votes_for=t.votes_for,
                    votes_against=t.votes_against,
                    abstentions=t.abstentions,
                    outcome=t.outcome,
                    rank=t.rank,
                )
            )
        vote.shortfall = result.shortfall
        summary = {
            "ballots": Ballot.objects.filter(vote=vote).count(),
            "chosen": [int(c) for c in result.chosen],
            "seats_left": result.seats_left,
            "tied": [int(c) for c in result.tied],
            "further_ballot_required": result.runoff_required,
            "shortfall": result.shortfall,
        }
    CandidateResult.objects.bulk_create(results)
    vote.save(update_fields=["status", "closed_at", "present", "shortfall", "updated_at"])
    audit.record(
        actor,
        "vote.closed",
        vote,
        electorate=vote.electorate,
        present=vote.present,
        quorum=vote.quorum,
        required=quorum.required,
        **summary,
    )
    transaction.on_commit(_enqueue_vacuum)
    return vote


def _enqueue_vacuum() -> None:
    from .tasks import vacuum_electors

    vacuum_electors.enqueue()


@transaction.atomic
def vote_publish(*, actor, vote_id) -> VoteSession:
    vote = _get(VoteSession, vote_id)
    actions.require(actor, "publish", vote)
    vote.move_to(VoteSession.Status.PUBLISHED)
    vote.published_at = clock.now()
    vote.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(actor, "vote.published", vote)
    return vote


def runoff_refusal(result: rule.Result, hold: bool) -> DomainError | None:
    """Why the presidium may not decide `hold` on this result (None when it may): the one rule the result page,
    the API and `runoff_decide` share (`Result.decisions`)."""
    if not result.seats_left:
        return DomainError(_("All seats are filled: there is no further ballot."), code="no_runoff")
    if hold in result.decisions:
        return None
    if result.runoff_required:
        return DomainError(
            _(
                "Candidates are tied for the last seat: by the rules a further ballot among the tied "
                "candidates must be held (应当再次投票); the seats cannot be left empty."
            ),
            field="hold",
            code="further_ballot_required",
        )
    if result.tie:
        return DomainError(
            _("By this congress's rules the seats of a tie for the last seat are left empty."),
            field="hold",
            code="tie_left_empty",
        )
    return DomainError(_("No candidate is left for a further ballot."), field="hold", code="no_runoff")


@transaction.atomic
def runoff_decide(*, actor, vote_id, hold: bool, note: str) -> VoteSession | None:
    """The presidium's decision on the seats a closed ballot left: a further ballot (returned, in
    preparation, with the vote's rules) or the seats left empty (None). A tie for the last seat goes to a
    further ballot among the tied (required by default; left empty only under the congress's tie rule
    "leave_empty"); a shortfall (fewer than N passed) is left to a later session, or a further ballot among the
    candidates not chosen is held now (the vote's shortfall then goes to the further ballot). Locks the vote."""
    vote = _get(VoteSession, vote_id)
    actions.require(actor, "runoff_decide", vote)  # closed, not a satisfaction vote, not yet decided
    note = _required(note, "note", _("Record the presidium's decision."))
    checks.check_length(note, field="note", limit=checks.limit(VoteSession, "presidium_decision"))
    result = selectors.vote_result(vote)
    refusal = runoff_refusal(result, bool(hold))
    if refusal is not None:
        raise refusal
    runoff = None
    if hold:
        runoff = VoteSession.objects.create(
            congress=vote.congress,
            session=vote.session,
            solicitation=vote.solicitation,
            kind=VoteSession.Kind.RUNOFF,
            parent=vote,
            title=_("%(title)s (further ballot)") % {"title": vote.title},
            seats=result.seats_left,
            quorum=vote.quorum,
            tie_rule=vote.tie_rule,
        )
        runoff.candidates.set(result.runoff)
    vote.presidium_decision = note
    vote.shortfall = 0 if hold else result.seats_left
    vote.save(update_fields=["presidium_decision", "shortfall", "updated_at"])
    audit.record(
        actor,
        "vote.runoff_decided",
        vote,
        hold=bool(hold),
        seats_left=result.seats_left,
        shortfall=vote.shortfall,
        candidates=[int(c) for c in result.runoff] if hold else [],
        runoff=runoff.pk if runoff else None,
    )
    return runoff


def receipt_check(*, receipt: str) -> bool:
    """Whether a ballot with this receipt code was counted: nothing more is revealed."""
    code = (receipt or "").strip().lower().replace(" ", "").replace("-", "")
    return bool(code) and Ballot.objects.filter(receipt=code).exists()
