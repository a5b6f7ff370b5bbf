from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "minsheng.activities"
    label = "activities"
    verbose_name = _("Deputies' activities")

    def ready(self):
        from minsheng.cases import origins
        from minsheng.common.audit import register_verbs

        from . import permissions  # noqa: F401
        from .selectors import case_reception_origin

        register_verbs(
            {
                "reception.recorded": _("recorded a reception"),
                "reception.updated": _("updated a reception"),
                "reception.case_created": _("recorded a reception as a case"),
                "reception.case_linked": _("linked a reception to a case"),
                "reception.case_unlinked": _("unlinked a reception from its case"),
                "reception.archived": _("archived a reception (every matter answered and the visitor told)"),
                "reception_day.scheduled": _("scheduled a reception day"),
                "reception_day.changed": _("changed a reception day"),
                "reception_day.cancelled": _("cancelled a reception day"),
                "reception_matter.answered": _("recorded the answer to a matter"),
                "reception_matter.feedback": _("recorded that the visitor was told the answer"),
            }
        )
        origins.register(case_reception_origin)
        from minsheng.stations import public_blocks

        from .selectors import station_public_reception_days

        public_blocks.register(station_public_reception_days)
