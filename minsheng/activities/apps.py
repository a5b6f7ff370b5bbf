from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "minsheng.activities"
    label = "activities"
    verbose_name = _("Deputies' activities")

    def ready(self):
        from minsheng.cases import origins
        from minsheng.common.audit import register_verbs

        from . import campaign_permissions, permissions  # noqa: F401
        from .selectors import case_reception_origin

        register_verbs(
            {
                "reception.recorded": _("recorded a reception"),
                "reception.updated": _("updated a reception"),
                "reception.case_created": _("recorded a reception as a case"),
                "reception.case_linked": _("linked a reception to a case"),
                "reception.case_unlinked": _("unlinked a reception from its case"),
                "campaign.created": _("created a campaign"),
                "campaign.updated": _("updated a campaign"),
            }
        )
        origins.register(case_reception_origin)
