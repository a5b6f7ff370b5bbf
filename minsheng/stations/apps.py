from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "minsheng.stations"
    label = "stations"
    verbose_name = _("Liaison stations")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions  # noqa: F401

        register_verbs(
            {
                "station.created": _("added a liaison station"),
                "station.updated": _("updated a liaison station"),
                "station.deputy_attached": _("attached a deputy to a station"),
                "station.deputy_detached": _("detached a deputy from a station"),
            }
        )
