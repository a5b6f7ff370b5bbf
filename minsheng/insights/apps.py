from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """What reads across the wings: the role homes, the case statistics and their summary table, the
    three-level vote dashboard. Nothing imports it; it imports the wings' models and selectors."""

    name = "minsheng.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        # Activities may concern a livelihood project; the activities wing may not import projects, so the
        # registry `activities.concerns` learns of them here (insights reads both wings).
        from django.urls import reverse

        from minsheng.activities import concerns
        from minsheng.projects.models import Project

        concerns.register(
            "project", Project, label=lambda p: p.title, url=lambda p: reverse("projects:detail", args=[p.pk])
        )
