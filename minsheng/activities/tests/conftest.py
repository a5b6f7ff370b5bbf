"""Fixtures of the activities tests (the named cast lives in the root conftest.py; the stations' own fixtures
are shared from the stations tests, which sit below)."""

import pytest

from minsheng.deputies.tests.conftest import ROLES, api  # noqa: F401 - shared fixtures
from minsheng.stations.models import StationDeputy
from minsheng.stations.tests.conftest import closed_station, kaiping_station  # noqa: F401 - shared fixtures

__all__ = ["ROLES"]

VISITOR_NAME = "梁秀英"
VISITOR_PHONE = "13912345678"


@pytest.fixture
def make_reception(station, station_staff, town_deputy):
    """`make_reception(**overrides)`: a reception at 海宴镇's station received by 陈海, recorded by the station's
    staff through the service, with a contact visitor."""
    import datetime as dt

    from minsheng.activities import services
    from minsheng.common import clock

    def make(**overrides):
        data = {
            "actor": station_staff,
            "station_id": station.pk,
            "received_at": clock.now() - dt.timedelta(hours=2),
            "deputies": [town_deputy],
            "visitor_count": 3,
            "contact_name": VISITOR_NAME,
            "contact_phone": VISITOR_PHONE,
            "matter": "五丰村路灯损坏，夜间出行不便，希望尽快维修。",
            "category": "urban_rural",
            "outcome": "answered",
        }
        data.update(overrides)
        return services.reception_record(**data)

    return make


@pytest.fixture
def reception(make_reception):
    return make_reception()


@pytest.fixture
def other_station_deputy_user(station, city_deputy):
    """曾丽, attached to 海宴镇's station too, with an account: a deputy of the station who did not receive."""
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    StationDeputy.objects.create(station=station, deputy=city_deputy)
    return UserFactory(username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy)
