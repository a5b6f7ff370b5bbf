from django.core.management.base import BaseCommand

from minsheng.congresses.services import congresses_build


class Command(BaseCommand):
    help = "Create the people's congresses of every loaded place that has one (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="Only under this code prefix, e.g. 4407")

    def handle(self, *args, region, **options):
        result = congresses_build(region=region)
        self.stdout.write(f"congresses: {result['created']} created")
