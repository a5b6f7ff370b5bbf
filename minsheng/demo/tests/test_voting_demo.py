"""The demo's votes (`voting.demo.build_demo_votes`), after the tiny demo: real tallies, published results,
差额 candidates, this year's open solicitations, and the same data for the same seed."""

import pytest
from django.db import transaction
from django.db.models import Count, Q

from minsheng.common import clock
from minsheng.demo.services import demo_build
from minsheng.voting.demo import build_demo_votes
from minsheng.voting.models import (
    Ballot,
    BallotChoice,
    CandidateResult,
    Elector,
    Proposal,
    Solicitation,
    VoteSession,
)

pytestmark = pytest.mark.django_db
SEED = 20261127


@pytest.fixture
def demo(db):
    return demo_build(scale="tiny", seed=SEED, cases=False)


def snapshot() -> dict:
    """What the seed decides (receipts and ballot keys are random by design, and left out)."""
    return {
        "solicitations": list(
            Solicitation.objects.order_by("congress__region_prefix", "year").values_list(
                "congress__name", "year", "title", "status"
            )
        ),
        "proposals": list(
            Proposal.objects.order_by(
                "solicitation__congress__region_prefix", "solicitation__year", "pk"
            ).values_list("title", "source", "status", "reject_reason")
        ),
        "results": list(
            CandidateResult.objects.order_by(
                "vote__congress__region_prefix", "candidate__number"
            ).values_list(
                "candidate__title",
                "candidate__budget",
                "candidate__lead_unit__name",
                "votes_for",
                "votes_against",
                "abstentions",
                "outcome",
            )
        ),
    }


def test_last_years_votes_are_published_with_real_tallies_and_this_years_windows_are_open(demo):
    counts = build_demo_votes(seed=SEED)
    year = clock.today().year
    votes = VoteSession.objects.select_related("congress", "solicitation")
    assert counts["votes"] == votes.count() == 6
    assert {v.congress.level for v in votes} == {"city", "county", "township"}
    for vote in votes:
        assert vote.status == VoteSession.Status.PUBLISHED and vote.solicitation.year == year - 1
        assert vote.solicitation.status == Solicitation.Status.CLOSED
        candidates = vote.candidates.count()
        expected = {"city": (12, 10), "county": (11, 9), "township": (10, 8)}[vote.congress.level]
        assert (candidates, vote.seats) == expected  # 差额
        assert vote.opened_at.date() == vote.session.start_date
        # the tally is the ballots' marks, and there are as many ballots as electors who voted
        voted = Elector.objects.filter(vote=vote, has_voted=True).count()
        assert 0 < voted == Ballot.objects.filter(vote=vote).count() <= vote.electorate
        marks = dict(
            BallotChoice.objects.filter(ballot__vote=vote)
            .values_list("candidate_id")
            .annotate(n=Count("pk", filter=Q(choice="for")))
            .order_by()
        )
        for result in vote.results.all():
            assert result.votes_for == marks.get(result.candidate_id, 0)
            assert result.votes_for + result.votes_against + result.abstentions == voted
        chosen = vote.results.filter(outcome=CandidateResult.Outcome.CHOSEN)
        assert all(r.votes_for > vote.electorate // 2 for r in chosen)
    assert counts["vote_ballots"] == Ballot.objects.count()
    this_year = Solicitation.objects.filter(year=year)
    assert this_year.count() == 6 and set(this_year.values_list("status", flat=True)) == {"open"}
    assert Proposal.objects.filter(solicitation__year=year, status=Proposal.Status.SUBMITTED).exists()
    assert Proposal.objects.filter(source=Proposal.Source.DEPUTY).exists()
    assert Proposal.objects.filter(status=Proposal.Status.REJECTED).exclude(reject_reason="").exists()


def test_the_same_seed_builds_the_same_votes(demo):
    with transaction.atomic():
        build_demo_votes(seed=SEED)
        first = snapshot()
        transaction.set_rollback(True)
    assert not VoteSession.objects.exists()
    build_demo_votes(seed=SEED)
    assert snapshot() == first
    assert first["results"] and first["proposals"]
