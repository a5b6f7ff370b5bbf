from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "minsheng.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions  # noqa: F401  (registers the rules)

        register_verbs(
            {
                "donor.registered": _("registered as a donor"),
                "donor.verified": _("verified a donor"),
                "donor.rejected": _("rejected a donor"),
                "donor.resubmitted": _("asked again for verification as a donor"),
                "user.created": _("created an account"),
                "user.role_changed": _("changed an account's role"),
                "user.deactivated": _("deactivated an account"),
                "user.token_created": _("created an API token"),
            }
        )
