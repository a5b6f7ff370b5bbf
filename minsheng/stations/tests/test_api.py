import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.common.testing import matrix
from minsheng.places.models import Place
from minsheng.stations.models import Station, StationDeputy

from .conftest import ROLES
from .factories import StationFactory

STATIONS = "/api/v1/stations/"


def by_role(**expected) -> list:
    return matrix(ROLES, **expected)


MANAGERS_OF_HAIYAN = {
    "anonymous": 403,
    "admin_user": 200,
    "city_staff": 200,
    "taishan_staff": 200,
    "kaiping_staff": 403,
    "deputy_user": 403,
    "station_staff": 200,
    "civil_affairs_handler": 403,
    "donor": 403,
}


@pytest.mark.parametrize(("role", "expected"), by_role(**dict.fromkeys(ROLES, 200)))
def test_reading_stations_is_public(api, user_for, station, role, expected):
    api.login(user_for(role))
    assert api.get(STATIONS).status_code == expected
    assert api.get(f"{STATIONS}{station.pk}/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=404,
        admin_user=200,
        city_staff=200,
        taishan_staff=200,
        kaiping_staff=404,
        deputy_user=404,
        station_staff=404,
        civil_affairs_handler=404,
        donor=404,
    ),
)
def test_a_closed_station_is_there_only_for_those_who_manage_it(
    api, user_for, closed_station, role, expected
):
    assert api.login(user_for(role)).get(f"{STATIONS}{closed_station.pk}/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=403,
        admin_user=201,
        city_staff=201,
        taishan_staff=201,
        kaiping_staff=403,
        deputy_user=403,
        station_staff=403,
        civil_affairs_handler=403,
        donor=403,
    ),
)
def test_adding_a_station_in_taishan_answers_by_role(api, user_for, haiyan_congress, role, expected):
    payload = {
        "name": "海宴镇代表之家",
        "kind": "home",
        "place": haiyan_congress.place_id,
        "address": "海宴镇政府",
    }
    response = api.login(user_for(role)).post(STATIONS, payload)
    assert response.status_code == expected
    assert Station.objects.filter(name="海宴镇代表之家").exists() is (expected == 201)


@pytest.mark.parametrize(("role", "expected"), by_role(**MANAGERS_OF_HAIYAN))
def test_editing_a_station_answers_by_role(api, user_for, station, role, expected):
    response = api.login(user_for(role)).patch(f"{STATIONS}{station.pk}/", {"phone": "0750-5551111"})
    assert response.status_code == expected
    station.refresh_from_db()
    assert (station.phone == "0750-5551111") is (expected == 200)


@pytest.mark.parametrize(("role", "expected"), by_role(**MANAGERS_OF_HAIYAN))
def test_attaching_answers_by_role(api, user_for, station, county_deputy, role, expected):
    response = api.login(user_for(role)).post(f"{STATIONS}{station.pk}/attach/", {"deputy": county_deputy.pk})
    assert response.status_code == expected
    if expected == 200:
        assert [d["name"] for d in response.json()["deputies"]] == ["陈海", "单国强"]


@pytest.mark.parametrize(("role", "expected"), by_role(**MANAGERS_OF_HAIYAN))
def test_detaching_answers_by_role(api, user_for, station, town_deputy, role, expected):
    response = api.login(user_for(role)).post(f"{STATIONS}{station.pk}/detach/", {"deputy": town_deputy.pk})
    assert response.status_code == expected
    assert StationDeputy.objects.filter(station=station).exists() is (expected != 200)


def test_attaching_twice_is_a_conflict(api, station_staff, station, town_deputy):
    response = api.login(station_staff).post(f"{STATIONS}{station.pk}/attach/", {"deputy": town_deputy.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "already_attached"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "place": "PLACE", "address": "x"}, "name"),
        ({"name": "x", "place": "PLACE", "address": ""}, "address"),
        ({"name": "x", "place": "PLACE", "address": "y", "kind": "castle"}, "kind"),
        ({"name": "x", "place": 0, "address": "y"}, "place"),
    ],
)
def test_adding_a_station_with_bad_input_names_the_field(api, taishan_staff, haiyan_congress, payload, field):
    payload = {k: (haiyan_congress.place_id if v == "PLACE" else v) for k, v in payload.items()}
    response = api.login(taishan_staff).post(STATIONS, payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not Station.objects.exists()


def test_the_list_filters_by_county_kind_and_text(api, station, kaiping_station):
    assert [s["name"] for s in api.login(None).get(STATIONS, county="440783").json()["results"]] == [
        kaiping_station.name
    ]
    assert [s["name"] for s in api.get(STATIONS, q="海宴").json()["results"]] == [station.name]
    assert api.get(STATIONS, kind="home").json()["count"] == 0
    assert api.get(STATIONS, county="4407").status_code == 400


def test_the_list_carries_names_and_levels_at_a_constant_query_cost(
    api, haiyan_congress, city_deputy, town_deputy
):
    for station in StationFactory.create_batch(2, congress=haiyan_congress):
        StationDeputy.objects.create(station=station, deputy=town_deputy)
    api.login(None).get(STATIONS)
    with CaptureQueriesContext(connection) as few:
        api.get(STATIONS)
    for station in StationFactory.create_batch(30, congress=haiyan_congress):
        StationDeputy.objects.create(station=station, deputy=city_deputy)
        StationDeputy.objects.create(station=station, deputy=town_deputy)
    with CaptureQueriesContext(connection) as many:
        body = api.get(STATIONS).json()
    assert len(many) == len(few) <= 6
    assert body["count"] == 32
    assert {"name": "曾丽", "levels": ["city", "township"]} in body["results"][-1]["deputies"]


def test_a_station_cannot_be_moved_out_of_its_region(api, taishan_staff, station):
    street = Place.objects.get(name="台城街道")
    response = api.login(taishan_staff).patch(f"{STATIONS}{station.pk}/", {"place": street.pk})
    assert response.status_code == 400
    assert response.json()["field"] == "place"
