"""The deputies roster: all or nothing, idempotent, and precise about what is wrong."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import translation

from minsheng.common.crypto import blind_index
from minsheng.common.errors import PermissionDenied
from minsheng.common.models import AuditRecord
from minsheng.deputies.models import Deputy, Seat
from minsheng.deputies.tests.factories import SeatFactory, id_number_for
from minsheng.imports.models import ImportJob
from minsheng.imports.services import import_create

from .conftest import deputy_row, read_xlsx, upload

pytestmark = pytest.mark.django_db

Status = ImportJob.Status


def wrong_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("1" if id_number[-1] != "1" else "2")


def raw_ciphertexts() -> dict[int, tuple[str, str]]:
    """The stored (encrypted) ID number and mobile of every deputy, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, id_number, mobile FROM {Deputy._meta.db_table}")
        return {pk: (id_number, mobile) for pk, id_number, mobile in cursor.fetchall()}


def test_a_good_roster_creates_the_deputies_and_their_seats(run_import, taishan_staff, taishan_term):
    rows = [deputy_row(i) for i in range(3)]

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, rows)

    assert job.status == Status.SUCCEEDED, job.message
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    assert (job.processed_rows, job.total_rows, job.error_count) == (3, 3, 0)
    deputy = Deputy.objects.get(id_number_index=blind_index(rows[1]["id_number"]))
    assert (deputy.name, deputy.id_number, deputy.mobile) == (
        "测试代表1",
        rows[1]["id_number"],
        "13900000001",
    )
    assert deputy.name_sort.startswith("ce1shi1dai1biao1")
    assert deputy.mobile_index == blind_index("13900000001")
    seat = deputy.seats.get()
    assert (seat.term, seat.congress, seat.status) == (
        taishan_term,
        taishan_term.congress,
        Seat.Status.ACTIVE,
    )
    assert (seat.delegation, seat.constituency, seat.start_date) == (
        "台城代表团",
        "第一选区",
        dt.date(2021, 10, 1),
    )


def test_an_import_writes_one_audit_record_per_job_not_per_row(run_import, taishan_staff, taishan_term):
    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [deputy_row(i) for i in range(4)])

    records = AuditRecord.objects.filter(target_id=str(job.pk), verb__startswith="import.")
    assert sorted(r.verb for r in records) == ["import.completed", "import.started"]
    completed = records.get(verb="import.completed")
    assert completed.actor == taishan_staff
    assert completed.data == {"kind": "deputies", "rows": 4, "created": 4, "updated": 0, "unchanged": 0}


def test_one_wrong_check_digit_refuses_the_whole_file_and_the_report_names_its_row_and_column(
    refused_job,
):
    job = refused_job

    assert job.status == Status.REFUSED
    assert Deputy.objects.count() == 0 and Seat.objects.count() == 0
    assert job.error_count == 1
    [error] = job.errors
    assert (error["row"], error["column"], error["field"]) == (3, "身份证号码", "id_number")
    report = read_xlsx(job.error_report.read())
    assert report[1][:2] == (3, "身份证号码")
    assert AuditRecord.objects.get(verb="import.refused", target_id=str(job.pk)).data["error_count"] == 1


def test_the_error_report_masks_id_numbers_and_mobiles(run_import, taishan_staff, taishan_term):
    row = deputy_row(1, mobile="1390000")
    row["id_number"] = wrong_check_digit(row["id_number"])

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [row])

    report = read_xlsx(job.error_report.read())
    values = {line[1]: line[2] for line in report[1:]}
    assert values["身份证号码"] == row["id_number"][:4] + "**********" + row["id_number"][-4:]
    assert row["id_number"] not in str(report) and row["id_number"] not in str(job.errors)
    assert "1390000" not in str(report) and "1390000" not in str(job.errors)


def test_importing_the_same_file_twice_changes_nothing(run_import, taishan_staff, taishan_term):
    rows = [deputy_row(i) for i in range(5)]
    run_import(taishan_staff, "deputies", taishan_staff.congress, rows)
    deputies_before = dict(Deputy.objects.values_list("id", "updated_at"))
    seats_before = dict(Seat.objects.values_list("id", "updated_at"))
    ciphertexts_before = raw_ciphertexts()

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, rows)

    assert job.status == Status.SUCCEEDED
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 5)
    assert dict(Deputy.objects.values_list("id", "updated_at")) == deputies_before
    assert dict(Seat.objects.values_list("id", "updated_at")) == seats_before
    assert raw_ciphertexts() == ciphertexts_before  # no unchanged row was re-encrypted


def test_an_updated_file_updates_the_person_it_changes_and_no_one_else(
    run_import, taishan_staff, taishan_term
):
    rows = [deputy_row(i) for i in range(4)]
    run_import(taishan_staff, "deputies", taishan_staff.congress, rows)
    before = dict(Deputy.objects.values_list("id", "updated_at"))
    rows[2].update(mobile="13712345678", status="终止")

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, rows)

    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 3)
    changed = Deputy.objects.get(id_number_index=blind_index(rows[2]["id_number"]))
    assert changed.mobile == "13712345678"
    assert changed.mobile_index == blind_index("13712345678")
    seat = changed.seats.get()
    assert seat.status == Seat.Status.ENDED and seat.end_date is not None
    after = dict(Deputy.objects.values_list("id", "updated_at"))
    assert [pk for pk in after if after[pk] != before[pk]] == [changed.pk]


def test_an_empty_optional_cell_leaves_the_stored_value_alone(run_import, taishan_staff, taishan_term):
    run_import(taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1)])

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1, mobile="", party="")])

    assert job.unchanged_count == 1
    deputy = Deputy.objects.get()
    assert (deputy.mobile, deputy.party) == ("13900000001", "中共党员")


def test_a_person_with_seats_in_two_congresses_has_one_row_per_seat(
    run_import, taishan_staff, taishan_term, haiyan_term
):
    rows = [deputy_row(1), deputy_row(1, congress="440781111", term="第十八届", delegation="海宴镇代表小组")]

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, rows)

    assert job.status == Status.SUCCEEDED, job.errors
    deputy = Deputy.objects.get()
    assert sorted(s.congress.name for s in deputy.seats.all()) == ["台山市人民代表大会", "海宴镇人民代表大会"]


def test_a_congress_may_be_named_by_its_full_name(run_import, taishan_staff, taishan_term):
    job = run_import(
        taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1, congress="台山市人民代表大会")]
    )

    assert job.status == Status.SUCCEEDED
    assert Seat.objects.get().term == taishan_term


def test_two_rows_for_the_same_seat_are_refused(run_import, taishan_staff, taishan_term):
    job = run_import(
        taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1), deputy_row(2), deputy_row(1)]
    )

    assert job.status == Status.REFUSED and Deputy.objects.count() == 0
    assert [(e["row"], e["field"]) for e in job.errors] == [(4, "id_number")]


def test_a_person_described_differently_on_two_rows_is_refused(
    run_import, taishan_staff, taishan_term, haiyan_term
):
    rows = [deputy_row(1), deputy_row(1, congress="440781111", term="18", mobile="13600000000")]

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, rows)

    assert job.status == Status.REFUSED
    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "mobile")]


def test_an_unknown_congress_is_refused(run_import, taishan_staff, taishan_term):
    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1, congress="449999")])

    assert job.status == Status.REFUSED
    assert [(e["row"], e["field"], e["value"]) for e in job.errors] == [(2, "congress", "449999")]


def test_a_row_for_a_congress_outside_the_import_is_refused(
    run_import, taishan_staff, taishan_term, kaiping_term
):
    rows = [deputy_row(1), deputy_row(2, congress="440783"), deputy_row(3, congress="全国")]

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, rows)

    assert job.status == Status.REFUSED and Deputy.objects.count() == 0
    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "congress"), (4, "congress")]


def test_an_import_for_a_congress_outside_the_uploaders_scope_is_forbidden(taishan_staff, kaiping_congress):
    with pytest.raises(PermissionDenied):
        import_create(
            actor=taishan_staff,
            kind="deputies",
            congress=kaiping_congress,
            upload=upload("deputies", [deputy_row(1)]),
        )

    assert not ImportJob.objects.exists()


def test_a_term_the_congress_does_not_have_is_refused(run_import, taishan_staff, taishan_term):
    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1, term="16")])

    assert job.status == Status.REFUSED
    assert [(e["field"], e["value"]) for e in job.errors] == [("term", "16")]


def test_a_gender_that_contradicts_the_id_number_is_refused(run_import, taishan_staff, taishan_term):
    woman = deputy_row(1, id_number=id_number_for(20_001, gender="F"))

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [woman, deputy_row(2, gender="")])

    assert job.status == Status.REFUSED
    assert [(e["row"], e["field"], e["value"]) for e in job.errors] == [(2, "gender", "男")]


def test_an_empty_gender_is_read_from_the_id_number(run_import, taishan_staff, taishan_term):
    woman = deputy_row(1, id_number=id_number_for(20_001, gender="F"), gender="")

    run_import(taishan_staff, "deputies", taishan_staff.congress, [woman])

    assert Deputy.objects.get().gender == Deputy.Gender.FEMALE


def test_every_wrong_cell_of_a_row_is_reported_by_column(run_import, taishan_staff, taishan_term):
    row = deputy_row(1, name="", mobile="12345", start_date="2021-13-40", status="在职", gender="未知")

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [row])

    assert job.status == Status.REFUSED
    assert [e["field"] for e in job.errors] == ["name", "gender", "mobile", "start_date", "status"]
    assert {e["column"] for e in job.errors} == {"姓名", "性别", "手机号码", "任职开始", "状态"}


def test_a_seat_start_outside_its_term_is_refused(run_import, taishan_staff, taishan_term):
    job = run_import(
        taishan_staff, "deputies", taishan_staff.congress, [deputy_row(1, start_date="2020-01-01")]
    )

    assert [e["field"] for e in job.errors] == ["start_date"]


def test_an_ended_seat_cannot_be_in_office_again(run_import, taishan_staff, taishan_term):
    row = deputy_row(1)
    SeatFactory(
        term=taishan_term,
        deputy__id_number=row["id_number"],
        deputy__name=row["name"],
        status=Seat.Status.ENDED,
        end_date=dt.date(2023, 1, 1),
    )

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [row])

    assert job.status == Status.REFUSED
    assert [(e["field"], e["value"]) for e in job.errors] == [("status", "在任")]
    assert Seat.objects.get().status == Seat.Status.ENDED


def test_a_known_person_gets_a_new_seat_and_keeps_the_others(
    run_import, taishan_staff, town_deputy, taishan_term
):
    row = deputy_row(
        1,
        id_number=town_deputy.id_number,
        name=town_deputy.name,
        mobile="",
        party="",
        ethnicity="",
        occupation="",
    )

    job = run_import(taishan_staff, "deputies", taishan_staff.congress, [row])

    assert job.status == Status.SUCCEEDED, job.errors
    assert (job.created_count, job.updated_count) == (1, 0)
    assert sorted(s.congress.name for s in town_deputy.seats.all()) == [
        "台山市人民代表大会",
        "海宴镇人民代表大会",
    ]
    assert Deputy.objects.count() == 1


def test_the_example_row_of_the_template_is_refused(run_import, taishan_staff, taishan_term):
    from minsheng.imports.rosters import example_row

    job = run_import(
        taishan_staff, "deputies", taishan_staff.congress, [example_row("deputies"), deputy_row(1)]
    )

    assert job.status == Status.REFUSED
    assert [(e["row"], e["field"]) for e in job.errors] == [(2, "name")]


def test_errors_are_written_in_the_uploaders_language(run_import, taishan_staff, taishan_term):
    row = deputy_row(1)
    row["id_number"] = wrong_check_digit(row["id_number"])
    with translation.override("en"):
        job = run_import(taishan_staff, "deputies", taishan_staff.congress, [row])

    assert job.language == "en"
    assert "check digit" in job.errors[0]["message"]
    assert read_xlsx(job.error_report.read())[0] == ("Row", "Column", "Value", "Error")
