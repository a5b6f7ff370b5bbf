from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """What reads across the wings: the role homes, the case statistics and their summary table, the
    three-level vote dashboard. Nothing imports it; it imports the wings' models and selectors."""

    name = "minsheng.insights"
    label = "insights"
    verbose_name = _("Insights")
