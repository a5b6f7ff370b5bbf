"""The periodic-job scheduler: `manage.py scheduler` runs beside `manage.py db_worker`.

Every minute it enqueues each job of settings.MINSHENG["PERIODIC_TASKS"] whose hour has come and which has not
run today. A `JobRun` row per job and day (unique) makes that at most once, even with several schedulers."""

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
    for name, hour in settings.MINSHENG.get("PERIODIC_TASKS", []):
        if now.hour < hour:
            continue
        try:
            with transaction.atomic():
                JobRun.objects.create(name=name, day=clock.today())
                task = import_string(name)
                transaction.on_commit(task.enqueue)
        except IntegrityError:
            continue
        enqueued.append(name)
    return enqueued


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (reminders) when they are due; run it beside db_worker."

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
