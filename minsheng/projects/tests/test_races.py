"""Races on PostgreSQL, for real: two staff creating the projects of one vote at once, two staff adding
milestones whose weights together would pass 100. Skipped on SQLite, which serialises every writer anyway."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from minsheng.common.errors import DomainError
from minsheng.projects import services
from minsheng.projects.models import Milestone, Project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"),
]


def together(*calls):
    """Run the calls in threads released at once; return each one's result or refusal code."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = ("ok", call())
        except DomainError as exc:
            results[i] = ("refused", exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_staff_creating_the_projects_of_a_vote_at_once_make_each_project_once(
    published_vote, haiyan_staff, city_staff
):
    results = together(
        lambda: services.projects_create_for_vote(actor=haiyan_staff, vote_id=published_vote.pk),
        lambda: services.projects_create_for_vote(actor=city_staff, vote_id=published_vote.pk),
    )
    assert sorted(len(r[1]) for r in results) == [0, 2]
    assert Project.objects.count() == 2


def test_two_milestones_added_at_once_never_pass_100(project, haiyan_staff, city_staff):
    def add(actor):
        return lambda: services.milestone_add(
            actor=actor, project_id=project.pk, title="施工", due_on=dt.date(2026, 9, 1), weight=60
        )

    results = together(add(haiyan_staff), add(city_staff))
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    assert [r[1] for r in results if r[0] == "refused"] == ["weights_over_100"]
    assert Milestone.objects.filter(project=project).count() == 1
