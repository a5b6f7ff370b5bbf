"""The job that vacuums the elector table after a vote closes (the secrecy note of the README)."""

import pytest
from django.db import connection
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished

from minsheng.voting import services
from minsheng.voting.tasks import vacuum_electors


@pytest.fixture
def finished_jobs():
    """The results of the jobs that ran (the test settings run jobs immediately)."""
    results = []

    def collect(sender, task_result, **kwargs):
        results.append(task_result)

    task_finished.connect(collect)
    yield results
    task_finished.disconnect(collect)


def cast_all(vote, voters, staff):
    services.vote_open(actor=staff, vote_id=vote.pk)
    ids = sorted(vote.candidates.values_list("id", flat=True))
    for i, user in enumerate(voters):
        choices = {cid: "for" if j == i % len(ids) else "against" for j, cid in enumerate(ids)}
        services.ballot_cast(actor=user, vote_id=vote.pk, choices=choices)


def vacuums(results):
    return [r for r in results if r.task.name == vacuum_electors.name]


@pytest.mark.django_db
def test_closing_a_vote_enqueues_the_vacuum_only_once_the_closing_commits(
    vote, voters, haiyan_staff, finished_jobs, django_capture_on_commit_callbacks
):
    cast_all(vote, voters, haiyan_staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert vacuums(finished_jobs) == []  # nothing ran before the commit
    for callback in callbacks:
        callback()
    [job] = vacuums(finished_jobs)
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.return_value is (connection.vendor == "postgresql" and not connection.in_atomic_block)


@pytest.mark.django_db
def test_a_refused_closing_enqueues_nothing(
    vote, haiyan_staff, finished_jobs, django_capture_on_commit_callbacks
):
    from minsheng.common.errors import TransitionNotAllowed

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionNotAllowed):
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)  # still in preparation
    assert vacuums(finished_jobs) == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite case")
def test_on_sqlite_the_vacuum_is_a_no_op():
    result = vacuum_electors.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value is False


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM of PostgreSQL")
def test_on_postgresql_the_elector_table_is_vacuumed_after_closing(vote, voters, haiyan_staff, finished_jobs):
    def vacuum_count() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'voting_elector'")
            return cursor.fetchone()[0]

    cast_all(vote, voters, haiyan_staff)
    before = vacuum_count()
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)  # autocommit: the job runs on commit
    [job] = vacuums(finished_jobs)
    assert job.status == TaskResultStatus.SUCCESSFUL, job.errors
    assert job.return_value is True
    assert vacuum_count() == before + 1
