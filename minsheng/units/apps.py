from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "minsheng.units"
    label = "units"
    verbose_name = _("Handling units")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions  # noqa: F401

        register_verbs(
            {
                "unit.created": _("added a handling unit"),
                "unit.updated": _("updated a handling unit"),
            }
        )
