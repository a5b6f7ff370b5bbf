"""A worker killed with SIGKILL while it applies an import (inside the apply's one transaction): another
worker runs the task again and the import ends clearly, failed with a reason, nothing half-written. Real
`manage.py db_worker` processes (notifications/tests/workers.py)."""

import time

import pytest

from minsheng.deputies.models import Deputy
from minsheng.imports.models import ImportJob
from minsheng.notifications.tests.crash_settings import MINSHENG as CRASH
from minsheng.notifications.tests.workers import Workers

from .conftest import deputy_row
from .factories import ImportJobFactory

pytestmark = [pytest.mark.crash, pytest.mark.django_db(transaction=True)]


def test_an_import_killed_while_applying_ends_failed_with_a_reason_and_nothing_written(
    taishan_staff, taishan_term, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    job = ImportJobFactory(actor=taishan_staff, rows=[deputy_row(n) for n in range(1, 6)])
    deputies_before = Deputy.objects.count()
    w = Workers(tmp_path)
    w.enqueue("minsheng.imports.tasks.run_import", job_id=job.pk)  # before the processes get the data
    with w:
        first = w.worker(step_sleep=60)
        steps = w.wait_for_steps(1, first)  # the rows are written, the transaction not committed yet
        w.kill(first)
        second = w.worker()
        time.sleep(CRASH["TASK_LEASE_SECONDS"] + 0.5)
        w.wait_idle(w.scheduler(), second)
    assert steps[0]["step"] == "import.applied"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished_at is not None
    assert "worker stopped" in job.message or "后台任务已停止" in job.message
    assert Deputy.objects.count() == deputies_before  # the apply rolled back with the worker
