import datetime as dt

import pytest
from django.utils import translation

from minsheng.common.errors import Conflict, DomainError, PermissionDenied
from minsheng.common.models import AuditRecord
from minsheng.congresses.models import Session, Term
from minsheng.congresses.services import session_create, term_create

D = dt.date


def test_staff_add_a_term_and_the_audit_trail_records_it(taishan_staff, taishan_congress):
    term = term_create(
        actor=taishan_staff,
        congress=taishan_congress,
        number=17,
        start_date=D(2021, 10, 1),
        end_date=D(2026, 9, 30),
    )
    assert (term.congress, term.number) == (taishan_congress, 17)
    record = AuditRecord.objects.get(verb="term.created", target_id=str(term.pk))
    assert record.actor == taishan_staff
    assert record.data == {
        "number": 17,
        "start_date": "2021-10-01",
        "end_date": "2026-09-30",
        "closed_previous": None,
    }


def test_city_staff_add_terms_to_the_county_and_town_congresses_below_them(city_staff, haiyan_congress):
    assert term_create(actor=city_staff, congress=haiyan_congress, number=18, start_date=D(2021, 10, 1)).pk


def test_taishan_staff_cannot_add_a_term_to_kaipings_congress(taishan_staff, kaiping_congress):
    with pytest.raises(PermissionDenied):
        term_create(actor=taishan_staff, congress=kaiping_congress, number=17, start_date=D(2021, 10, 1))
    assert not Term.objects.filter(congress=kaiping_congress).exists()


@pytest.mark.parametrize("role", ["deputy_user", "station_staff", "civil_affairs_handler", "donor"])
def test_people_who_are_not_staff_cannot_add_terms(request, role, taishan_congress):
    with pytest.raises(PermissionDenied):
        term_create(
            actor=request.getfixturevalue(role), congress=taishan_congress, number=1, start_date=D(2021, 1, 1)
        )


def test_a_term_that_ends_before_it_starts_is_refused(taishan_staff, taishan_congress):
    with pytest.raises(DomainError) as exc:
        term_create(
            actor=taishan_staff,
            congress=taishan_congress,
            number=17,
            start_date=D(2021, 10, 1),
            end_date=D(2021, 1, 1),
        )
    assert exc.value.field == "end_date"
    assert not AuditRecord.objects.filter(verb="term.created").exists()


def test_a_term_number_below_one_is_refused(taishan_staff, taishan_congress):
    with pytest.raises(DomainError) as exc:
        term_create(actor=taishan_staff, congress=taishan_congress, number=0, start_date=D(2021, 10, 1))
    assert exc.value.field == "number"


def test_a_second_term_with_the_same_number_is_a_conflict(taishan_staff, taishan_term):
    with translation.override("en"), pytest.raises(Conflict) as exc:
        term_create(actor=taishan_staff, congress=taishan_term.congress, number=17, start_date=D(2027, 1, 1))
    assert exc.value.field == "number"
    assert str(exc.value.message) == "This congress already has a term 17."


def test_a_term_overlapping_the_previous_one_is_a_conflict(taishan_staff, taishan_term):
    with pytest.raises(Conflict) as exc:
        term_create(actor=taishan_staff, congress=taishan_term.congress, number=18, start_date=D(2025, 1, 1))
    assert exc.value.field == "start_date"


def test_a_term_must_end_before_the_next_one_starts(taishan_staff, taishan_term):
    with pytest.raises(Conflict) as exc:
        term_create(actor=taishan_staff, congress=taishan_term.congress, number=16, start_date=D(2016, 10, 1))
    assert exc.value.field == "end_date"
    earlier = term_create(
        actor=taishan_staff,
        congress=taishan_term.congress,
        number=16,
        start_date=D(2016, 10, 1),
        end_date=D(2021, 9, 30),
    )
    assert earlier.pk


def test_adding_the_next_term_closes_an_open_ended_previous_one(taishan_staff, taishan_congress):
    first = term_create(actor=taishan_staff, congress=taishan_congress, number=17, start_date=D(2021, 10, 1))
    term_create(actor=taishan_staff, congress=taishan_congress, number=18, start_date=D(2026, 10, 1))
    first.refresh_from_db()
    assert first.end_date == D(2026, 9, 30)
    assert AuditRecord.objects.get(verb="term.created", data__number=18).data["closed_previous"] == 17


def test_staff_add_a_session_within_the_term_and_the_audit_trail_records_it(taishan_staff, taishan_term):
    session = session_create(
        actor=taishan_staff, term=taishan_term, number=4, start_date=D(2025, 1, 7), end_date=D(2025, 1, 10)
    )
    assert (session.term, session.number) == (taishan_term, 4)
    record = AuditRecord.objects.get(verb="session.created", target_id=str(session.pk))
    assert record.actor == taishan_staff
    assert record.data == {"term": 17, "number": 4, "start_date": "2025-01-07", "end_date": "2025-01-10"}


def test_a_session_outside_its_term_is_refused(taishan_staff, taishan_term):
    with pytest.raises(DomainError) as exc:
        session_create(
            actor=taishan_staff, term=taishan_term, number=1, start_date=D(2020, 1, 7), end_date=D(2020, 1, 9)
        )
    assert exc.value.field == "start_date"
    assert not Session.objects.exists()


def test_a_session_that_ends_before_it_starts_is_refused(taishan_staff, taishan_term):
    with pytest.raises(DomainError) as exc:
        session_create(
            actor=taishan_staff, term=taishan_term, number=1, start_date=D(2022, 1, 9), end_date=D(2022, 1, 7)
        )
    assert exc.value.field == "end_date"


def test_a_second_session_with_the_same_number_or_overlapping_dates_is_a_conflict(
    taishan_staff, taishan_term
):
    session_create(
        actor=taishan_staff, term=taishan_term, number=1, start_date=D(2022, 1, 7), end_date=D(2022, 1, 9)
    )
    with pytest.raises(Conflict) as exc:
        session_create(
            actor=taishan_staff, term=taishan_term, number=1, start_date=D(2023, 1, 7), end_date=D(2023, 1, 9)
        )
    assert exc.value.field == "number"
    with pytest.raises(Conflict) as exc:
        session_create(
            actor=taishan_staff,
            term=taishan_term,
            number=2,
            start_date=D(2022, 1, 9),
            end_date=D(2022, 1, 10),
        )
    assert exc.value.field == "start_date"
    assert Session.objects.count() == 1


def test_taishan_staff_cannot_add_a_session_to_kaipings_term(taishan_staff, kaiping_term):
    with pytest.raises(PermissionDenied):
        session_create(
            actor=taishan_staff, term=kaiping_term, number=1, start_date=D(2022, 1, 7), end_date=D(2022, 1, 9)
        )
    assert not AuditRecord.objects.filter(verb="session.created").exists()


def test_closing_a_previous_term_that_still_has_later_sessions_is_refused(taishan_staff, taishan_congress):
    first = term_create(actor=taishan_staff, congress=taishan_congress, number=17, start_date=D(2021, 10, 1))
    session_create(
        actor=taishan_staff, term=first, number=9, start_date=D(2027, 1, 5), end_date=D(2027, 1, 8)
    )
    with pytest.raises(Conflict):
        term_create(actor=taishan_staff, congress=taishan_congress, number=18, start_date=D(2026, 10, 1))
    first.refresh_from_db()
    assert first.end_date is None
