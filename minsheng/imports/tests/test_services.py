"""The life of an import job: its transitions, crashes, stale jobs and the query budget."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from minsheng.common.errors import TransitionNotAllowed
from minsheng.common.models import AuditRecord
from minsheng.deputies.models import Deputy, Seat
from minsheng.deputies.tests.factories import SeatFactory
from minsheng.imports.importers.deputies import DeputiesImporter
from minsheng.imports.models import ImportJob
from minsheng.imports.services import import_create, import_execute, import_fail_stale

from .conftest import deputy_row, upload
from .factories import ImportJobFactory

pytestmark = pytest.mark.django_db

Status = ImportJob.Status


def queue(actor, rows, kind="deputies") -> ImportJob:
    return ImportJobFactory(actor=actor, kind=kind, rows=rows)


def test_import_create_stores_the_file_and_queues_the_job_with_an_audit_record(taishan_staff, taishan_term):
    job = queue(taishan_staff, [deputy_row(1)])

    assert (job.status, job.kind, job.congress, job.created_by) == (
        Status.QUEUED,
        "deputies",
        taishan_staff.congress,
        taishan_staff,
    )
    assert job.original_name == "roster.xlsx" and job.file.read()[:2] == b"PK"
    assert AuditRecord.objects.get(verb="import.started").target_id == str(job.pk)


def test_import_create_runs_the_job_when_its_transaction_commits(
    taishan_staff, taishan_term, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = import_create(
            actor=taishan_staff,
            kind="deputies",
            congress=taishan_staff.congress,
            upload=upload("deputies", [deputy_row(1)]),
        )
    assert len(callbacks) == 1 and ImportJob.objects.get().status == Status.QUEUED

    callbacks[0]()

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED


def test_a_job_goes_queued_validating_applying_succeeded(taishan_staff, taishan_term, monkeypatch):
    seen = []
    original = DeputiesImporter.apply

    def spy(self):
        seen.append(ImportJob.objects.get(pk=self.job.pk).status)
        return original(self)

    monkeypatch.setattr(DeputiesImporter, "apply", spy)
    job = queue(taishan_staff, [deputy_row(1)])

    job = import_execute(job_id=job.pk)

    assert seen == [Status.APPLYING]
    assert job.status == Status.SUCCEEDED and job.started_at and job.finished_at


def test_running_a_finished_job_again_does_nothing(taishan_staff, taishan_term):
    job = import_execute(job_id=queue(taishan_staff, [deputy_row(1)]).pk)

    again = import_execute(job_id=job.pk)

    assert again.status == Status.SUCCEEDED and again.finished_at == job.finished_at
    assert Deputy.objects.count() == 1
    assert AuditRecord.objects.filter(verb="import.completed").count() == 1


def test_a_finished_job_cannot_move_again(refused_job):
    with pytest.raises(TransitionNotAllowed):
        refused_job.move_to(Status.APPLYING)


def test_a_crash_while_applying_fails_the_job_and_leaves_nothing_half_imported(
    taishan_staff, taishan_term, monkeypatch
):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Seat.objects, "bulk_create", explode)
    job = queue(taishan_staff, [deputy_row(i) for i in range(3)])

    job = import_execute(job_id=job.pk)

    assert job.status == Status.FAILED and job.message
    assert Deputy.objects.count() == 0  # the deputies written before the crash were rolled back
    assert AuditRecord.objects.get(verb="import.failed").data == {"kind": "deputies", "reason": "crashed"}


def test_data_that_changes_between_the_check_and_the_apply_fails_the_job(
    taishan_staff, taishan_term, monkeypatch
):
    row = deputy_row(1)
    original = DeputiesImporter.check

    def check_then_someone_ends_the_seat(self, rows):
        errors = original(self, rows)
        SeatFactory(
            term=taishan_term,
            deputy__id_number=row["id_number"],
            deputy__name=row["name"],
            status=Seat.Status.ENDED,
        )
        return errors

    monkeypatch.setattr(DeputiesImporter, "check", check_then_someone_ends_the_seat)

    with translation.override("en"):
        queued = queue(taishan_staff, [row])
    job = import_execute(job_id=queued.pk)

    assert job.status == Status.FAILED
    assert "row 2" in job.message and "Nothing was imported" in job.message
    assert Seat.objects.get().status == Seat.Status.ENDED


def test_an_uploader_who_lost_the_right_to_import_gets_a_failed_job(taishan_staff, taishan_term):
    job = queue(taishan_staff, [deputy_row(1)])
    taishan_staff.is_active = False
    taishan_staff.save()

    job = import_execute(job_id=job.pk)

    assert job.status == Status.FAILED and not Deputy.objects.exists()


def test_jobs_with_no_sign_of_life_are_failed_by_the_stale_sweep(taishan_staff, taishan_term, queued_job):
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)):
        fresh = queue(taishan_staff, [deputy_row(2)])
        count = import_fail_stale(older_than=dt.timedelta(hours=1))

    queued_job.refresh_from_db()
    fresh.refresh_from_db()
    assert count == 1
    assert queued_job.status == Status.FAILED and queued_job.message
    assert fresh.status == Status.QUEUED
    assert AuditRecord.objects.get(verb="import.failed").data["reason"] == "stale"


def test_progress_is_recorded_while_the_rows_are_checked(taishan_staff, taishan_term, monkeypatch):
    from minsheng.imports.importers import base

    monkeypatch.setattr(base, "PROGRESS_EVERY", 2)
    progress = []
    job = queue(taishan_staff, [deputy_row(i) for i in range(5)])
    monkeypatch.setattr(
        "minsheng.imports.services._progress",
        lambda job_id, processed, total=None: progress.append((processed, total)),
    )

    import_execute(job_id=job.pk)

    assert progress == [(0, 5), (2, None), (4, None), (5, None)]


def _queries_for(actor, rows) -> int:
    job = queue(actor, rows)
    with CaptureQueriesContext(connection) as ctx:
        job = import_execute(job_id=job.pk)
    assert job.status == Status.SUCCEEDED, job.errors
    return len(ctx.captured_queries)


def test_the_queries_of_an_import_do_not_grow_with_its_rows(taishan_staff, taishan_term):
    small = _queries_for(taishan_staff, [deputy_row(i) for i in range(50)])
    large = _queries_for(taishan_staff, [deputy_row(i) for i in range(1000, 1200)])

    # Four times the rows: the same look-ups; only SQLite's 999-parameter limit splits the bulk INSERTs.
    assert large <= small + 6, (small, large)
    assert large < 60


def test_a_job_found_applying_when_its_task_runs_again_is_failed_with_the_reason(queued_job):
    """Its worker died (the dead-task sweep ran the task again): the apply rolled back with the worker."""
    ImportJob.objects.filter(pk=queued_job.pk).update(status=Status.APPLYING)
    job = import_execute(job_id=queued_job.pk)
    assert job.status == Status.FAILED and job.finished_at is not None
    assert AuditRecord.objects.filter(verb="import.failed", data__reason="interrupted").count() == 1


def test_the_schedulers_sweep_fails_imports_without_a_sign_of_life(queued_job, settings):
    from minsheng.imports.services import import_sweep_stale

    settings.MINSHENG = {**settings.MINSHENG, "IMPORT_STALE_MINUTES": 60}
    assert import_sweep_stale() == 0
    with time_machine.travel(dt.datetime.now().astimezone() + dt.timedelta(minutes=61), tick=False):
        assert import_sweep_stale() == 1
    queued_job.refresh_from_db()
    assert queued_job.status == Status.FAILED
