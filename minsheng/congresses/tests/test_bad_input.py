"""Terms and sessions dated before 2000 or beyond ten years ahead are refused (issue 8, part 3)."""

import datetime as dt

import pytest

from minsheng.common.errors import DomainError
from minsheng.congresses.models import Session, Term
from minsheng.congresses.services import session_create, term_create


def test_a_term_starting_in_1990_is_refused(taishan_staff, taishan_congress):
    with pytest.raises(DomainError) as refused:
        term_create(actor=taishan_staff, congress=taishan_congress, number=9, start_date=dt.date(1990, 1, 1))
    assert (refused.value.field, refused.value.code) == ("start_date", "date_too_early")
    assert not Term.objects.filter(number=9).exists()


def test_a_session_ending_decades_ahead_is_refused(taishan_staff, taishan_congress):
    term = term_create(
        actor=taishan_staff, congress=taishan_congress, number=17, start_date=dt.date(2021, 10, 1)
    )
    with pytest.raises(DomainError) as refused:
        session_create(
            actor=taishan_staff,
            term=term,
            number=1,
            start_date=dt.date(2022, 1, 5),
            end_date=dt.date(2090, 1, 8),
        )
    assert (refused.value.field, refused.value.code) == ("end_date", "date_too_far")
    assert not Session.objects.exists()
