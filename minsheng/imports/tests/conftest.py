"""Fixtures of the imports tests: roster rows, uploads, and running an import the way the task does."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.common.export import XLSX
from minsheng.deputies.tests.factories import id_number_for
from minsheng.imports.rosters import write_roster


def deputy_row(n: int, **changes) -> dict:
    """A valid row of the deputies roster: person n, a seat in 台山市's 17th congress."""
    row = {
        "name": f"测试代表{n}",
        "gender": "男",
        "ethnicity": "汉族",
        "id_number": id_number_for(10_000 + n),
        "mobile": f"139{n:08d}",
        "party": "中共党员",
        "occupation": "台山市某单位职员",
        "congress": "440781",
        "term": "17",
        "delegation": "台城代表团",
        "constituency": "第一选区",
        "start_date": dt.date(2021, 10, 1),
        "status": "在任",
    }
    row.update(changes)
    return row


def upload(kind: str, rows: list[dict], name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, write_roster(kind, rows), content_type=XLSX)


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
    from minsheng.imports.services import import_create

    return import_create(
        actor=taishan_staff,
        kind="deputies",
        congress=taishan_staff.congress,
        upload=upload("deputies", [deputy_row(1)]),
        enqueue=False,
    )


@pytest.fixture
def refused_job(run_import, taishan_staff, taishan_term):
    """A taishan_staff import refused for a wrong check digit in its second data row (Excel row 3)."""
    bad = deputy_row(2)
    bad["id_number"] = bad["id_number"][:-1] + ("1" if bad["id_number"][-1] != "1" else "2")
    return run_import(taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1), bad, deputy_row(3)])
