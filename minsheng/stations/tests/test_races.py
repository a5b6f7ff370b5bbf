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


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_one_reception_as_a_case_at_once_make_one_case(
    deputy_user, station_staff, make_reception
):
    from minsheng.cases.models import Case

    reception = make_reception()

    def to_case(actor):
        return lambda: services.reception_to_case(actor=actor, reception_id=reception.pk)

    assert race(to_case(deputy_user), to_case(station_staff)) == ["already_linked", "done"]
    assert Case.objects.count() == 1
    reception.refresh_from_db()
    assert reception.case_id == Case.objects.get().pk
