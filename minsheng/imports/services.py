"""Writes of the imports app: start a roster import, run it (check every row, then apply all or nothing),
and fail jobs whose worker died.

The states of a job (ImportJob.TRANSITIONS):

    queued ─▶ validating ─▶ applying ─▶ succeeded
       │          │  └────▶ refused          │
       └──────────┴─────────────────▶ failed ◀┘ (applying → failed: rolled back, nothing written)
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minsheng.common import audit, clock, uploads
from minsheng.common.errors import DomainError
from minsheng.common.permissions import can, ensure
from minsheng.common.steps import job_step
from minsheng.congresses.models import Congress

from . import rosters
from .importers import IMPORTERS, ApplyConflict, RowErrors
from .models import ImportJob
from .reports import error_report_bytes
from .tasks import run_import

logger = logging.getLogger(__name__)
Status = ImportJob.Status

# Errors kept on the job row for the page and the API (all of them are in the report file).
ERRORS_KEPT = 100


@transaction.atomic
def import_create(*, actor, kind: str, congress: Congress, upload, enqueue: bool = True) -> ImportJob:
    """Start a roster import for `congress`: check the file's shape (an .xlsx within the size limit, with
    the header row, the required columns and at least one row), store it, and run the job in the
    background once this transaction commits (`enqueue=False`: the caller runs `import_execute` itself).
    Raises PermissionDenied outside the actor's scope and DomainError (field "file"/"kind") for a bad file."""
    ensure(actor, "imports.start", congress)
    if kind not in ImportJob.Kind.values:
        raise DomainError(_("Choose the kind of roster."), field="kind", code="kind")
    name = uploads.original_name_of(upload, "roster.xlsx")
    size = getattr(upload, "size", None)
    limit = settings.IMPORT_MAX_FILE_BYTES
    if size is not None and size > limit:
        raise DomainError(
            _("The file is too big (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            field="file",
            code="too_big",
        )
    if not name.lower().endswith(".xlsx"):
        raise DomainError(
            _("Only Excel .xlsx files can be imported; “%(name)s” is not one. Save the roster as .xlsx.")
            % {"name": name},
            field="file",
            code="not_xlsx",
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    rosters.inspect_roster(kind, data)
    # The roster's shape is right; now the file itself: a real workbook (openpyxl opens it), no macros, nothing
    # hidden in it. Stored under a random name (minsheng.common.uploads.RandomName).
    checked = uploads.check_upload(ContentFile(data, name=name), accept=(uploads.XLSX,), max_bytes=limit)
    job = ImportJob(
        kind=kind,
        congress=congress,
        original_name=name,
        created_by=actor,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.file.save(f"roster.{checked.extension}", checked.content, save=False)
    job.save()
    audit.record(actor, "import.started", job, kind=kind, congress=congress.pk, file=job.original_name)
    if enqueue:
        job_id = job.pk
        transaction.on_commit(lambda: run_import.enqueue(job_id=job_id))
    return job


def import_execute(*, job_id: int) -> ImportJob:
    """Run a queued import: read the file, check every row against the rules and the stored data (outside
    any transaction, reporting progress), then either refuse it with an error report (nothing written) or
    apply all rows in ONE transaction. Any crash marks the job failed; the rollback leaves nothing
    half-imported. A job that is not queued (already run, or being run by another worker) is returned as
    it is, except one left `validating`/`applying`: this is its task run again after its worker died
    (common/jobs.py), so it is failed with that reason (its apply was rolled back with the worker).
    Safe to call synchronously (the benchmark does)."""
    job = _claim(job_id)
    if job is None:
        return _fail_interrupted(job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            return _run(job)
        except Exception:
            logger.exception("Roster import %s crashed", job_id)
            return _fail(
                job.pk,
                _(
                    "The import stopped because of an unexpected error; nothing was imported. Try again, or ask "
                    "the administrator to look at the server log."
                ),
                code="crashed",
            )


@transaction.atomic
def _claim(job_id: int) -> ImportJob | None:
    """queued → validating, under the row lock: only one worker runs a job."""
    job = ImportJob.objects.select_for_update().select_related("congress", "created_by").get(pk=job_id)
    if job.status != Status.QUEUED:
        return None
    job.move_to(Status.VALIDATING)
    job.started_at = clock.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    return job


def _run(job: ImportJob) -> ImportJob:
    actor = job.created_by
    if not can(actor, "imports.start", job.congress):
        return _fail(
            job.pk,
            _("%(user)s may no longer import rosters into %(congress)s.")
            % {"user": actor, "congress": job.congress.name},
            code="forbidden",
        )
    try:
        with job.file.open("rb") as fh:
            data = fh.read()
        sheet, rows = rosters.read_roster(job.kind, data)
    except DomainError as exc:
        return _fail(job.pk, str(exc.message), code=exc.code)
    _progress(job.pk, processed=0, total=len(rows))
    importer = IMPORTERS[ImportJob.Kind(job.kind)](
        job=job, actor=actor, headers=sheet.headers, progress=lambda n: _progress(job.pk, processed=n)
    )
    errors = importer.check(rows)
    if errors:
        return _refuse(job.pk, errors, total=len(rows))
    _move(job.pk, Status.APPLYING)
    try:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update().select_related("congress", "created_by").get(pk=job.pk)
            )
            counts = importer.apply()
            job_step("import.applied", job_id=job.pk)
            job.move_to(Status.SUCCEEDED)
            job.created_count, job.updated_count, job.unchanged_count = (
                counts.created,
                counts.updated,
                counts.unchanged,
            )
            job.processed_rows = job.total_rows = len(rows)
            job.finished_at = clock.now()
            job.save()
            audit.record(actor, "import.completed", job, kind=job.kind, rows=len(rows), **counts.as_dict())
    except ApplyConflict as exc:
        first = exc.errors.sorted()[0]
        return _fail(
            job.pk,
            _(
                "The stored data changed while the file was being checked (row %(row)d: %(message)s). Nothing "
                "was imported; run the import again."
            )
            % {"row": first.row, "message": first.message},
            code="conflict",
        )
    except IntegrityError:
        logger.warning("Roster import %s collided with a concurrent change", job.pk, exc_info=True)
        return _fail(
            job.pk,
            _(
                "The stored data changed while the import ran (someone added the same records meanwhile). "
                "Nothing was imported; run the import again."
            ),
            code="conflict",
        )
    return job


def _progress(job_id: int, *, processed: int, total: int | None = None) -> None:
    """Progress is written outside the import's transaction, so the page sees it while the job runs."""
    values: dict = {"processed_rows": processed, "updated_at": clock.now()}
    if total is not None:
        values["total_rows"] = total
    ImportJob.objects.filter(pk=job_id).update(**values)


@transaction.atomic
def _move(job_id: int, status: str) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job_id)
    job.move_to(status)
    job.save(update_fields=["status", "updated_at"])
    return job


@transaction.atomic
def _refuse(job_id: int, errors: RowErrors, *, total: int) -> ImportJob:
    """validating → refused: keep the first errors on the job, all of them in the report file."""
    job = ImportJob.objects.select_for_update().select_related("congress", "created_by").get(pk=job_id)
    items = errors.sorted()
    job.move_to(Status.REFUSED)
    job.error_count = errors.count
    job.errors = [e.as_dict() for e in items[:ERRORS_KEPT]]
    job.processed_rows = job.total_rows = total
    job.message = " ".join(
        (
            ngettext("%(n)d error was found.", "%(n)d errors were found.", errors.count)
            % {"n": errors.count},
            _("Nothing was imported: correct the file and upload it again."),
        )
    )
    job.finished_at = clock.now()
    # Stored under a random name; offered for download as error_report_filename(job).
    job.error_report.save(
        "report.xlsx", ContentFile(error_report_bytes(items, total=errors.count)), save=False
    )
    job.save()
    audit.record(job.created_by, "import.refused", job, kind=job.kind, error_count=errors.count, rows=total)
    return job


@transaction.atomic
def _fail(job_id: int, message: str, *, code: str) -> ImportJob:
    """→ failed, in a transaction of its own (the import's transaction, if any, has rolled back)."""
    job = ImportJob.objects.select_for_update().select_related("congress", "created_by").get(pk=job_id)
    if job.is_finished:
        return job
    job.move_to(Status.FAILED)
    job.message = str(message)[:500]
    job.finished_at = clock.now()
    job.save(update_fields=["status", "message", "finished_at", "updated_at"])
    audit.record(job.created_by, "import.failed", job, kind=job.kind, reason=code)
    return job


def _fail_stopped(job: ImportJob, *, actor, reason: str) -> None:
    """Fail a job (locked by the caller) whose worker stopped, with the message in the uploader's language."""
    with translation.override(job.language or settings.LANGUAGE_CODE):
        job.move_to(Status.FAILED)
        job.message = _(
            "The import stopped without finishing (its worker stopped); nothing was imported. "
            "Upload the file again."
        )
    job.finished_at = clock.now()
    job.save(update_fields=["status", "message", "finished_at", "updated_at"])
    audit.record(actor, "import.failed", job, kind=job.kind, reason=reason)


@transaction.atomic
def _fail_interrupted(job_id: int) -> ImportJob:
    """A job found `validating`/`applying` when its task starts: its worker died and the task runs again.
    Under the job's row lock: a worker still applying it holds that lock, and we then find it finished."""
    job = ImportJob.objects.select_for_update().select_related("congress", "created_by").get(pk=job_id)
    if job.status in (Status.VALIDATING, Status.APPLYING):
        _fail_stopped(job, actor=None, reason="interrupted")
    return job


def import_sweep_stale() -> int:
    """The scheduler's sweep: fail the imports with no sign of life for IMPORT_STALE_MINUTES."""
    minutes = str(settings.MINSHENG.get("IMPORT_STALE_MINUTES", 60))  # str(): the settings dict is untyped
    return import_fail_stale(older_than=dt.timedelta(minutes=float(minutes)))


@transaction.atomic
def import_fail_stale(*, older_than: dt.timedelta, actor=None) -> int:
    """Mark as failed the imports that have shown no sign of life for `older_than` (queued and never
    picked up, or running when their worker died). Their data was never half-written: the apply is one
    transaction. Returns how many jobs were failed."""
    cutoff = clock.now() - older_than
    jobs = list(
        ImportJob.objects.select_for_update()
        .select_related("created_by")
        .filter(status__in=[Status.QUEUED, Status.VALIDATING, Status.APPLYING], updated_at__lt=cutoff)
    )
    for job in jobs:
        _fail_stopped(job, actor=actor, reason="stale")
    return len(jobs)
