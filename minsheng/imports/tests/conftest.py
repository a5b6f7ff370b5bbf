"""Fixtures of the imports tests: roster rows, uploads, and running an import the way the task does."""

import pytest

from .factories import ImportJobFactory, deputy_row, upload  # noqa: F401 (the tests take them from here)


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """run_import(actor, kind, congress, rows) → the job, after the background task has run (the test
    settings' ImmediateBackend runs it when import_create's transaction commits)."""
    from minsheng.imports.services import import_create

    def run(actor, kind, congress, rows, name="roster.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            job = import_create(actor=actor, kind=kind, congress=congress, upload=upload(kind, rows, name))
        job.refresh_from_db()
        return job

    return run


def read_xlsx(data: bytes, sheet: int = 0) -> list[tuple]:
    """The rows of a workbook's sheet as tuples of values (for checking templates and reports)."""
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(data), read_only=True)
    rows = [tuple(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


@pytest.fixture
def queued_job(taishan_staff, taishan_term):
    """A taishan_staff import that has been uploaded but not run yet (no worker has picked it up)."""
    return ImportJobFactory(actor=taishan_staff)


@pytest.fixture
def refused_job(run_import, taishan_staff, taishan_term):
    """A taishan_staff import refused for a wrong check digit in its second data row (Excel row 3)."""
    bad = deputy_row(2)
    bad["id_number"] = bad["id_number"][:-1] + ("1" if bad["id_number"][-1] != "1" else "2")
    return run_import(taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1), bad, deputy_row(3)])
