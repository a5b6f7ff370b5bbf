from django.core.management.base import BaseCommand

from minsheng.places.services import places_load


class Command(BaseCommand):
    help = "Load Guangdong's administrative divisions shipped with Minsheng (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--region", default="", help="Only codes under this prefix, e.g. 4407 for Jiangmen"
        )

    def handle(self, *args, region, **options):
        result = places_load(region=region)
        self.stdout.write(f"places: {result['created']} created, {result['updated']} updated")
