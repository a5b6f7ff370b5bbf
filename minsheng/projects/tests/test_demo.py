import datetime as dt

import pytest
import time_machine

from minsheng.projects.demo import build_demo_projects
from minsheng.projects.models import Milestone, Project
from minsheng.voting.models import VoteSession
from minsheng.voting.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_without_published_votes_the_demo_creates_nothing(jiangmen):
    assert build_demo_projects(seed=7) == {}
    assert not Project.objects.exists()


def test_the_demo_plans_every_chosen_project_with_full_weights(published_vote, haiyan_staff):
    counts = build_demo_projects(seed=7)
    assert counts["projects"] == 2 == Project.objects.count()
    for project in Project.objects.exclude(status=Project.Status.TERMINATED):
        weights = sum(Milestone.objects.filter(project=project).values_list("weight", flat=True))
        assert weights == 100
        assert project.members.filter(is_leader=True).count() == 1
        assert project.reports.exists() and project.leader_post
    assert build_demo_projects(seed=7) == {}  # the projects exist already: nothing twice


def test_a_year_later_the_deputies_rate_the_projects_by_secret_ballot(
    published_vote, haiyan_staff, haiyan_session
):
    build_demo_projects(seed=7)  # the 2026 projects; no 2027 session yet: no satisfaction vote
    assert not VoteSession.objects.filter(kind=VoteSession.Kind.SATISFACTION).exists()
    with time_machine.travel(dt.datetime(2027, 3, 10, 9, 0), tick=False):
        SessionFactory(
            term=haiyan_session.term, number=6, start_date=dt.date(2027, 3, 2), end_date=dt.date(2027, 3, 4)
        )
        counts = build_demo_projects(seed=7)
        vote = VoteSession.objects.get(kind=VoteSession.Kind.SATISFACTION)
        assert counts == {"satisfaction_ballots": vote.ballots.count(), "satisfaction_votes": 1}
        assert vote.status == VoteSession.Status.PUBLISHED and vote.ballots.exists()
        rated = set(vote.results.values_list("candidate_id", flat=True))
        assert rated == set(
            Project.objects.exclude(status=Project.Status.TERMINATED).values_list("candidate_id", flat=True)
        )
        assert build_demo_projects(seed=7) == {}  # rated already: nothing twice
