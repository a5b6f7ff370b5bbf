"""Mark imports that stopped without finishing (a worker that died) as failed. Run it from a timer."""

import datetime as dt

from django.core.management.base import BaseCommand

from minsheng.imports.services import import_fail_stale


class Command(BaseCommand):
    help = "Mark roster imports with no sign of life for --minutes (default 60) as failed."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=60)

    def handle(self, *args, minutes: int, **options):
        count = import_fail_stale(older_than=dt.timedelta(minutes=minutes))
        self.stdout.write(f"{count} stale import(s) marked failed")
