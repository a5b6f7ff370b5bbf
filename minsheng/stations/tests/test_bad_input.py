"""Attachments dated before 2000 or in the future are refused (issue 8, part 3; receptions: activities)."""

import datetime as dt

import pytest

from minsheng.common import clock
from minsheng.common.errors import DomainError
from minsheng.stations import services
from minsheng.stations.models import StationDeputy

pytestmark = pytest.mark.django_db


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
