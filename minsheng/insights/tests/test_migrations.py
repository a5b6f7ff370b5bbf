"""The statistics' jobs moved from cases to insights: the settings name the new paths, and migration
0002_task_paths_from_cases points the queued tasks and today's periodic runs at them (and back)."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from minsheng.common.models import JobRun

pytestmark = pytest.mark.django_db

migration = importlib.import_module("minsheng.insights.migrations.0002_task_paths_from_cases")
OLD, NEW = "minsheng.cases.tasks.refresh_case_stats", "minsheng.insights.tasks.refresh_case_stats"


def task_row(path: str, status: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=path,
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
    )


def test_the_scheduler_names_the_statistics_jobs_by_their_new_paths():
    paths = {entry[0] for entry in settings.MINSHENG["PERIODIC_TASKS"]}
    assert {NEW, "minsheng.insights.tasks.rebuild_case_stats"} <= paths
    assert not {p for p in paths if p.startswith("minsheng.cases.tasks.") and p.endswith("_case_stats")}
    for path in paths:
        import_string(path)  # every path the scheduler enqueues exists


def test_queued_tasks_and_periodic_runs_move_to_the_new_paths_and_back():
    ready, running, done = task_row(OLD, "READY"), task_row(OLD, "RUNNING"), task_row(OLD, "SUCCESSFUL")
    other = task_row("minsheng.cases.tasks.send_reminders", "READY")
    today = dt.date(2026, 3, 2)
    slot = JobRun.objects.create(name=f"{OLD}@00:10", day=today)
    nightly = JobRun.objects.create(name="minsheng.cases.tasks.rebuild_case_stats", day=today)
    taken = JobRun.objects.create(name=OLD, day=today)
    JobRun.objects.create(name=NEW, day=today)  # the new code already ran today: the old run stays as it is

    migration.forward(apps, None)

    paths = dict(DBTaskResult.objects.values_list("id", "task_path"))
    assert paths[ready.id] == paths[running.id] == NEW
    assert paths[done.id] == OLD  # a finished task is history
    assert paths[other.id] == "minsheng.cases.tasks.send_reminders"
    names = dict(JobRun.objects.values_list("id", "name"))
    assert names[slot.id] == f"{NEW}@00:10"
    assert names[nightly.id] == "minsheng.insights.tasks.rebuild_case_stats"
    assert names[taken.id] == OLD

    migration.backward(apps, None)
    assert DBTaskResult.objects.get(id=ready.id).task_path == OLD
    assert JobRun.objects.get(id=slot.id).name == f"{OLD}@00:10"
