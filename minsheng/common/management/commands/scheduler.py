"""The periodic-job scheduler: `manage.py scheduler` runs beside `manage.py db_worker`.

Every minute it enqueues each job of settings.MINSHENG["PERIODIC_TASKS"] whose hour has come and which has not
run today. A `JobRun` row per job and day (unique) makes that at most once, even with several schedulers.
An entry with a third number, `(task path, hour, minutes)`, is enqueued every that many minutes from that hour
on: once per slot of the day, its `JobRun` named `<task path>@HH:MM` (the slot's start)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from minsheng.common import clock


def run_due_jobs() -> list[str]:
    from minsheng.notifications.models import JobRun

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
                JobRun.objects.create(name=run_name, day=clock.today())
                task = import_string(name)
                transaction.on_commit(task.enqueue)
        except IntegrityError:
            continue
        enqueued.append(name)
    return enqueued


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (reminders, statistics) when they are due; run it beside db_worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Check once and exit (for a cron/systemd timer)"
        )
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, once, interval, **options):
        while True:
            for name in run_due_jobs():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
