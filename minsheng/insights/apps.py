from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """What reads across the wings: the role homes, the case statistics and their summary table, the
    three-level vote dashboard, the deputies' duty records and duty points. Nothing imports it; it imports the
    wings' models and selectors."""

    name = "minsheng.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from django.urls import reverse

        from minsheng.activities import concerns
        from minsheng.common.audit import register_verbs
        from minsheng.projects.models import Project

        from . import permissions  # noqa: F401

        register_verbs(
            {
                "points_scheme.created": _("made a new version of a points scheme"),
                "points_bulletin.published": _("published a points bulletin"),
                "points_contest.filed": _("contested a points entry"),
                "points_contest.decided": _("decided a points contest"),
                "duty_award.created": _("recorded an award on a duty record"),
                "duty_award.updated": _("corrected an award on a duty record"),
                "duty_award.withdrawn": _("withdrew an award from a duty record"),
                "contribution.pledged": _("entered a contribution in the social funds ledger"),
                "contribution.updated": _("updated a contribution"),
                "contribution.received": _("recorded a contribution as received"),
                "contribution.cancelled": _("cancelled a contribution"),
            }
        )
        # Activities may concern a livelihood project; the activities wing may not import projects, so the
        # registry `activities.concerns` learns of them here (insights reads both wings).
        concerns.register(
            "project", Project, label=lambda p: p.title, url=lambda p: reverse("projects:detail", args=[p.pk])
        )
