from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "minsheng.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self):
        from .audit import register_verbs

        register_verbs(
            {
                "calendar.year_entered": _("entered the official holiday schedule of a year"),
                "calendar.deadlines_recomputed": _("recomputed the deadlines with a new holiday schedule"),
            }
        )
