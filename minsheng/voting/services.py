"""Writes of 民生实事项目票决制: solicitation, screening, candidates, votes, ballots, results, further ballots.

Rules: `voting.manage` on the congress for staff acts; `voting.vote` on the vote for casting (the service then
checks the deputy is in the electorate). Secrecy (ballot_box.py, the README's threat model): a cast marks the
deputy's `Elector` row (compare-and-set, so a deputy votes once) and puts a `SealedBallot` in the vote's box in the
same transaction; its audit record says that the deputy voted, never what. Closing opens the box and writes the
counted ballots in a random order. Casting holds the vote row FOR SHARE (PostgreSQL) while it checks that the vote
is open; closing takes it FOR UPDATE, so a ballot is either counted or refused.
"""

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.accounts.permissions import Role, has_role
from minsheng.common import audit, clock
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.permissions import ensure
from minsheng.deputies.models import Seat
from minsheng.notifications.services import notify

from . import actions, ballot_box, pages, rules, selectors
from . import tally as rule
from .models import (
    ELECTOR_PRESENT,
    Ballot,
    BallotBox,
    BallotChoice,
    Candidate,
    CandidateResult,
    Elector,
    PaperEntry,
    Proposal,
    SealedBallot,
    Solicitation,
    VoteSession,
)

SELECTION_MARKS = frozenset(
    {BallotChoice.Choice.FOR, BallotChoice.Choice.AGAINST, BallotChoice.Choice.ABSTAIN}
)
SATISFACTION_MARKS = frozenset(
    {BallotChoice.Choice.SATISFIED, BallotChoice.Choice.MOSTLY, BallotChoice.Choice.DISSATISFIED}
)


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
    title = checks.required_text(title, field="title", message=_("Enter a title."))
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
    pages.congress_changed(solicitation.congress_id)  # the public results list the open solicitations
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
    title = checks.required_text(title, field="title", message=_("Enter a title."))
    description = checks.required_text(description, field="description", message=_("Describe the project."))
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
    title = checks.required_text(title, field="title", message=_("Enter a title."))
    description = checks.required_text(description, field="description", message=_("Describe the project."))
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
    title = checks.required_text(title, field="title", message=_("Enter a title."))
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
    BallotBox.objects.create(vote=vote, key=ballot_box.wrap(ballot_box.new_key()))
    audit.record(actor, "vote.opened", vote, electorate=vote.electorate)
    _tell_electors_vote_opened(vote, deputy_ids)
    return vote


def _tell_electors_vote_opened(vote: VoteSession, deputy_ids: list[int]) -> None:
    """票决 open: each deputy of the electorate is notified (in the app, and by e-mail/SMS as they chose), in
    the opening's transaction, with a link to the ballot."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Voting is open: %(title)s (%(congress)s). Cast your ballot.") % {
            "title": vote.title,
            "congress": vote.congress.name,
        }
    electors = User.objects.filter(deputy_id__in=deputy_ids, role=User.Role.DEPUTY, is_active=True)
    notify(
        electors,
        text=text,
        link=reverse("voting:vote", args=[vote.pk]),
        sms=True,
        key=f"vote-opened:{vote.pk}",
    )


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


def _box_key(vote: VoteSession) -> bytes:
    try:
        return ballot_box.unwrap(BallotBox.objects.get(vote=vote).key)
    except BallotBox.DoesNotExist:
        raise TransitionNotAllowed(
            _("This vote is not open: no ballot is accepted."), code="vote_not_open"
        ) from None


def _seal(vote: VoteSession, key: bytes, cleaned: dict[int, str]) -> str:
    """Put a ballot in the vote's sealed box; returns its receipt code."""
    receipt = ballot_box.new_receipt()
    SealedBallot.objects.create(
        vote=vote,
        sealed=ballot_box.seal(key, vote.pk, cleaned, receipt),
        tag=ballot_box.receipt_tag(key, receipt),
    )
    return receipt


def _write_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Rows written in exactly the given order, without building a model instance each: closing a vote writes
    tens of thousands of marks (PostgreSQL: one COPY; SQLite: one executemany)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _open_box(vote: VoteSession) -> int:
    """Open the vote's sealed box: decrypt every sealed ballot, write them as counted ballots in a random order
    (the marks too, shuffled as one list), delete the sealed ballots and the box key. Returns how many. Runs in
    the closing transaction, so every row it writes carries that transaction's id, not a cast's."""
    box = BallotBox.objects.filter(vote=vote).first()
    if box is None:
        return 0
    key = ballot_box.unwrap(box.key)
    sealed = SealedBallot.objects.filter(vote=vote).values_list("sealed", flat=True)
    opened = ballot_box.shuffled([ballot_box.unseal(key, vote.pk, s) for s in sealed])
    ballots = [(uuid.uuid4().hex, vote.pk, o.receipt) for o in opened]
    _write_rows(Ballot, ["id", "vote", "receipt"], ballots)
    marks = [
        (uuid.uuid4().hex, ballot[0], cid, mark)
        for ballot, o in zip(ballots, opened, strict=True)
        for cid, mark in o.marks.items()
    ]
    _write_rows(BallotChoice, ["id", "ballot", "candidate", "choice"], ballot_box.shuffled(marks))
    if connection.vendor == "sqlite":
        # Overwrite the deleted rows' bytes in the file too (PostgreSQL: the vacuum job on commit).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    SealedBallot.objects.filter(vote=vote).delete()
    box.delete()
    return len(ballots)


def _candidate_ids(vote: VoteSession) -> set[int]:
    return set(vote.candidates.values_list("id", flat=True))


@transaction.atomic
def ballot_cast(*, actor, vote_id, choices: dict) -> str:
    """The deputy's own ballot; returns the receipt code. The Elector flag and the Ballot are one
    transaction: a ballot confirmed to the deputy is stored, an interrupted one is not, and either way the
    deputy can vote once."""
    vote = _get(VoteSession, vote_id, lock=False)
    offer = actions.require(actor, "cast", vote)
    ensure(actor, "voting.vote", vote)
    deputy_id = getattr(actor, "deputy_id", None)
    if deputy_id is None:
        raise PermissionDenied(_("Only a deputy can cast a ballot."))
    vote = _lock_open_vote_shared(vote)
    cleaned = _clean_choices(vote, choices, set(offer.choices["candidates"]))  # the offer's candidates
    marked = Elector.objects.filter(vote=vote, deputy_id=deputy_id, has_voted=False).update(
        has_voted=True, channel=Elector.Channel.ONLINE
    )
    if marked != 1:
        if Elector.objects.filter(vote=vote, deputy_id=deputy_id).exists():
            raise Conflict(_("You have already voted in this vote."), code="already_voted")
        raise PermissionDenied(_("You are not in the electorate of this vote."))
    receipt = _seal(vote, _box_key(vote), cleaned)
    # That the deputy voted is public (实到); what the ballot says is only in the sealed box.
    audit.record(
        actor if actor.pk else None, "vote.voted", vote, deputy=deputy_id, channel=Elector.Channel.ONLINE
    )
    return receipt


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
    audit.record(actor, "vote.paper_collected", vote, deputy=deputy_id)
    return Elector.objects.get(vote=vote, deputy_id=deputy_id)


@transaction.atomic
def paper_entry_add(*, actor, vote_id, serial: str, choices: dict) -> bool:
    """One staff member's entry of a paper ballot. The second entry of the same paper, by someone else, must
    match the first: then the ballot counts (goes into the sealed box; True); a mismatch is refused and nothing
    counts. The entries' marks are sealed with the box key."""
    vote = _get(VoteSession, vote_id)  # FOR UPDATE: paper entries are few, and must not outrun the count
    actions.require(actor, "paper_entry", vote)
    ensure(actor, "voting.manage", vote.congress)
    if vote.status != VoteSession.Status.OPEN:
        raise TransitionNotAllowed(_("This vote is not open: no ballot is accepted."), code="vote_not_open")
    serial = checks.required_text(serial, field="serial", message=_("Enter the number of the paper ballot."))
    if len(serial) > 20:
        raise DomainError(_("At most %(n)d characters.") % {"n": 20}, field="serial", code="max_length")
    cleaned = _clean_choices(vote, choices, _candidate_ids(vote))
    key = _box_key(vote)
    entries = list(PaperEntry.objects.select_for_update().filter(vote=vote, serial=serial))
    if any(e.entered_by_id == actor.pk for e in entries):
        raise Conflict(_("You have already entered this paper ballot."), field="serial", code="entered_twice")
    if any(e.counted for e in entries):
        raise Conflict(_("This paper ballot is already counted."), field="serial", code="counted")
    matched = False
    if entries:
        first = entries[0]
        if ballot_box.unseal_marks(key, vote.pk, serial, first.marks) != cleaned:
            raise DomainError(
                _("The two entries of paper ballot %(serial)s differ: check the paper and enter it again.")
                % {"serial": serial},
                field="choices",
                code="entries_differ",
            )
        collected = Elector.objects.filter(vote=vote, channel=Elector.Channel.PAPER).count()
        counted = PaperEntry.objects.filter(vote=vote, counted=True).values("serial").distinct().count()
        if counted >= collected:
            raise DomainError(
                _("There are already as many paper ballots counted as were collected."),
                field="serial",
                code="more_than_collected",
            )
        _seal(vote, key, cleaned)
        matched = True
    try:
        with transaction.atomic():
            entry = PaperEntry.objects.create(
                vote=vote,
                serial=serial,
                entered_by=actor,
                marks=ballot_box.seal_marks(key, vote.pk, serial, cleaned),
                counted=matched,
            )
    except IntegrityError:
        raise Conflict(
            _("You have already entered this paper ballot."), field="serial", code="entered_twice"
        ) from None
    if matched:
        PaperEntry.objects.filter(pk=entries[0].pk).update(counted=True)
    audit.record(actor, "vote.paper_entered", vote, serial=serial, counted=matched, entry=entry.pk)
    return matched


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
    Art 14). Opens the sealed box (`_open_box`). Locks the vote row. On commit, a job vacuums the tables whose old
    row versions could be matched to the casts (`tasks.vacuum_electors`)."""
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
    _open_box(vote)
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
    pages.congress_changed(vote.congress_id)
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
    pages.congress_changed(vote.congress_id)
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
    note = checks.required_text(note, field="note", message=_("Record the presidium's decision."))
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
    pages.congress_changed(vote.congress_id)  # the result page shows the presidium's decision
    return runoff


RECEIPT_COUNTED = "counted"
RECEIPT_SEALED = "sealed"


def receipt_status(*, receipt: str) -> str | None:
    """What a receipt code says, and nothing more: `counted` (a counted ballot of a closed vote), `sealed` (in the
    sealed box of a vote still open: it is counted when the vote closes) or None (no such ballot)."""
    code = (receipt or "").strip().lower().replace(" ", "").replace("-", "")
    if not code:
        return None
    if Ballot.objects.filter(receipt=code).exists():
        return RECEIPT_COUNTED
    tags = [
        ballot_box.receipt_tag(ballot_box.unwrap(k), code)
        for k in BallotBox.objects.values_list("key", flat=True)
    ]
    if tags and SealedBallot.objects.filter(tag__in=tags).exists():
        return RECEIPT_SEALED
    return None


def receipt_check(*, receipt: str) -> bool:
    """Whether a ballot with this receipt code was counted or is in a sealed box to be counted."""
    return receipt_status(receipt=receipt) is not None
