"""The statistics' jobs moved from `minsheng.cases.tasks` to `minsheng.insights.tasks` (issue 10). A task
waiting in the queue (or running: the dead-task sweep may run it again) names its function by path
(django_tasks_db's `task_path`), and a periodic job's run names its task (`JobRun.name`, `<path>` or
`<path>@HH:MM`, which the scheduler enqueues again while the run has not finished): both are rewritten, so
that nothing queued before the upgrade points at a path that is gone, and today's runs are not run twice."""

from django.db import migrations

MOVED = {
    "minsheng.cases.tasks.refresh_case_stats": "minsheng.insights.tasks.refresh_case_stats",
    "minsheng.cases.tasks.rebuild_case_stats": "minsheng.insights.tasks.rebuild_case_stats",
}
UNFINISHED = ("READY", "RUNNING")


def _rewrite(apps, moves: dict[str, str]) -> None:
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    JobRun = apps.get_model("common", "JobRun")
    for old, new in moves.items():
        DBTaskResult.objects.filter(task_path=old, status__in=UNFINISHED).update(task_path=new)
        for run in JobRun.objects.filter(name__startswith=old):
            name, at, slot = run.name.partition("@")
            if name != old:
                continue  # another task whose path starts with this one
            renamed = new + at + slot
            if not JobRun.objects.filter(name=renamed, day=run.day).exists():  # one run per job and day
                JobRun.objects.filter(pk=run.pk).update(name=renamed)


def forward(apps, schema_editor):
    _rewrite(apps, MOVED)


def backward(apps, schema_editor):
    _rewrite(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_stats_summary_from_cases"),
        ("common", "0005_jobs_move"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forward, backward)]
