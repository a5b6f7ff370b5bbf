"""Seats dated before 2000 are refused (issue 8, part 3)."""

import datetime as dt

import pytest

from minsheng.common.errors import DomainError
from minsheng.deputies import services


def test_a_seat_starting_before_2000_is_refused_before_anything_else(
    taishan_staff, town_deputy, taishan_term
):
    with pytest.raises(DomainError) as refused:
        services.seat_add(
            actor=taishan_staff, deputy=town_deputy, term=taishan_term, start_date=dt.date(1999, 12, 31)
        )
    assert (refused.value.field, refused.value.code) == ("start_date", "date_too_early")
    assert town_deputy.seats.filter(term=taishan_term).count() == 0
