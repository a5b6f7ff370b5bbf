"""Receptions and attachments dated before 2000 or in the future are refused (issue 8, part 3)."""

import datetime as dt

import pytest

from minsheng.common import clock
from minsheng.common.errors import DomainError
from minsheng.stations import services
from minsheng.stations.models import Reception, StationDeputy

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


def test_a_deputy_attached_since_1999_or_tomorrow_is_refused(station, city_staff, city_deputy):
    for since, code in (
        (dt.date(1999, 1, 1), "date_too_early"),
        (clock.today() + dt.timedelta(days=1), "date_in_future"),
    ):
        with pytest.raises(DomainError) as refused:
            services.station_attach_deputy(
                actor=city_staff, station_id=station.pk, deputy=city_deputy, since=since
            )
        assert (refused.value.field, refused.value.code) == ("since", code)
    assert not StationDeputy.objects.filter(deputy=city_deputy).exists()
