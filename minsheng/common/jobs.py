"""Jobs that survive a crash: heartbeats of running tasks, the dead-task sweep, and the periodic jobs' runs.

django-tasks-db marks a task RUNNING when a worker claims it and has no heartbeat of its own: a worker killed
with SIGKILL (or a machine that lost power) leaves the task RUNNING forever. So:

- While a worker runs a task, a thread of its writes a `TaskHeartbeat` every TASK_HEARTBEAT_SECONDS (signals
  `task_started` / `task_finished`, connected in apps.py).
- `tasks_recover()` (on every tick of `manage.py scheduler`) finds RUNNING tasks whose heartbeat (or, without
  one, whose start) is older than TASK_LEASE_SECONDS and puts them back to READY, so that another worker runs
  them again; after TASK_MAX_ATTEMPTS claims (the library lists each claiming worker in `worker_ids`) it marks
  them FAILED instead, so a task that kills its worker cannot loop forever.
- `job_runs_recover()` enqueues again today's periodic jobs whose `JobRun` has not finished because their
  task failed or vanished (at most JOB_MAX_ATTEMPTS a day).

Running a task again is safe because every job is: the reminders log each reminder in a unique row written
with its notification, the outbox marks a message before sending it, an import that was interrupted is
failed with a reason, the statistics jobs recompute."""

import datetime as dt
import logging
import threading
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import JobRun, TaskHeartbeat

log = logging.getLogger(__name__)

WORKER_LOST = "minsheng.common.jobs.WorkerLost"


class WorkerLost(Exception):
    """The task's worker stopped (killed, crashed) while running it."""


def _setting(name: str):
    return settings.MINSHENG[name]


def _is_database_task(task_result) -> bool:
    return hasattr(task_result, "db_result")  # django_tasks_db's TaskResult carries its row


# --- heartbeats (in the worker) ----------------------------------------------------------------------------

_beating: dict[str, threading.Event] = {}


def _beat(task_id: str, worker_id: str) -> None:
    TaskHeartbeat.objects.update_or_create(
        task_id=task_id, defaults={"worker_id": worker_id, "beat_at": timezone.now()}
    )


def _beat_until(stop: threading.Event, task_id: str, worker_id: str, interval: float) -> None:
    try:
        while not stop.wait(interval):
            try:
                _beat(task_id, worker_id)
            except Exception:  # a locked SQLite file, a dropped connection: try again next time
                log.warning("heartbeat of task %s not written", task_id, exc_info=True)
    finally:
        connection.close()  # this thread's own connection


def _is_periodic(task_result) -> bool:
    return task_result.task.module_path in {entry[0] for entry in settings.MINSHENG.get("PERIODIC_TASKS", [])}


def on_task_started(sender, task_result, **kwargs) -> None:
    if _is_periodic(task_result):
        JobRun.objects.filter(task_id=str(task_result.id)).update(status=JobRun.Status.RUNNING)
    if not _is_database_task(task_result):
        return
    task_id = str(task_result.id)
    worker_id = (task_result.worker_ids or ["?"])[-1]
    try:
        _beat(task_id, worker_id)
    except Exception:  # a heartbeat must never fail the task it watches; the thread tries again
        log.warning("first heartbeat of task %s not written", task_id, exc_info=True)
    stop = threading.Event()
    _beating[task_id] = stop
    threading.Thread(
        target=_beat_until,
        args=(stop, task_id, worker_id, _setting("TASK_HEARTBEAT_SECONDS")),
        name=f"heartbeat-{task_id}",
        daemon=True,
    ).start()


def on_task_finished(sender, task_result, **kwargs) -> None:
    task_id = str(task_result.id)
    stop = _beating.pop(task_id, None)
    if stop is not None:
        stop.set()
        TaskHeartbeat.objects.filter(task_id=task_id).delete()
    if _is_periodic(task_result):
        _record_outcome(task_id, succeeded=task_result.status == "SUCCESSFUL")


def _record_outcome(task_id: str, *, succeeded: bool) -> None:
    status = JobRun.Status.SUCCEEDED if succeeded else JobRun.Status.FAILED
    JobRun.objects.filter(task_id=task_id).exclude(status=JobRun.Status.SUCCEEDED).update(
        status=status, finished_at=timezone.now()
    )


# --- the dead-task sweep (in the scheduler) ----------------------------------------------------------------


def tasks_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Put the RUNNING tasks that lost their worker back to READY (or FAILED after TASK_MAX_ATTEMPTS claims).
    Each change is a compare-and-set on (status, started_at), so two schedulers requeue it once. A worker that
    was alive but could not write its heartbeat for a whole lease (a database outage) may then run the task
    beside the new one: that is one more reason why every job is safe to run twice."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=_setting("TASK_LEASE_SECONDS"))
    counts = {"requeued": 0, "failed": 0}
    running = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff)
    alive = set(TaskHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("task_id", flat=True))
    for result in running:
        task_id = str(result.id)
        if task_id in alive:
            continue
        same = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING", started_at=result.started_at)
        give_up = len(result.worker_ids) >= _setting("TASK_MAX_ATTEMPTS")
        with transaction.atomic():
            if give_up:
                changed = same.update(
                    status="FAILED",
                    finished_at=now,
                    exception_class_path=WORKER_LOST,
                    traceback=f"{WORKER_LOST}: the worker stopped while running the task, "
                    f"{len(result.worker_ids)} times ({', '.join(result.worker_ids)}); not run again\n",
                )
            else:
                changed = same.update(status="READY", started_at=None)
            TaskHeartbeat.objects.filter(task_id=task_id).delete()
            if changed and give_up:
                _record_outcome(task_id, succeeded=False)
        if changed:
            counts["failed" if give_up else "requeued"] += 1
            log.warning(
                "task %s (%s) lost its worker %s: %s",
                task_id,
                result.task_path,
                (result.worker_ids or ["?"])[-1],
                "failed, not run again" if give_up else "to be run again",
            )
    return counts


# --- periodic jobs' runs (in the scheduler) ----------------------------------------------------------------


def job_run_enqueue(run: JobRun) -> None:
    """Enqueue the run's task and remember which task result is its (called once the JobRun is committed)."""
    task = import_string(run.name.split("@", 1)[0])
    result = task.enqueue()
    values: dict = {"task_id": str(result.id)}
    if result.is_finished:  # the ImmediateBackend (tests) runs it inside enqueue()
        values.update(
            status=JobRun.Status.SUCCEEDED if result.status == "SUCCESSFUL" else JobRun.Status.FAILED,
            finished_at=timezone.now(),
        )
    JobRun.objects.filter(pk=run.pk).update(**values)


def job_runs_recover(*, now: dt.datetime | None = None) -> int:
    """Enqueue again today's periodic jobs whose run has not finished: its task failed (an error, or its
    worker was lost too often), its task result vanished, or the scheduler stopped between writing the run
    and enqueueing it. At most JOB_MAX_ATTEMPTS a day; returns how many were enqueued again."""
    from django_tasks_db.models import DBTaskResult

    from minsheng.common import clock

    now = now or timezone.now()
    grace = now - dt.timedelta(seconds=_setting("TASK_LEASE_SECONDS"))
    unfinished = JobRun.objects.filter(day=clock.today()).exclude(status=JobRun.Status.SUCCEEDED)
    ids = [run.task_id for run in unfinished if _is_uuid(run.task_id)]  # other backends have other ids
    results = {str(r.id): r.status for r in DBTaskResult.objects.filter(id__in=ids).only("id", "status")}
    again = 0
    for run in unfinished:
        state = results.get(run.task_id)  # None: not enqueued yet, vanished, or not a database task
        if state == "SUCCESSFUL":
            _record_outcome(run.task_id, succeeded=True)
            continue
        if state in ("READY", "RUNNING"):
            continue  # waiting for a worker, or running (the dead-task sweep watches it)
        if state is None and not run.task_id and run.enqueued_at > grace:
            continue  # just written: its task is being enqueued
        if (
            state is None
            and run.task_id
            and run.status != JobRun.Status.FAILED
            and not _is_database_backend(run)
        ):
            continue  # another backend keeps no results to look at: its signals tell the outcome
        if run.attempts >= _setting("JOB_MAX_ATTEMPTS"):
            if run.status != JobRun.Status.FAILED:
                JobRun.objects.filter(pk=run.pk).update(status=JobRun.Status.FAILED, finished_at=now)
                log.error(
                    "periodic job %s of %s failed %d times: not enqueued again",
                    run.name,
                    run.day,
                    run.attempts,
                )
            continue
        with transaction.atomic():
            # compare-and-set on (task_id, attempts): a second scheduler enqueues nothing
            if not JobRun.objects.filter(pk=run.pk, task_id=run.task_id, attempts=run.attempts).update(
                attempts=run.attempts + 1, status=JobRun.Status.ENQUEUED, task_id="", finished_at=None
            ):
                continue
            run.refresh_from_db()
            transaction.on_commit(lambda run=run: job_run_enqueue(run))
        log.warning("periodic job %s of %s enqueued again (attempt %d)", run.name, run.day, run.attempts)
        again += 1
    return again


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _is_database_backend(run: JobRun) -> bool:
    try:
        task = import_string(run.name.split("@", 1)[0])
    except ImportError:
        return False
    return task.get_backend().__class__.__name__ == "DatabaseBackend"


def enqueue_unless_waiting(task) -> None:
    """Enqueue `task` (no arguments) unless a copy of it is already waiting for a worker in the database
    backend: that copy will see whatever the caller just committed."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
    if task.get_backend().__class__.__name__ == "DatabaseBackend" and waiting.exists():
        return
    task.enqueue()
