from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """What reads across the wings: the role homes, the case statistics and their summary table, the
    three-level vote dashboard. Nothing imports it; it imports the wings' models and selectors."""

    name = "minsheng.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions  # noqa: F401

        register_verbs(
            {
                "contribution.pledged": _("entered a contribution in the social funds ledger"),
                "contribution.updated": _("updated a contribution"),
                "contribution.received": _("recorded a contribution as received"),
                "contribution.cancelled": _("cancelled a contribution"),
            }
        )
