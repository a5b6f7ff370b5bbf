from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from minsheng.demo.logins import format_logins, login_table, sign_in_url


class Command(BaseCommand):
    help = "Print the demo's sign-ins (username, mobile, role, scope, password, home page)."

    def handle(self, *args, **options):
        rows = login_table()
        if not rows:
            self.stdout.write(_("No demo accounts in this database: run `manage.py demo_build` first."))
            return
        self.stdout.write(_("Sign in at %(url)s with:") % {"url": sign_in_url()})
        self.stdout.write(format_logins(rows))
        self.stdout.write(_("The public pages need no sign-in."))
