"""Helpers of the project tests: a published vote with chosen candidates, made through voting's services."""

from minsheng.voting import services as voting
from minsheng.voting.models import BallotChoice
from minsheng.voting.tests.factories import make_vote


def make_published_vote(*, congress, session, staff, voters, seats=2, candidates=3, year=2026):
    """A selection vote of `congress`, opened, cast by every voter (赞成 for the first `seats` candidates),
    closed and published: the first `seats` candidates are chosen."""
    vote = make_vote(congress=congress, session=session, seats=seats, candidates=candidates, year=year)
    voting.vote_open(actor=staff, vote_id=vote.pk)
    items = list(vote.candidates.order_by("number"))
    for voter in voters:
        marks = {
            c.pk: BallotChoice.Choice.FOR if i < seats else BallotChoice.Choice.AGAINST
            for i, c in enumerate(items)
        }
        voting.ballot_cast(actor=voter, vote_id=vote.pk, choices=marks)
    voting.vote_close(actor=staff, vote_id=vote.pk)
    voting.vote_publish(actor=staff, vote_id=vote.pk)
    return vote
