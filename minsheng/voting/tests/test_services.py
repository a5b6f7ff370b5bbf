"""Every service of the voting app, its audit record, and the refusals that change nothing."""

import datetime as dt

import pytest
from django.utils import translation

from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord
from minsheng.voting import services
from minsheng.voting.models import (
    Ballot,
    BallotChoice,
    CandidateResult,
    Elector,
    PaperEntry,
    Proposal,
    Solicitation,
    VoteSession,
)

from .factories import CandidateFactory, SolicitationFactory, make_electorate, make_vote

pytestmark = pytest.mark.django_db


def last_audit(verb):
    return AuditRecord.objects.filter(verb=verb).order_by("-id").first()


def marks(vote, *fors, rest="against"):
    ids = sorted(vote.candidates.values_list("id", flat=True))
    return {cid: ("for" if i in fors else rest) for i, cid in enumerate(ids)}


def open_vote(vote, actor):
    return services.vote_open(actor=actor, vote_id=vote.pk)


# --- solicitation, proposals, candidates ----------------------------------------------------------------


def test_staff_open_a_solicitation_window_and_close_it(haiyan_congress, haiyan_staff):
    s = services.solicitation_create(
        actor=haiyan_staff,
        congress=haiyan_congress,
        year=2027,
        title="2027年民生实事征集",
        opens_on=dt.date(2026, 10, 1),
        closes_on=dt.date(2026, 11, 30),
    )
    assert s.status == Solicitation.Status.DRAFT
    assert last_audit("solicitation.created").actor == haiyan_staff
    services.solicitation_open(actor=haiyan_staff, solicitation_id=s.pk)
    services.solicitation_close(actor=haiyan_staff, solicitation_id=s.pk)
    s.refresh_from_db()
    assert s.status == Solicitation.Status.CLOSED
    assert last_audit("solicitation.closed").target_id == str(s.pk)
    with pytest.raises(TransitionNotAllowed):
        services.solicitation_open(actor=haiyan_staff, solicitation_id=s.pk)


def test_a_second_window_in_the_same_year_or_backwards_dates_are_refused(haiyan_congress, haiyan_staff):
    SolicitationFactory(congress=haiyan_congress, year=2027)
    kw = {"actor": haiyan_staff, "congress": haiyan_congress, "title": "x"}
    with pytest.raises(Conflict):
        services.solicitation_create(
            **kw, year=2027, opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 2, 1)
        )
    with pytest.raises(DomainError):
        services.solicitation_create(
            **kw, year=2028, opens_on=dt.date(2026, 2, 1), closes_on=dt.date(2026, 1, 1)
        )


def test_staff_of_another_county_cannot_open_a_window(haiyan_congress, kaiping_staff):
    with pytest.raises(PermissionDenied):
        services.solicitation_create(
            actor=kaiping_staff,
            congress=haiyan_congress,
            year=2027,
            title="x",
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 2, 1),
        )


def test_the_public_and_deputies_propose_while_open_and_staff_screen(
    haiyan_congress, haiyan_staff, deputy_user
):
    from django.contrib.auth.models import AnonymousUser

    s = SolicitationFactory(congress=haiyan_congress)
    public = services.proposal_submit(
        actor=AnonymousUser(), solicitation_id=s.pk, title="修村道", description="五丰村道路破损"
    )
    by_deputy = services.proposal_submit(
        actor=deputy_user, solicitation_id=s.pk, title="建公厕", description="墟镇缺公厕"
    )
    assert public.source == Proposal.Source.PUBLIC and public.deputy is None
    assert by_deputy.source == Proposal.Source.DEPUTY and by_deputy.deputy == deputy_user.deputy
    assert last_audit("proposal.submitted").actor == deputy_user

    services.proposal_screen(actor=haiyan_staff, proposal_id=public.pk, accept=True)
    with pytest.raises(DomainError):
        services.proposal_screen(actor=haiyan_staff, proposal_id=by_deputy.pk, accept=False)
    services.proposal_screen(actor=haiyan_staff, proposal_id=by_deputy.pk, accept=False, reason="petition")
    by_deputy.refresh_from_db()
    assert by_deputy.status == Proposal.Status.REJECTED and by_deputy.reject_reason == "petition"
    assert last_audit("proposal.screened").data == {"accepted": False, "reason": "petition"}
    with pytest.raises(TransitionNotAllowed):
        services.proposal_screen(actor=haiyan_staff, proposal_id=by_deputy.pk, accept=True)

    public.refresh_from_db()
    cand = services.candidate_add(
        actor=haiyan_staff,
        solicitation_id=s.pk,
        title="修村道",
        description="五丰村道路硬底化",
        lead_unit=CandidateFactory(solicitation=s, number=1).lead_unit,
        budget="80.5",
        proposal=public,
    )
    assert cand.number == 2 and str(cand.budget) == "80.50"
    assert last_audit("candidate.added").target_id == str(cand.pk)
    with pytest.raises(DomainError):
        services.candidate_add(
            actor=haiyan_staff,
            solicitation_id=s.pk,
            title="建公厕",
            description="x",
            lead_unit=cand.lead_unit,
            budget=1,
            proposal=by_deputy,
        )
    with pytest.raises(DomainError):
        services.candidate_add(
            actor=haiyan_staff,
            solicitation_id=s.pk,
            title="y",
            description="x",
            lead_unit=cand.lead_unit,
            budget=-1,
        )


def test_no_proposal_once_the_window_is_closed(haiyan_congress):
    s = SolicitationFactory(congress=haiyan_congress, status=Solicitation.Status.CLOSED)
    with pytest.raises(TransitionNotAllowed):
        services.proposal_submit(actor=None, solicitation_id=s.pk, title="t", description="d")
    assert not Proposal.objects.exists()


# --- votes ----------------------------------------------------------------------------------------------


def test_a_vote_needs_more_candidates_than_seats_and_a_session_of_its_congress(
    haiyan_congress, haiyan_session, haiyan_staff, city_term
):
    from .factories import SessionFactory

    s = SolicitationFactory(congress=haiyan_congress)
    for i in range(3):
        CandidateFactory(solicitation=s, number=i + 1)
    kw = {"actor": haiyan_staff, "solicitation_id": s.pk, "title": "票决"}
    with pytest.raises(DomainError) as err:
        services.vote_create(**kw, session=haiyan_session, seats=3)
    assert err.value.code == "not_competitive"
    with pytest.raises(DomainError) as err:
        services.vote_create(**kw, session=SessionFactory(term=city_term), seats=2)
    assert err.value.code == "wrong_session"
    vote = services.vote_create(**kw, session=haiyan_session, seats=2)
    assert vote.candidates.count() == 3 and vote.status == VoteSession.Status.DRAFT
    assert last_audit("vote.created").data == {"kind": "selection", "seats": 2, "candidates": 3}


def test_opening_snapshots_every_deputy_in_office_of_the_congress(
    vote, voters, haiyan_staff, county_deputy, city_deputy
):
    from minsheng.deputies.models import Seat

    ended = make_electorate(vote.session.term, 1, start=200_000, with_users=False)[0]
    Seat.objects.filter(deputy=ended).update(status=Seat.Status.ENDED)
    open_vote(vote, haiyan_staff)
    vote.refresh_from_db()
    electors = set(Elector.objects.filter(vote=vote).values_list("deputy_id", flat=True))
    # five voters + 曾丽 (a city deputy with a seat in 海宴镇 too); not 单国强 (Taishan), not the ended seat
    assert electors == {u.deputy_id for u in voters} | {city_deputy.pk}
    assert vote.electorate == 6 and vote.status == VoteSession.Status.OPEN
    assert last_audit("vote.opened").data == {"electorate": 6}
    with pytest.raises(TransitionNotAllowed):
        open_vote(vote, haiyan_staff)


def test_a_deputy_casts_a_ballot_and_gets_a_receipt(vote, voters, haiyan_staff):
    open_vote(vote, haiyan_staff)
    receipt = services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=marks(vote, 0, 1))
    assert len(receipt) == 12
    assert services.receipt_check(receipt=receipt.upper()) is True
    assert services.receipt_check(receipt="000000000000") is False
    elector = Elector.objects.get(vote=vote, deputy=voters[0].deputy)
    assert elector.has_voted and elector.channel == "online"
    assert Ballot.objects.get().receipt == receipt
    assert BallotChoice.objects.filter(choice="for").count() == 2
    record = last_audit("vote.ballot_cast")
    assert record.actor is None and record.data == {} and record.target_id == str(vote.pk)


def refused_nothing_changed(vote, ballots=0):
    assert Ballot.objects.filter(vote=vote).count() == ballots
    assert Elector.objects.filter(vote=vote, has_voted=True).count() == ballots


def test_a_second_ballot_from_the_same_deputy_is_refused(vote, voters, haiyan_staff):
    open_vote(vote, haiyan_staff)
    services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=marks(vote, 0))
    with translation.override("en"), pytest.raises(Conflict, match="already voted"):
        services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=marks(vote, 1))
    refused_nothing_changed(vote, 1)
    assert AuditRecord.objects.filter(verb="vote.ballot_cast").count() == 1


@pytest.mark.parametrize(
    "bad, code",
    [
        ("too_many", "too_many_for"),
        ("missing", "incomplete"),
        ("unknown", "unknown"),
        ("satisfaction_mark", "invalid_mark"),
    ],
)
def test_a_bad_ballot_is_refused_and_nothing_counted(vote, voters, haiyan_staff, bad, code):
    open_vote(vote, haiyan_staff)
    choices = {
        "too_many": marks(vote, 0, 1, 2),
        "missing": dict(list(marks(vote, 0).items())[:2]),
        "unknown": {**marks(vote, 0), 999999: "against"},
        "satisfaction_mark": marks(vote, 0, rest="satisfied"),
    }[bad]
    with pytest.raises(DomainError) as err:
        services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=choices)
    assert err.value.code == code
    refused_nothing_changed(vote)


def test_no_ballot_before_opening_or_after_closing(vote, voters, haiyan_staff):
    with pytest.raises(TransitionNotAllowed):
        services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=marks(vote, 0))
    open_vote(vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    with translation.override("en"), pytest.raises(TransitionNotAllowed, match="not open"):
        services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=marks(vote, 0))
    refused_nothing_changed(vote)


def test_a_deputy_outside_the_electorate_cannot_vote(vote, voters, haiyan_staff, county_deputy):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    open_vote(vote, haiyan_staff)
    outsider = UserFactory(role=User.Role.DEPUTY, deputy=county_deputy)
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=outsider, vote_id=vote.pk, choices=marks(vote, 0))
    with pytest.raises(PermissionDenied):
        services.ballot_cast(actor=haiyan_staff, vote_id=vote.pk, choices=marks(vote, 0))
    refused_nothing_changed(vote)


def test_closing_counts_by_the_rule_and_stores_the_results(vote, voters, haiyan_staff):
    open_vote(vote, haiyan_staff)  # electorate 5: more than half is 3
    services.elector_check_in(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[0].deputy_id)
    with pytest.raises(Conflict):
        services.elector_check_in(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[0].deputy_id)
    assert last_audit("vote.checked_in").data == {"deputy": voters[0].deputy_id}
    for u, fors in zip(voters[:4], [(0, 1), (0, 1), (0, 2), (1,)], strict=True):
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, *fors))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.CLOSED and vote.present == 4
    ids = sorted(vote.candidates.values_list("id", flat=True))
    rows = {r.candidate_id: r for r in CandidateResult.objects.filter(vote=vote)}
    assert [rows[c].votes_for for c in ids] == [3, 3, 1]
    assert [rows[c].votes_against for c in ids] == [1, 1, 3]
    assert [rows[c].outcome for c in ids] == ["chosen", "chosen", "below"]
    record = last_audit("vote.closed")
    assert record.actor == haiyan_staff
    assert record.data["ballots"] == 4 and sorted(record.data["chosen"]) == ids[:2]
    with pytest.raises(TransitionNotAllowed):
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    services.vote_publish(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.PUBLISHED and vote.published_at
    assert last_audit("vote.published").target_id == str(vote.pk)


def test_a_tie_goes_to_the_presidium_who_may_hold_a_further_ballot(vote, voters, haiyan_staff):
    open_vote(vote, haiyan_staff)
    for u, fors in zip(voters, [(0, 1), (0, 2), (0, 1), (0, 2), (1, 2)], strict=True):
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, *fors))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    outcomes = dict(CandidateResult.objects.filter(vote=vote).values_list("candidate_id", "outcome"))
    assert outcomes == {ids[0]: "chosen", ids[1]: "tied", ids[2]: "tied"}
    with pytest.raises(DomainError):
        services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=True, note="")
    runoff = services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=True, note="主席团决定另行投票")
    assert runoff.kind == VoteSession.Kind.RUNOFF and runoff.parent == vote and runoff.seats == 1
    assert sorted(runoff.candidates.values_list("id", flat=True)) == ids[1:]
    assert last_audit("vote.runoff_decided").data["candidates"] == ids[1:]
    with pytest.raises(Conflict):
        services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=False, note="again")
    # the further ballot runs the same way: a fresh electorate, at most 1 'for'
    open_vote(runoff, haiyan_staff)
    with pytest.raises(DomainError):
        services.ballot_cast(actor=voters[0], vote_id=runoff.pk, choices=marks(runoff, 0, 1))
    services.ballot_cast(actor=voters[0], vote_id=runoff.pk, choices=marks(runoff, 0))


def test_the_presidium_may_leave_the_seats_empty(vote, voters, haiyan_staff):
    open_vote(vote, haiyan_staff)
    services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=marks(vote, 0))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=False, note="空缺") is None
    vote.refresh_from_db()
    assert vote.presidium_decision == "空缺" and not vote.runoffs.exists()


def test_a_satisfaction_vote_rates_each_project(haiyan_congress, haiyan_session, voters, haiyan_staff):
    vote = make_vote(
        congress=haiyan_congress, session=haiyan_session, seats=2, candidates=2, kind="satisfaction"
    )
    open_vote(vote, haiyan_staff)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    for u, (a, b) in zip(
        voters[:4],
        [
            ("satisfied", "dissatisfied"),
            ("mostly", "dissatisfied"),
            ("dissatisfied", "satisfied"),
            ("satisfied", "mostly"),
        ],
        strict=True,
    ):
        services.ballot_cast(actor=u, vote_id=vote.pk, choices={ids[0]: a, ids[1]: b})
    with pytest.raises(DomainError):
        services.ballot_cast(actor=voters[4], vote_id=vote.pk, choices={ids[0]: "for", ids[1]: "for"})
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    rows = {r.candidate_id: r for r in CandidateResult.objects.filter(vote=vote)}
    assert (rows[ids[0]].satisfied, rows[ids[0]].mostly, rows[ids[0]].dissatisfied) == (2, 1, 1)
    assert rows[ids[0]].rank == 1 and rows[ids[1]].rank == 2


# --- paper ballots -----------------------------------------------------------------------------------------


def test_paper_ballots_count_when_two_staff_entries_match(vote, voters, haiyan_staff, second_staff):
    open_vote(vote, haiyan_staff)
    services.paper_ballot_collected(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[1].deputy_id)
    assert last_audit("vote.paper_collected").data == {}
    with pytest.raises(Conflict):
        services.ballot_cast(actor=voters[1], vote_id=vote.pk, choices=marks(vote, 0))
    choices = marks(vote, 0, 2)
    assert (
        services.paper_entry_add(actor=haiyan_staff, vote_id=vote.pk, serial="001", choices=choices) is None
    )
    with pytest.raises(Conflict):
        services.paper_entry_add(actor=haiyan_staff, vote_id=vote.pk, serial="001", choices=choices)
    ballot = services.paper_entry_add(actor=second_staff, vote_id=vote.pk, serial="001", choices=choices)
    assert ballot.is_paper and ballot.choices.filter(choice="for").count() == 2
    assert set(PaperEntry.objects.values_list("ballot", flat=True)) == {ballot.pk}
    assert last_audit("vote.paper_entered").data["counted"] is True


def test_paper_entries_that_differ_are_refused_and_nothing_counts(vote, voters, haiyan_staff, second_staff):
    open_vote(vote, haiyan_staff)
    services.paper_ballot_collected(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[1].deputy_id)
    services.paper_entry_add(actor=haiyan_staff, vote_id=vote.pk, serial="007", choices=marks(vote, 0))
    with translation.override("en"), pytest.raises(DomainError, match="differ") as err:
        services.paper_entry_add(actor=second_staff, vote_id=vote.pk, serial="007", choices=marks(vote, 1))
    assert err.value.code == "entries_differ"
    assert not Ballot.objects.exists()
    assert PaperEntry.objects.count() == 1


def test_paper_ballots_counted_never_exceed_those_collected(vote, voters, haiyan_staff, second_staff):
    open_vote(vote, haiyan_staff)
    services.paper_entry_add(actor=haiyan_staff, vote_id=vote.pk, serial="1", choices=marks(vote, 0))
    with pytest.raises(DomainError) as err:
        services.paper_entry_add(actor=second_staff, vote_id=vote.pk, serial="1", choices=marks(vote, 0))
    assert err.value.code == "more_than_collected"
    assert not Ballot.objects.exists()


def test_casting_a_ballot_takes_a_handful_of_queries(
    vote, voters, haiyan_staff, django_assert_max_num_queries
):
    open_vote(vote, haiyan_staff)
    choices = marks(vote, 0)
    # the vote, its lock FOR SHARE (PostgreSQL), its candidates, the elector, the ballot, its marks, the audit
    with django_assert_max_num_queries(7 + 2):  # + the savepoint of the test's transaction
        services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=choices)


def test_a_crash_in_the_middle_of_casting_keeps_nothing_and_the_deputy_can_vote_again(
    vote, voters, haiyan_staff, monkeypatch
):
    open_vote(vote, haiyan_staff)
    choices = marks(vote, 0)

    def crash(*args, **kwargs):
        raise RuntimeError("the server died after writing the ballot")

    monkeypatch.setattr(services.BallotChoice.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError):
        services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=choices)
    monkeypatch.undo()
    refused_nothing_changed(vote)
    receipt = services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=choices)
    assert services.receipt_check(receipt=receipt)
    refused_nothing_changed(vote, 1)


@pytest.mark.parametrize("service", ["vote_open", "vote_close", "vote_publish"])
def test_staff_of_another_county_cannot_run_the_vote(vote, voters, haiyan_staff, kaiping_staff, service):
    if service != "vote_open":
        open_vote(vote, haiyan_staff)
    if service == "vote_publish":
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    before = vote.__class__.objects.get(pk=vote.pk).status
    with pytest.raises(PermissionDenied):
        getattr(services, service)(actor=kaiping_staff, vote_id=vote.pk)
    assert vote.__class__.objects.get(pk=vote.pk).status == before
    with pytest.raises(PermissionDenied):
        services.elector_check_in(actor=voters[1], vote_id=vote.pk, deputy_id=voters[1].deputy_id)
