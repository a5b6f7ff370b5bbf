"""The periodic-job scheduler: `manage.py scheduler` runs beside `manage.py db_worker`.

Every minute it enqueues each job of settings.MINSHENG["PERIODIC_TASKS"] whose hour has come and which has not
run today. A `JobRun` row per job and day (unique) makes that at most once, even with several schedulers.
An entry with a third number, `(task path, hour, minutes)`, is enqueued every that many minutes from that hour
on: once per slot of the day, its `JobRun` named `<task path>@HH:MM` (the slot's start).

On the same tick it runs the sweeps of settings.MINSHENG["SCHEDULER_SWEEPS"]: tasks whose worker died are run
again, a day's job whose run did not finish is enqueued again (minsheng/common/jobs.py), the outbox's
messages are sent (notifications/outbox.py) and imports that stopped are failed (imports/services.py)."""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from minsheng.common import clock
from minsheng.common.jobs import job_run_enqueue
from minsheng.common.models import JobRun

log = logging.getLogger(__name__)


def run_due_jobs() -> list[str]:
    now = clock.now().astimezone()
    enqueued = []
    for name, hour, *every in settings.MINSHENG.get("PERIODIC_TASKS", []):
        if now.hour < hour:
            continue
        run_name = name
        if every:
            minute = (now.hour * 60 + now.minute) // every[0] * every[0]
            run_name = f"{name}@{minute // 60:02d}:{minute % 60:02d}"
        try:
            with transaction.atomic():
                import_string(name)  # a wrong path fails here, before the run is written
                run = JobRun.objects.create(name=run_name, day=clock.today())
                transaction.on_commit(lambda run=run: job_run_enqueue(run))
        except IntegrityError:
            continue
        enqueued.append(name)
    return enqueued


def run_sweeps() -> dict[str, object]:
    """Each sweep of SCHEDULER_SWEEPS once; one that fails is logged and does not stop the others."""
    done: dict[str, object] = {}
    for path in settings.MINSHENG.get("SCHEDULER_SWEEPS", []):
        try:
            done[path] = import_string(path)()
        except Exception:
            log.exception("scheduler sweep %s failed", path)
            done[path] = None
    return done


def tick() -> list[str]:
    """One round of the scheduler: the sweeps first (a dead task is requeued before its day's run is
    looked at), then the jobs that are due."""
    run_sweeps()
    return run_due_jobs()


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (reminders, statistics) when they are due; run it beside db_worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Check once and exit (for a cron/systemd timer)"
        )
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, once, interval, **options):
        while True:
            for name in tick():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
