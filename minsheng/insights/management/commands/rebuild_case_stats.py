"""`manage.py rebuild_case_stats`: rebuild the statistics' summary table now (`insights/rollup.py`)."""

from django.core.management.base import BaseCommand

from minsheng.insights.rollup import rollup_refresh


class Command(BaseCommand):
    help = "Rebuild the case statistics' summary table (all congresses; --changed: only the changed ones)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--changed",
            action="store_true",
            help="Refresh only the congresses whose cases changed since the last refresh",
        )

    def handle(self, *args, changed, **options):
        result = rollup_refresh(full=not changed)
        kind = "full" if result.full else "incremental"
        self.stdout.write(
            f"{kind} refresh: {result.congresses} congresses, {result.rows} rows in {result.seconds:.2f} s"
        )
