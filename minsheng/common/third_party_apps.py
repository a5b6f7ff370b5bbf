"""Two apps we install name themselves in English in the administration site ("Axes", "Tasks Database
Backend"); INSTALLED_APPS lists these configs instead of theirs. Their models' names are in our catalogue
(django_messages.ADMIN). A module of its own: in apps.py, more than one AppConfig would hide CommonConfig."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in lock-outs")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
