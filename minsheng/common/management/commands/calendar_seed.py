"""Load again the official holiday schedules the installed chinese-calendar package knows (after upgrading it)."""

from django.core.management.base import BaseCommand

from minsheng.common.workdays import seed_from_library


class Command(BaseCommand):
    help = "Load the official holiday schedules chinese-calendar knows; years the office entered stay as they are."

    def handle(self, *args, **options):
        years = seed_from_library()
        self.stdout.write(
            f"loaded {len(years)} years: {years[0] if years else '-'}–{years[-1] if years else '-'}"
        )
