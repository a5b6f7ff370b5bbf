"""`manage.py token_create <username> [--rotate]`: print the API token of an account (for integrations)."""

from django.core.management.base import BaseCommand, CommandError

from minsheng.accounts.services import token_create
from minsheng.common.errors import DomainError


class Command(BaseCommand):
    help = (
        "Print the API token of an account, creating it if needed (send it as 'Authorization: Token <key>')."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="Replace the existing token with a new one."
        )

    def handle(self, *args, username, rotate, **options):
        try:
            token = token_create(actor=None, username=username, rotate=rotate)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(token.key)
