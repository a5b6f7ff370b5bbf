import datetime as dt

import pytest
import time_machine
from django.utils import translation

from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.idcard import with_check_digit
from minsheng.common.models import AuditRecord
from minsheng.deputies import services
from minsheng.deputies.models import Deputy, Seat, compact_pinyin

VALID_ID = with_check_digit("44078119800315002")  # 1980-03-15, a woman (17th digit even)
TODAY = dt.date(2024, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2024, 6, 1, 10, 0), tick=False):
        yield


def audit_of(obj, verb):
    return AuditRecord.objects.filter(verb=verb, target_id=str(obj.pk))


def create(actor, congress, **overrides):
    kwargs = {"name": "李梅", "id_number": VALID_ID, "mobile": "13812345678"}
    kwargs.update(overrides)
    return services.deputy_create(actor=actor, congress=congress, **kwargs)


def bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


# --- deputy_create -------------------------------------------------------------------------------------------


def test_creating_a_deputy_reads_birth_date_and_gender_from_the_id_number(taishan_staff, taishan_term):
    deputy = create(taishan_staff, taishan_term.congress, id_number=f" {VALID_ID[:6]} {VALID_ID[6:]} ")
    deputy.refresh_from_db()
    assert deputy.birth_date == dt.date(1980, 3, 15)
    assert deputy.gender == Deputy.Gender.FEMALE
    assert deputy.name_sort.startswith("li1mei0") and deputy.name_pinyin == "limei"
    assert deputy.name_pinyin == "limei"


def test_a_new_deputy_gets_a_first_seat_in_the_current_term_of_the_congress(taishan_staff, taishan_term):
    deputy = create(taishan_staff, taishan_term.congress, delegation="台城代表团")
    seat = deputy.seats.get()
    assert (seat.congress, seat.term, seat.status) == (
        taishan_term.congress,
        taishan_term,
        Seat.Status.ACTIVE,
    )
    assert seat.start_date == taishan_term.start_date
    assert seat.delegation == "台城代表团"


def test_creating_a_deputy_is_audited_without_personal_data(taishan_staff, taishan_term):
    deputy = create(taishan_staff, taishan_term.congress)
    record = audit_of(deputy, "deputy.created").get()
    assert record.actor == taishan_staff
    text = str(record.data) + record.target_repr
    assert VALID_ID not in text and "13812345678" not in text
    assert audit_of(deputy.seats.get(), "seat.created").exists()


def test_personal_data_is_encrypted_at_rest(taishan_staff, taishan_term):
    from django.db import connection

    deputy = create(taishan_staff, taishan_term.congress)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile FROM deputies_deputy WHERE id = %s", [deputy.pk])
        raw_id, raw_mobile = cursor.fetchone()
    assert VALID_ID not in raw_id and "13812345678" not in raw_mobile


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("id_number", bad_check_digit(VALID_ID), "id_check_digit"),
        ("id_number", "44078119800315", "id_length"),
        ("id_number", "440781198002300021", "id_birth_date"),
        ("id_number", "", "required"),
        ("mobile", "1381234567", "mobile"),
        ("mobile", "02012345678", "mobile"),
        ("name", "  ", "required"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_is_saved(
    taishan_staff, taishan_term, field, value, code
):
    with pytest.raises(DomainError) as refused:
        create(taishan_staff, taishan_term.congress, **{field: value})
    assert refused.value.field == field
    assert refused.value.code == code
    assert not Deputy.objects.filter(name="李梅").exists()
    assert not AuditRecord.objects.filter(verb="deputy.created").exists()


def test_a_duplicate_id_number_is_a_conflict_naming_the_deputy_to_staff_who_see_them(
    taishan_staff, taishan_term
):
    create(taishan_staff, taishan_term.congress)
    with translation.override("en"), pytest.raises(Conflict) as refused:
        create(taishan_staff, taishan_term.congress, name="李梅梅", mobile="")
    assert refused.value.field == "id_number"
    assert refused.value.code == "duplicate_id_number"
    assert "李梅" in str(refused.value.message)
    assert Deputy.objects.count() == 1


def test_a_duplicate_id_number_of_another_region_is_refused_without_naming_the_deputy(
    taishan_staff, kaiping_staff, taishan_term, kaiping_term
):
    create(taishan_staff, taishan_term.congress)
    with pytest.raises(Conflict) as refused:
        create(kaiping_staff, kaiping_term.congress, name="王五")
    assert "李梅" not in str(refused.value.message)


def test_staff_cannot_add_a_deputy_to_a_congress_outside_their_region(kaiping_staff, taishan_term):
    with pytest.raises(PermissionDenied):
        create(kaiping_staff, taishan_term.congress)
    assert not Deputy.objects.exists()


def test_a_congress_without_a_term_cannot_take_a_deputy(taishan_staff, taishan_congress):
    with pytest.raises(DomainError) as refused:
        create(taishan_staff, taishan_congress)
    assert refused.value.field == "term"


# --- deputy_update -------------------------------------------------------------------------------------------


def test_updating_a_deputy_audits_the_changed_field_names_only(taishan_staff, county_deputy):
    services.deputy_update(
        actor=taishan_staff, deputy_id=county_deputy.pk, mobile="139 0000 1111", party="中共党员"
    )
    county_deputy.refresh_from_db()
    assert county_deputy.mobile == "13900001111"
    record = audit_of(county_deputy, "deputy.updated").get()
    assert sorted(record.data["fields"]) == ["mobile", "party"]
    assert "13900001111" not in str(record.data)


def test_a_new_id_number_must_not_belong_to_another_deputy(taishan_staff, county_deputy, town_deputy):
    with pytest.raises(Conflict):
        services.deputy_update(
            actor=taishan_staff, deputy_id=county_deputy.pk, id_number=town_deputy.id_number
        )


def test_staff_of_another_county_cannot_update_a_deputy(kaiping_staff, county_deputy):
    with pytest.raises(PermissionDenied):
        services.deputy_update(actor=kaiping_staff, deputy_id=county_deputy.pk, party="x")


def test_compact_pinyin_drops_spaces_and_the_name():
    assert compact_pinyin("曾丽") == "zengli"
    assert compact_pinyin("欧阳修") == "ouyangxiu"


# --- seats ---------------------------------------------------------------------------------------------------


def test_a_seat_is_added_in_the_congress_of_its_term_and_audited(taishan_staff, town_deputy, taishan_term):
    seat = services.seat_add(
        actor=taishan_staff, deputy=town_deputy, term=taishan_term, delegation="海宴代表小组"
    )
    assert seat.congress == taishan_term.congress
    assert audit_of(seat, "seat.created").get().data["deputy"] == town_deputy.pk


def test_a_second_seat_in_the_same_term_is_a_conflict(taishan_staff, county_deputy, taishan_term):
    with pytest.raises(Conflict) as refused:
        services.seat_add(actor=taishan_staff, deputy=county_deputy, term=taishan_term)
    assert refused.value.field == "term"
    assert county_deputy.seats.count() == 1


def test_a_seat_must_start_within_its_term(taishan_staff, town_deputy, taishan_term):
    with pytest.raises(DomainError) as refused:
        services.seat_add(
            actor=taishan_staff, deputy=town_deputy, term=taishan_term, start_date=dt.date(2020, 1, 1)
        )
    assert refused.value.field == "start_date"


def test_staff_may_add_seats_only_in_congresses_of_their_region(taishan_staff, town_deputy, city_term):
    with pytest.raises(PermissionDenied):
        services.seat_add(actor=taishan_staff, deputy=town_deputy, term=city_term)


@pytest.mark.parametrize("status", [Seat.Status.ENDED, Seat.Status.RESIGNED])
def test_an_active_seat_can_be_ended_or_resigned_and_is_audited(taishan_staff, county_deputy, status):
    seat = county_deputy.seats.get()
    services.seat_end(actor=taishan_staff, seat_id=seat.pk, status=status, end_date=TODAY, reason="调离")
    seat.refresh_from_db()
    assert (seat.status, seat.end_date, seat.end_reason) == (status, TODAY, "调离")
    record = audit_of(seat, "seat.ended").get()
    assert record.data == {
        "deputy": county_deputy.pk,
        "status": status,
        "end_date": TODAY.isoformat(),
        "reason": "调离",
    }


def test_an_ended_seat_cannot_end_again(taishan_staff, county_deputy):
    seat = county_deputy.seats.get()
    services.seat_end(actor=taishan_staff, seat_id=seat.pk, status=Seat.Status.ENDED, end_date=TODAY)
    with pytest.raises(TransitionNotAllowed):
        services.seat_end(actor=taishan_staff, seat_id=seat.pk, status=Seat.Status.RESIGNED, end_date=TODAY)
    assert audit_of(seat, "seat.ended").count() == 1
    seat.refresh_from_db()
    assert seat.status == Seat.Status.ENDED


@pytest.mark.parametrize(
    ("status", "end_date", "field"),
    [
        ("active", TODAY, "status"),
        ("ended", dt.date(2020, 1, 1), "end_date"),
        ("ended", TODAY + dt.timedelta(days=1), "end_date"),
    ],
)
def test_a_seat_end_with_bad_input_is_refused(taishan_staff, county_deputy, status, end_date, field):
    seat = county_deputy.seats.get()
    with pytest.raises(DomainError) as refused:
        services.seat_end(actor=taishan_staff, seat_id=seat.pk, status=status, end_date=end_date)
    assert refused.value.field == field
    seat.refresh_from_db()
    assert seat.status == Seat.Status.ACTIVE


def test_staff_cannot_end_a_seat_of_a_congress_above_them(taishan_staff, city_deputy):
    city_seat = city_deputy.seats.get(congress__level="city")
    with pytest.raises(PermissionDenied):
        services.seat_end(actor=taishan_staff, seat_id=city_seat.pk, status="ended", end_date=TODAY)
