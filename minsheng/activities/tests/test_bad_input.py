"""Receptions dated before 2000 or in the future are refused (issue 8, part 3)."""

import datetime as dt

import pytest

from minsheng.activities import services
from minsheng.activities.models import Reception
from minsheng.common import clock
from minsheng.common.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_reception_before_2000_is_refused_and_one_of_today_is_recorded(make_reception):
    with pytest.raises(DomainError) as refused:
        make_reception(received_at=dt.datetime(1999, 12, 31, 9, 0, tzinfo=dt.UTC))
    assert (refused.value.field, refused.value.code) == ("received_at", "date_too_early")
    assert not Reception.objects.exists()
    assert make_reception(
        received_at=clock.now() + dt.timedelta(minutes=5)
    ).pk  # a few minutes ahead: allowed


def test_correcting_a_reception_to_1900_or_to_a_huge_matter_is_refused(reception, station_staff):
    for change, field, code in (
        ({"received_at": dt.datetime(1900, 1, 1, 9, 0, tzinfo=dt.UTC)}, "received_at", "date_too_early"),
        ({"matter": "长" * 5001}, "matter", "max_length"),
        ({"outcome_note": "长" * 2001}, "outcome_note", "max_length"),
    ):
        with pytest.raises(DomainError) as refused:
            services.reception_update(actor=station_staff, reception_id=reception.pk, **change)
        assert (refused.value.field, refused.value.code) == (field, code)
    assert Reception.objects.get(pk=reception.pk).matter == reception.matter
