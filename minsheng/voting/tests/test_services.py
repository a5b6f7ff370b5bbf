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

from .factories import (
    CandidateFactory,
    SolicitationFactory,
    check_in_quorum,
    in_box,
    make_electorate,
    make_vote,
    peek_box,
)

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
    assert last_audit("vote.created").data == {
        "kind": "selection",
        "seats": 2,
        "candidates": 3,
        "quorum": "2/3",
        "tie_rule": "further_ballot",
    }


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
    assert services.receipt_status(receipt=receipt) == "sealed"
    elector = Elector.objects.get(vote=vote, deputy=voters[0].deputy)
    assert elector.has_voted and elector.channel == "online"
    # nothing is counted while the vote is open: the ballot is in the sealed box
    assert not Ballot.objects.exists() and not BallotChoice.objects.exists()
    (sealed,) = peek_box(vote)
    assert sealed.receipt == receipt and list(sealed.marks.values()).count("for") == 2
    # the audit trail says THAT the deputy voted (public: 实到), never what or which ballot
    record = last_audit("vote.voted")
    assert record.actor == voters[0] and record.target_id == str(vote.pk)
    assert record.data == {"deputy": voters[0].deputy_id, "channel": "online"}
    check_in_quorum(vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert Ballot.objects.get().receipt == receipt
    assert BallotChoice.objects.filter(choice="for").count() == 2
    assert services.receipt_status(receipt=receipt) == "counted"
    assert in_box(vote) == 0


def refused_nothing_changed(vote, ballots=0):
    assert in_box(vote) == ballots
    assert Elector.objects.filter(vote=vote, has_voted=True).count() == ballots


def test_a_second_ballot_from_the_same_deputy_is_refused(vote, voters, haiyan_staff):
    open_vote(vote, haiyan_staff)
    services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=marks(vote, 0))
    with translation.override("en"), pytest.raises(Conflict, match="already voted"):
        services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=marks(vote, 1))
    refused_nothing_changed(vote, 1)
    assert AuditRecord.objects.filter(verb="vote.voted").count() == 1


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
    check_in_quorum(vote, haiyan_staff)
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


# --- quorum, threshold, ties and shortfall ----------------------------------------------------------------


def test_closing_without_two_thirds_present_is_refused_with_the_counts_and_changes_nothing(
    vote, voters, haiyan_staff
):
    open_vote(vote, haiyan_staff)  # electorate 5: two thirds is 3.33, so 4 must be present
    for u in voters[:2]:
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, 0))
    services.elector_check_in(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[2].deputy_id)
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as err:
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert err.value.code == "no_quorum"
    assert "3 of the 5 deputies are present" in err.value.message
    assert "at least 4 (2/3 of all deputies)" in err.value.message
    with translation.override("zh-hans"), pytest.raises(TransitionNotAllowed) as err:
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert "全体代表5名，实到3名" in err.value.message and "至少4名" in err.value.message
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.OPEN and vote.closed_at is None and vote.present == 0
    assert not CandidateResult.objects.filter(vote=vote).exists()
    assert last_audit("vote.closed") is None
    # the ballot stays open: one more deputy present, and it closes
    services.ballot_cast(actor=voters[3], vote_id=vote.pk, choices=marks(vote, 0))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.CLOSED and vote.present == 4
    record = last_audit("vote.closed")
    assert (record.data["present"], record.data["required"], record.data["quorum"]) == (4, 4, "2/3")


def test_exactly_two_thirds_present_is_a_quorum(haiyan_congress, haiyan_session, haiyan_term, haiyan_staff):
    vote = make_vote(congress=haiyan_congress, session=haiyan_session, seats=1, candidates=2)
    electorate = make_electorate(haiyan_term, 9, with_users=False)
    open_vote(vote, haiyan_staff)
    vote.refresh_from_db()
    assert vote.electorate >= 9
    present_needed = -(-2 * vote.electorate // 3)
    ids = list(Elector.objects.filter(vote=vote).order_by("deputy_id").values_list("deputy_id", flat=True))
    for deputy_id in ids[: present_needed - 1]:
        services.elector_check_in(actor=haiyan_staff, vote_id=vote.pk, deputy_id=deputy_id)
    with pytest.raises(TransitionNotAllowed):
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    services.elector_check_in(actor=haiyan_staff, vote_id=vote.pk, deputy_id=ids[present_needed - 1])
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.CLOSED and vote.present == present_needed
    assert electorate  # the nine deputies made the electorate


def test_a_congress_with_its_own_quorum_closes_with_that_many_present(vote, voters, haiyan_staff):
    from minsheng.voting.models import VotingRules

    VotingRules.objects.create(congress=vote.congress, quorum="1/2")
    vote = make_vote(congress=vote.congress, session=vote.session, seats=1, candidates=2, year=2027)
    vote = services.vote_create(
        actor=haiyan_staff,
        solicitation_id=vote.solicitation_id,
        session=vote.session,
        seats=1,
        title="按本级规则的法定人数",
    )
    assert vote.quorum == "1/2"
    open_vote(vote, haiyan_staff)  # electorate 5: half is 2.5, so 3 must be present
    for u in voters[:3]:
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, 0))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert last_audit("vote.closed").data["required"] == 3


def test_the_installation_setting_changes_the_default_quorum_and_a_congress_rule_wins(
    settings, haiyan_congress, taishan_congress
):
    from minsheng.voting.models import VotingRules
    from minsheng.voting.rules import rules_for

    assert (str(rules_for(haiyan_congress).quorum), rules_for(haiyan_congress).tie_rule) == (
        "2/3",
        "further_ballot",
    )
    settings.MINSHENG = {**settings.MINSHENG, "VOTING_RULES": {"quorum": "3/4", "tie_rule": "leave_empty"}}
    assert (str(rules_for(haiyan_congress).quorum), rules_for(haiyan_congress).tie_rule) == (
        "3/4",
        "leave_empty",
    )
    VotingRules.objects.create(congress=taishan_congress, quorum="", tie_rule="further_ballot")
    taishan_congress.refresh_from_db()
    assert (str(rules_for(taishan_congress).quorum), rules_for(taishan_congress).tie_rule) == (
        "3/4",
        "further_ballot",
    )


def test_a_quorum_that_is_not_a_fraction_up_to_one_is_refused_by_the_model(haiyan_congress):
    from django.core.exceptions import ValidationError

    from minsheng.voting.models import VotingRules

    for bad in ("3/2", "0", "two thirds", "1/0", "0.66666667"):
        with pytest.raises(ValidationError):
            VotingRules(congress=haiyan_congress, quorum=bad).full_clean()
    VotingRules(congress=haiyan_congress, quorum="0.6").full_clean()


def test_a_majority_of_those_present_is_not_enough_without_a_majority_of_all_deputies(
    haiyan_congress, haiyan_session, haiyan_term, voters, haiyan_staff
):
    make_electorate(haiyan_term, 4, start=300_000)
    vote = make_vote(congress=haiyan_congress, session=haiyan_session, seats=1, candidates=2)
    open_vote(vote, haiyan_staff)
    vote.refresh_from_db()
    assert vote.electorate == 9  # all deputies: threshold 5
    check_in_quorum(vote, haiyan_staff)  # 6 present
    for u in voters[:4]:  # 4 赞成 of 6 present is a majority of those present, not of all deputies
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, 0))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    first = CandidateResult.objects.get(vote=vote, candidate__number=1)
    assert (first.votes_for, first.outcome) == (4, "below")
    assert vote.shortfall == 1
    assert last_audit("vote.closed").data["shortfall"] == 1


def test_a_tie_for_the_last_seat_must_go_to_a_further_ballot(vote, voters, haiyan_staff):
    open_vote(vote, haiyan_staff)
    for u, fors in zip(voters, [(0, 1), (0, 2), (0, 1), (0, 2), (1, 2)], strict=True):
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, *fors))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    ids = sorted(vote.candidates.values_list("id", flat=True))
    outcomes = dict(CandidateResult.objects.filter(vote=vote).values_list("candidate_id", "outcome"))
    assert outcomes == {ids[0]: "chosen", ids[1]: "tied", ids[2]: "tied"}
    assert vote.shortfall == 0  # the seat goes to the further ballot
    closed = last_audit("vote.closed").data
    assert (closed["further_ballot_required"], sorted(closed["tied"])) == (True, ids[1:])
    with translation.override("en"), pytest.raises(DomainError, match="must be held") as err:
        services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=False, note="空缺")
    assert err.value.code == "further_ballot_required"
    vote.refresh_from_db()
    assert vote.presidium_decision == "" and last_audit("vote.runoff_decided") is None
    with pytest.raises(DomainError):
        services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=True, note="")
    runoff = services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=True, note="主席团决定再次投票")
    assert runoff.kind == VoteSession.Kind.RUNOFF and runoff.parent == vote and runoff.seats == 1
    assert (runoff.quorum, runoff.tie_rule) == (vote.quorum, vote.tie_rule)
    assert sorted(runoff.candidates.values_list("id", flat=True)) == ids[1:]
    assert last_audit("vote.runoff_decided").data["candidates"] == ids[1:]
    with pytest.raises(Conflict):
        services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=False, note="again")
    # the further ballot runs the same way: a fresh electorate, at most 1 'for', the same quorum
    open_vote(runoff, haiyan_staff)
    with pytest.raises(DomainError):
        services.ballot_cast(actor=voters[0], vote_id=runoff.pk, choices=marks(runoff, 0, 1))
    services.ballot_cast(actor=voters[0], vote_id=runoff.pk, choices=marks(runoff, 0))
    with pytest.raises(TransitionNotAllowed):
        services.vote_close(actor=haiyan_staff, vote_id=runoff.pk)  # 1 of 5 present


def test_where_the_congress_leaves_tied_seats_empty_they_are_a_shortfall(vote, voters, haiyan_staff):
    VoteSession.objects.filter(pk=vote.pk).update(tie_rule=VoteSession.TieRule.LEAVE_EMPTY)
    open_vote(vote, haiyan_staff)
    for u, fors in zip(voters, [(0, 1), (0, 2), (0, 1), (0, 2), (1, 2)], strict=True):
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, *fors))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    assert vote.shortfall == 1
    with pytest.raises(DomainError) as err:
        services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=True, note="再次投票")
    assert err.value.code == "tie_left_empty"
    assert not vote.runoffs.exists()
    assert services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=False, note="按规则空缺") is None
    vote.refresh_from_db()
    assert (vote.presidium_decision, vote.shortfall) == ("按规则空缺", 1)


def test_a_congress_rule_to_leave_ties_empty_is_copied_onto_its_votes(vote, haiyan_staff):
    from minsheng.voting.models import VotingRules

    VotingRules.objects.create(congress=vote.congress, tie_rule="leave_empty")
    created = services.vote_create(
        actor=haiyan_staff, solicitation_id=vote.solicitation_id, session=vote.session, seats=1, title="x"
    )
    assert (created.tie_rule, created.quorum) == ("leave_empty", "2/3")


def test_a_shortfall_is_recorded_for_a_later_session_unless_the_presidium_holds_a_further_ballot(
    vote, voters, haiyan_staff
):
    open_vote(vote, haiyan_staff)
    for u in voters[:4]:  # candidate 1 passes (4 of 5), the others have no 赞成
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, 0))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    assert vote.shortfall == 1
    assert last_audit("vote.closed").data["shortfall"] == 1
    assert (
        services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=False, note="空缺，下次会议补选")
        is None
    )
    vote.refresh_from_db()
    assert vote.presidium_decision == "空缺，下次会议补选" and not vote.runoffs.exists()
    assert vote.shortfall == 1
    assert last_audit("vote.runoff_decided").data["shortfall"] == 1


def test_the_presidium_may_fill_a_shortfall_now_by_a_further_ballot_among_those_not_chosen(
    vote, voters, haiyan_staff
):
    open_vote(vote, haiyan_staff)
    for u in voters[:4]:
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, 0))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    runoff = services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=True, note="当场另行投票")
    vote.refresh_from_db()
    ids = sorted(vote.candidates.values_list("id", flat=True))
    assert sorted(runoff.candidates.values_list("id", flat=True)) == ids[1:]
    assert (runoff.seats, vote.shortfall) == (1, 0)  # the further ballot carries the seat now


def test_all_seats_filled_leaves_nothing_to_decide(vote, voters, haiyan_staff):
    open_vote(vote, haiyan_staff)
    for u in voters[:4]:
        services.ballot_cast(actor=u, vote_id=vote.pk, choices=marks(vote, 0, 1))
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    with pytest.raises(DomainError) as err:
        services.runoff_decide(actor=haiyan_staff, vote_id=vote.pk, hold=False, note="x")
    assert err.value.code == "no_runoff"
    vote.refresh_from_db()
    assert vote.shortfall == 0


def test_a_satisfaction_vote_needs_the_quorum_too(haiyan_congress, haiyan_session, voters, haiyan_staff):
    vote = make_vote(
        congress=haiyan_congress, session=haiyan_session, seats=1, candidates=1, kind="satisfaction"
    )
    open_vote(vote, haiyan_staff)
    ids = list(vote.candidates.values_list("id", flat=True))
    for u in voters[:3]:
        services.ballot_cast(actor=u, vote_id=vote.pk, choices={ids[0]: "satisfied"})
    with pytest.raises(TransitionNotAllowed) as err:
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert err.value.code == "no_quorum"
    services.elector_check_in(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[3].deputy_id)
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.CLOSED and vote.shortfall == 0
    # the rate is over the ballots cast for the project: 3 satisfied of 3, whatever the electorate
    row = CandidateResult.objects.get(vote=vote)
    assert (row.satisfied, row.mostly, row.dissatisfied, row.outcome) == (3, 0, 0, "")


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
    assert last_audit("vote.paper_collected").data == {"deputy": voters[1].deputy_id}
    with pytest.raises(Conflict):
        services.ballot_cast(actor=voters[1], vote_id=vote.pk, choices=marks(vote, 0))
    choices = marks(vote, 0, 2)
    assert (
        services.paper_entry_add(actor=haiyan_staff, vote_id=vote.pk, serial="001", choices=choices) is False
    )
    with pytest.raises(Conflict):
        services.paper_entry_add(actor=haiyan_staff, vote_id=vote.pk, serial="001", choices=choices)
    assert services.paper_entry_add(actor=second_staff, vote_id=vote.pk, serial="001", choices=choices)
    (paper,) = peek_box(vote)
    assert list(paper.marks.values()).count("for") == 2
    assert set(PaperEntry.objects.values_list("counted", flat=True)) == {True}
    # the entries keep their marks sealed with the box key, not in the clear
    assert all(b"for" not in bytes(m) for m in PaperEntry.objects.values_list("marks", flat=True))
    assert last_audit("vote.paper_entered").data["counted"] is True


def test_paper_entries_that_differ_are_refused_and_nothing_counts(vote, voters, haiyan_staff, second_staff):
    open_vote(vote, haiyan_staff)
    services.paper_ballot_collected(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[1].deputy_id)
    services.paper_entry_add(actor=haiyan_staff, vote_id=vote.pk, serial="007", choices=marks(vote, 0))
    with translation.override("en"), pytest.raises(DomainError, match="differ") as err:
        services.paper_entry_add(actor=second_staff, vote_id=vote.pk, serial="007", choices=marks(vote, 1))
    assert err.value.code == "entries_differ"
    assert in_box(vote) == 0
    assert PaperEntry.objects.count() == 1


def test_paper_ballots_counted_never_exceed_those_collected(vote, voters, haiyan_staff, second_staff):
    open_vote(vote, haiyan_staff)
    services.paper_entry_add(actor=haiyan_staff, vote_id=vote.pk, serial="1", choices=marks(vote, 0))
    with pytest.raises(DomainError) as err:
        services.paper_entry_add(actor=second_staff, vote_id=vote.pk, serial="1", choices=marks(vote, 0))
    assert err.value.code == "more_than_collected"
    assert in_box(vote) == 0


def test_casting_a_ballot_takes_a_handful_of_queries(
    vote, voters, haiyan_staff, django_assert_max_num_queries
):
    open_vote(vote, haiyan_staff)
    choices = marks(vote, 0)
    # the vote, the check of actions.py (the elector), its lock FOR SHARE (PostgreSQL), its candidates, the
    # elector's mark, the box key, the sealed ballot, the audit
    with django_assert_max_num_queries(8 + 2):  # + the savepoint of the test's transaction
        services.ballot_cast(actor=voters[0], vote_id=vote.pk, choices=choices)


def test_a_crash_in_the_middle_of_casting_keeps_nothing_and_the_deputy_can_vote_again(
    vote, voters, haiyan_staff, monkeypatch
):
    open_vote(vote, haiyan_staff)
    choices = marks(vote, 0)

    def crash(*args, **kwargs):
        raise RuntimeError("the server died after writing the ballot")

    monkeypatch.setattr(services.audit, "record", crash)
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
        check_in_quorum(vote, haiyan_staff)
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    before = vote.__class__.objects.get(pk=vote.pk).status
    with pytest.raises(PermissionDenied):
        getattr(services, service)(actor=kaiping_staff, vote_id=vote.pk)
    assert vote.__class__.objects.get(pk=vote.pk).status == before
    with pytest.raises(PermissionDenied):
        services.elector_check_in(actor=voters[1], vote_id=vote.pk, deputy_id=voters[1].deputy_id)
