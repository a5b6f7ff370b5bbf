"""Settings of the worker processes that the crash tests start and kill (test_crash*.py): the test settings,
but tasks in the database, the database of DATABASE_URL (a copied SQLite file or the PostgreSQL test
database), a gateway that writes to a file, a slow step hook, and leases of seconds."""

import os

from minsheng.settings.test import *  # noqa: F403
from minsheng.settings.test import MINSHENG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SMS_GATEWAY = "minsheng.notifications.tests.gateways.FileGateway"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("MINSHENG_TEST_MEDIA_ROOT", "/tmp/minsheng-crash-media")
MINSHENG = {
    **MINSHENG,
    "JOB_STEP_HOOK": "minsheng.notifications.tests.gateways.slow_step",
    "TASK_HEARTBEAT_SECONDS": 0.5,
    "TASK_LEASE_SECONDS": 2.5,
    "OUTBOX_LEASE_SECONDS": 2.5,
    "PERIODIC_TASKS": [("minsheng.cases.tasks.send_reminders", 0)],
}
