from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "minsheng.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from . import jobs

        # Heartbeats of running tasks and the outcome of the periodic jobs' runs (jobs.py).
        task_started.connect(jobs.on_task_started, dispatch_uid="minsheng-task-started")
        task_finished.connect(jobs.on_task_finished, dispatch_uid="minsheng-task-finished")
