"""The reception form's picker of deputies (issue 12): the station's deputies, today's duty deputies first."""

import datetime as dt

import pytest

from minsheng.activities.models import ReceptionDay
from minsheng.common import clock
from minsheng.stations.models import StationDeputy

URL = "/api/v1/pick/deputies/"


@pytest.fixture
def attached(station, city_deputy, county_deputy, station_staff):
    """陈海 and 曾丽 are attached to the 海宴镇 station; 曾丽 is on duty today. 单国强 is not attached."""
    StationDeputy.objects.create(station=station, deputy=city_deputy)
    day = ReceptionDay.objects.create(
        station=station,
        day=clock.today(),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(11, 0),
        created_by=station_staff,
    )
    day.deputies.add(city_deputy)


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["text"] for o in response.json()]


def test_todays_duty_deputies_come_first(api, station_staff, station, attached):
    api.login(station_staff)
    options = api.get(URL, **{"for": f"reception:{station.pk}"}).json()
    assert [o["text"] for o in options] == ["曾丽", "陈海"]  # 陈 chen would sort first: 曾丽 is on duty
    assert options[0]["hint"] and not options[1]["hint"]


def test_the_station_deputies_are_found_by_initials(api, station_staff, station, attached):
    api.login(station_staff)
    assert names(api.get(URL, q="ch", **{"for": f"reception:{station.pk}"})) == ["陈海"]
    assert names(api.get(URL, q="zl", **{"for": f"reception:{station.pk}"})) == ["曾丽"]


def test_a_deputy_not_attached_to_the_station_is_never_offered(api, station_staff, station, attached):
    api.login(station_staff)
    assert names(api.get(URL, q="sgq", **{"for": f"reception:{station.pk}"})) == []  # 单国强
    assert names(api.get(URL, q="单", **{"for": f"reception:{station.pk}"})) == []


def test_staff_of_another_station_cannot_list_its_deputies(api, station, attached, kaiping_congress):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory
    from minsheng.stations.tests.factories import StationFactory

    other = StationFactory(
        name="赤坎镇人大代表联络站", congress=kaiping_congress, place=kaiping_congress.place
    )
    staff = UserFactory(username="chikan_staff", role=User.Role.STATION_STAFF, station=other)
    api.login(staff)
    assert api.get(URL, **{"for": f"reception:{station.pk}"}).status_code in (403, 404)


def test_the_reception_form_renders_a_picker_of_the_station(client, station_staff, station, attached):
    client.force_login(station_staff)
    html = client.get(f"/stations/{station.pk}/receptions/new/").content.decode()
    assert 'data-pick-url="/api/v1/pick/deputies/"' in html
    assert f'data-pick-for="reception:{station.pk}"' in html


def test_the_picker_answers_in_a_few_queries(
    api, station_staff, station, attached, django_assert_max_num_queries
):
    api.login(station_staff)
    with django_assert_max_num_queries(8):
        assert api.get(URL, q="c", **{"for": f"reception:{station.pk}"}).status_code == 200


def test_a_reception_days_deputies_are_picked_from_the_station(client, api, station_staff, station, attached):
    """The schedule of a reception day (接待日) names its duty deputies through a picker of the station's own."""
    client.force_login(station_staff)
    html = client.get(f"/stations/{station.pk}/reception-days/new/").content.decode()
    assert f'data-pick-for="reception_day:{station.pk}"' in html
    api.login(station_staff)
    assert names(api.get(URL, q="zl", **{"for": f"reception_day:{station.pk}"})) == ["曾丽"]
    assert names(api.get(URL, q="sgq", **{"for": f"reception_day:{station.pk}"})) == []  # not attached


def test_a_deputy_cannot_list_the_deputies_of_a_reception_day(api, deputy_user, station, attached):
    api.login(deputy_user)
    assert api.get(URL, **{"for": f"reception_day:{station.pk}"}).status_code in (403, 404)


def test_a_matter_is_sent_to_a_unit_found_by_typing(client, api, station_staff, station, civil_affairs):
    """The reception form's 「转交单位」 is a picker of the units a matter may go to, by any part of the name."""
    client.force_login(station_staff)
    html = client.get(f"/stations/{station.pk}/receptions/new/").content.decode()
    assert f'data-pick-for="referral:{station.pk}"' in html
    api.login(station_staff)
    assert names(api.get("/api/v1/pick/units/", q="民政", **{"for": f"referral:{station.pk}"})) == [
        "江门市民政局"
    ]


def test_a_deputy_cannot_list_the_units_of_a_stations_referrals(api, donor, station, civil_affairs):
    api.login(donor)
    assert api.get("/api/v1/pick/units/", **{"for": f"referral:{station.pk}"}).status_code in (403, 404)
