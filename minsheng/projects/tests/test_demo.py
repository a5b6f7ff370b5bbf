import pytest

from minsheng.projects.demo import build_demo_projects
from minsheng.projects.models import Milestone, Project

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
