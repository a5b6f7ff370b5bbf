from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "minsheng.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from . import jobs
        from .audit import register_verbs

        # Heartbeats of running tasks and the outcome of the periodic jobs' runs (jobs.py).
        task_started.connect(jobs.on_task_started, dispatch_uid="minsheng-task-started")
        task_finished.connect(jobs.on_task_finished, dispatch_uid="minsheng-task-finished")

        register_verbs(
            {
                "calendar.year_entered": _("entered the official holiday schedule of a year"),
                "calendar.deadlines_recomputed": _("recomputed the deadlines with a new holiday schedule"),
            }
        )
