"""Roster files: the writer, the templates, and bad files refused at upload before any job exists."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from minsheng.common.errors import DomainError
from minsheng.imports import rosters
from minsheng.imports.models import ImportJob
from minsheng.imports.services import import_create

from .conftest import deputy_row, read_xlsx

pytestmark = pytest.mark.django_db


def workbook(*rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def start(actor, data: bytes, name: str = "roster.xlsx", kind: str = "deputies"):
    return import_create(
        actor=actor, kind=kind, congress=actor.congress, upload=SimpleUploadedFile(name, data), enqueue=False
    )


def refusal(actor, data: bytes, name: str = "roster.xlsx") -> DomainError:
    with pytest.raises(DomainError) as caught:
        start(actor, data, name)
    assert caught.value.field == "file"
    assert not ImportJob.objects.exists()
    return caught.value


def test_write_roster_writes_the_fixed_headers_and_one_line_per_row():
    data = rosters.write_roster("deputies", [deputy_row(1), {"name": "李四"}])

    rows = read_xlsx(data)
    assert rows[0] == tuple(c.header for c in rosters.columns_of("deputies"))
    assert rows[1][0] == "测试代表1" and rows[1][3] == deputy_row(1)["id_number"]
    assert rows[1][11] == dt.datetime(2021, 10, 1)
    assert rows[2][0] == "李四" and not any(rows[2][1:])


@pytest.mark.parametrize("kind", ["deputies", "stations", "units"])
def test_each_template_has_the_headers_an_example_row_and_a_notes_sheet(kind):
    data = rosters.template_bytes(kind)

    sheet = read_xlsx(data, 0)
    notes = read_xlsx(data, 1)
    assert sheet[0] == tuple(c.header for c in rosters.columns_of(kind))
    assert sheet[1][0] == rosters.columns_of(kind)[0].example
    assert [line[0] for line in notes[1 : len(rosters.columns_of(kind)) + 1]] == list(sheet[0])


def test_a_file_that_is_not_xlsx_is_refused_at_upload(taishan_staff):
    assert refusal(taishan_staff, "姓名,身份证号码\n".encode(), name="roster.csv").code == "not_xlsx"
    assert refusal(taishan_staff, b"PK\x03\x04 not really a workbook").code == "not_xlsx"
    assert refusal(taishan_staff, b"\xd0\xcf\x11\xe0 an old .xls").code == "not_xlsx"


def test_a_roster_without_a_required_column_is_refused_at_upload(taishan_staff):
    error = refusal(taishan_staff, workbook(["姓名", "性别", "人大", "届次"], ["张三", "男", "440781", "17"]))

    assert error.code == "missing_columns"
    assert "身份证号码" in str(error.message)


def test_a_roster_without_a_header_row_is_refused_at_upload(taishan_staff):
    assert refusal(taishan_staff, workbook(["张三", "男", "440781"])).code == "no_header"


def test_a_roster_without_data_rows_is_refused_at_upload(taishan_staff):
    assert refusal(taishan_staff, rosters.write_roster("deputies", [])).code == "no_rows"


def test_a_file_over_the_size_limit_is_refused_at_upload(taishan_staff, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1000

    assert refusal(taishan_staff, rosters.write_roster("deputies", [deputy_row(1)])).code == "too_big"


def test_a_title_row_above_the_header_other_column_orders_and_header_variants_are_read(
    run_import, taishan_staff, taishan_term
):
    row = deputy_row(1)
    data = workbook(
        ["台山市第十七届人民代表大会代表名册"],
        ["身份证号*", "姓名", "人大", "届次", "代表团", "备注"],
        [row["id_number"], row["name"], 440781, 17, "台城代表团", "不导入"],
    )
    job = start(taishan_staff, data)

    from minsheng.imports.services import import_execute

    job = import_execute(job_id=job.pk)

    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert job.total_rows == 1


def test_the_id_list_of_a_station_is_split_on_every_separator():
    assert rosters.split_id_list("1；2;3、4\n5,  6 ") == ["1", "2", "3", "4", "5", "6"]
