from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "minsheng.deputies"
    label = "deputies"
    verbose_name = _("Deputies")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions, pickers  # noqa: F401 - rules and pickers register themselves

        register_verbs(
            {
                "deputy.created": _("added a deputy"),
                "deputy.updated": _("updated a deputy"),
                "seat.created": _("added a seat"),
                "seat.updated": _("updated a seat"),
                "seat.ended": _("ended a seat"),
                "deputies.exported": _("exported deputies"),
            }
        )
