import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from minsheng.common.errors import DomainError
from minsheng.demo.generator import SCALES
from minsheng.demo.logins import format_logins, login_table, sign_in_url
from minsheng.demo.services import DEFAULT_SCALE, DEFAULT_SEED, demo_build


class Command(BaseCommand):
    help = "Build the demo (a realistic Jiangmen) on the current database and print its sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--scale", default=DEFAULT_SCALE, choices=list(SCALES))
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, scale, seed, **options):
        start = time.perf_counter()
        say = self.stdout.write if options["verbosity"] > 0 else None
        try:
            result = demo_build(scale=scale, seed=seed, progress=say)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo built (scale %(scale)s, seed %(seed)d) in %(seconds).1fs: %(people)d deputies "
                    "holding %(seats)d seats (%(two)d at two levels), %(stations)d stations, %(units)d units."
                )
                % {
                    "scale": scale,
                    "seed": seed,
                    "seconds": time.perf_counter() - start,
                    "people": counts["people"],
                    "seats": counts["seats"],
                    "two": counts["people_with_two_seats"],
                    "stations": counts["stations"],
                    "units": counts["units"],
                }
            )
        )
        self.stdout.write("")
        self.stdout.write(_("Sign in at %(url)s with:") % {"url": sign_in_url()})
        self.stdout.write(format_logins(login_table()))
        self.stdout.write(_("The public pages need no sign-in."))
