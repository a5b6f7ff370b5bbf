"""Fixtures of the voting tests: a 海宴镇 session, a vote with three candidates for two seats, and voters."""

import pytest

from minsheng.accounts.models import User
from minsheng.accounts.tests.factories import UserFactory

from .factories import SessionFactory, make_electorate, make_vote


@pytest.fixture
def haiyan_session(haiyan_term):
    return SessionFactory(term=haiyan_term)


@pytest.fixture
def haiyan_staff(haiyan_congress):
    return UserFactory(username="haiyan_staff", role=User.Role.CONGRESS_STAFF, congress=haiyan_congress)


@pytest.fixture
def second_staff(taishan_congress):
    """Another staff member covering 海宴镇 (Taishan's staff): the second entry of paper ballots."""
    return UserFactory(username="taishan_clerk", role=User.Role.CONGRESS_STAFF, congress=taishan_congress)


@pytest.fixture
def vote(haiyan_congress, haiyan_session):
    """A vote of 海宴镇 in preparation: 3 candidates, 2 seats."""
    return make_vote(congress=haiyan_congress, session=haiyan_session, seats=2, candidates=3)


@pytest.fixture
def voters(haiyan_term, town_deputy, deputy_user):
    """Five deputy users of 海宴镇 (陈海 = deputy_user first, then four more)."""
    return [deputy_user, *make_electorate(haiyan_term, 4)]
