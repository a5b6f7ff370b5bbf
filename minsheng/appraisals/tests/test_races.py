"""Races on PostgreSQL, for real: the same judge submitting twice at once. Skipped on SQLite, which serialises
every writer anyway."""

import threading

import pytest
from django.db import connection, connections

from minsheng.appraisals import services
from minsheng.appraisals.models import JudgeSubmission
from minsheng.common.errors import Conflict
from minsheng.common.models import AuditRecord

from .factories import component, judge_users, make_contest

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency is tested on PostgreSQL"),
]


def test_a_judge_submitting_twice_at_the_same_moment_submits_once(city_staff, city_congress):
    judges = judge_users(3)
    contest = make_contest(city_staff, city_congress, judges)
    services.scoring_open(actor=city_staff, appraisal_id=contest.pk)
    towns = contest.groups.get(name="典型镇")
    for c in towns.contestants.all():
        services.score_enter(
            actor=judges[0], contestant_id=c.pk, component_id=component(contest, "onsite").pk, value="90"
        )
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.judge_submit(actor=judges[0], group_id=towns.pk)
            outcomes.append("submitted")
        except Conflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "submitted"]
    assert JudgeSubmission.objects.filter(judge__user=judges[0]).count() == 1
    assert AuditRecord.objects.filter(verb="appraisal.judge_submitted").count() == 1
