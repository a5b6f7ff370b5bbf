"""Races on PostgreSQL, for real: threads behind a barrier."""

import pytest
from django.db import connection

from minsheng.deputies.tests.test_races import race
from minsheng.stations import services
from minsheng.stations.models import StationDeputy

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are real only on PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_attaching_one_deputy_twice_at_once_attaches_once(
    taishan_staff, station_staff, station, county_deputy
):
    def attach(actor):
        return lambda: services.station_attach_deputy(
            actor=actor, station_id=station.pk, deputy=county_deputy
        )

    assert race(attach(taishan_staff), attach(station_staff)) == ["already_attached", "done"]
    assert StationDeputy.objects.filter(station=station, deputy=county_deputy).count() == 1
