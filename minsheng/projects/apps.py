from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "minsheng.projects"
    label = "projects"
    verbose_name = _("Livelihood projects")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions  # noqa: F401

        register_verbs(
            {
                "project.created": _("created a livelihood project from the vote"),
                "project.updated": _("changed a livelihood project"),
                "project.group_set": _("set the deputies' supervision group"),
                "project.completed": _("marked the project completed"),
                "project.terminated": _("terminated the project"),
                "project.satisfaction_vote_created": _("prepared the satisfaction vote"),
                "milestone.added": _("added a milestone"),
                "milestone.updated": _("changed a milestone"),
                "milestone.completed": _("marked a milestone done"),
                "progress.reported": _("reported progress"),
                "inspection.recorded": _("recorded an inspection"),
            }
        )
