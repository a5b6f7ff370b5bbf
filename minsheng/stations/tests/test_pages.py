import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minsheng.common.testing import matrix, status_for
from minsheng.stations.models import StationDeputy

from .conftest import ROLES
from .factories import StationFactory


def by_role(**expected) -> list:
    return matrix(ROLES, **expected)


EVERYONE = by_role(**dict.fromkeys(ROLES, 200))
MANAGERS_OF_HAIYAN = by_role(
    anonymous=302,
    admin_user=200,
    city_staff=200,
    taishan_staff=200,
    kaiping_staff=403,
    deputy_user=403,
    station_staff=200,
    civil_affairs_handler=403,
    donor=403,
)


@pytest.mark.parametrize(("role", "expected"), EVERYONE)
def test_the_public_pages_are_open_to_everyone(client, user_for, station, role, expected):
    user = user_for(role)
    assert status_for(client, user, "get", reverse("stations:public_list")) == expected
    assert status_for(client, user, "get", reverse("stations:public_detail", args=[station.pk])) == expected


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
    client, user_for, closed_station, role, expected
):
    assert (
        status_for(client, user_for(role), "get", reverse("stations:public_detail", args=[closed_station.pk]))
        == expected
    )


@pytest.mark.parametrize(("role", "expected"), MANAGERS_OF_HAIYAN)
def test_the_manage_page_answers_by_role(client, user_for, station, role, expected):
    assert (
        status_for(client, user_for(role), "get", reverse("stations:manage", args=[station.pk])) == expected
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=302,
        admin_user=200,
        city_staff=200,
        taishan_staff=200,
        kaiping_staff=200,
        deputy_user=403,
        station_staff=403,
        civil_affairs_handler=403,
        donor=403,
    ),
)
def test_the_create_page_answers_by_role(db, client, user_for, role, expected):
    assert status_for(client, user_for(role), "get", reverse("stations:create")) == expected


@pytest.mark.parametrize(("role", "expected"), MANAGERS_OF_HAIYAN)
def test_attaching_a_deputy_answers_by_role(client, user_for, station, county_deputy, role, expected):
    url = reverse("stations:attach", args=[station.pk])
    status = status_for(client, user_for(role), "post", url, {"deputy": county_deputy.pk})
    attached = StationDeputy.objects.filter(station=station, deputy=county_deputy).exists()
    assert status == (302 if expected == 200 else expected)
    assert attached is (expected == 200)


@pytest.mark.parametrize(("role", "expected"), MANAGERS_OF_HAIYAN)
def test_detaching_a_deputy_answers_by_role(client, user_for, station, town_deputy, role, expected):
    url = reverse("stations:detach", args=[station.pk])
    status = status_for(client, user_for(role), "post", url, {"deputy": town_deputy.pk})
    assert status == (302 if expected == 200 else expected)
    assert StationDeputy.objects.filter(station=station).exists() is (expected != 200)


# --- public list ---------------------------------------------------------------------------------------------


def test_the_public_list_searches_by_name_or_place_and_filters_by_county_and_kind(
    client, station, kaiping_station, closed_station
):
    def listed(**params):
        return [s.name for s in client.get(reverse("stations:public_list"), params).context["object_list"]]

    assert listed() == ["海宴镇人大代表联络站", "开平市长沙街道代表联络站"]  # the closed one is not there
    assert listed(q="海宴") == ["海宴镇人大代表联络站"]
    assert listed(q="开平") == ["开平市长沙街道代表联络站"]
    assert listed(county="440781") == ["海宴镇人大代表联络站"]
    assert listed(kind="contact_point") == []
    counties = client.get(reverse("stations:public_list")).context["form"].fields["county"].choices
    assert len(counties) == 1 + 7


def test_staff_may_list_the_closed_stations_they_manage(client, taishan_staff, kaiping_staff, closed_station):
    client.force_login(taishan_staff)
    assert (
        closed_station in client.get(reverse("stations:public_list"), {"closed": "1"}).context["object_list"]
    )
    client.force_login(kaiping_staff)
    assert (
        closed_station
        not in client.get(reverse("stations:public_list"), {"closed": "1"}).context["object_list"]
    )


def test_the_public_list_costs_the_same_queries_for_many_stations(client, haiyan_congress, city_deputy):
    StationFactory.create_batch(2, congress=haiyan_congress)
    url = reverse("stations:public_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for station in StationFactory.create_batch(18, congress=haiyan_congress):
        StationDeputy.objects.create(station=station, deputy=city_deputy)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).context["page_obj"].paginator.count == 20
    assert len(many) == len(few) <= 4


def test_the_public_page_shows_the_place_with_its_ancestors_and_deputies_with_their_levels(
    client, station, city_deputy
):
    StationDeputy.objects.create(station=station, deputy=city_deputy)
    response = client.get(reverse("stations:public_detail", args=[station.pk]))
    html = response.content.decode()
    assert [p.name for p in response.context["ancestors"]] == ["广东省", "江门市", "台山市", "海宴镇"]
    assert [(d.name, d.levels) for d in response.context["deputies"]] == [
        ("陈海", ["township"]),
        ("曾丽", ["city", "township"]),
    ]
    assert "曾丽" in html and station.opening_hours in html


# --- manage --------------------------------------------------------------------------------------------------


def test_the_picker_finds_deputies_of_the_five_levels_by_pinyin_and_leaves_out_the_attached(
    client, taishan_staff, station, city_deputy, county_deputy, kaiping_deputy, town_deputy
):
    client.force_login(taishan_staff)
    url = reverse("stations:manage", args=[station.pk])
    assert [d.name for d in client.get(url, {"dq": "zeng"}).context["candidates"]] == ["曾丽"]
    assert [d.name for d in client.get(url, {"dq": "单"}).context["candidates"]] == ["单国强"]
    assert client.get(url, {"dq": "ou"}).context["candidates"] == []  # 区文 is Kaiping's
    assert client.get(url, {"dq": "chen"}).context["candidates"] == []  # 陈海 is attached already


def test_attaching_twice_on_the_page_shows_the_conflict(client, station_staff, station, town_deputy):
    client.force_login(station_staff)
    response = client.post(reverse("stations:attach", args=[station.pk]), {"deputy": town_deputy.pk})
    assert response.status_code == 409
    assert 'data-testid="action-error"' in response.content.decode()


@pytest.mark.parametrize("deputy", ["", "abc", "999999"])
def test_attaching_without_a_valid_deputy_is_refused(client, station_staff, station, deputy):
    client.force_login(station_staff)
    response = client.post(reverse("stations:attach", args=[station.pk]), {"deputy": deputy})
    assert response.status_code == 400
    assert StationDeputy.objects.filter(station=station).count() == 1


def edit_data(station, **overrides) -> dict:
    data = {
        "name": station.name,
        "kind": station.kind,
        "place": station.place_id,
        "address": station.address,
        "opening_hours": "周一至周六",
        "phone": "0750-5550000",
        "description": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_station_staff_edit_their_station(client, station_staff, station):
    client.force_login(station_staff)
    response = client.post(reverse("stations:manage", args=[station.pk]), edit_data(station))
    assert response.status_code == 302
    station.refresh_from_db()
    assert (station.opening_hours, station.phone) == ("周一至周六", "0750-5550000")


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("name", "", "required"),
        ("address", "", "required"),
        ("kind", "x", "invalid_choice"),
        ("place", "1", "invalid_choice"),
    ],
)
def test_the_edit_form_shows_bad_input(client, station_staff, station, field, value, code):
    client.force_login(station_staff)
    response = client.post(
        reverse("stations:manage", args=[station.pk]), edit_data(station, **{field: value})
    )
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()[field]] == [code]


def test_staff_add_a_station_and_a_duplicate_name_is_a_field_error(client, taishan_staff, station):
    client.force_login(taishan_staff)
    data = {"name": "海宴镇代表之家", "kind": "home", "place": station.place_id, "address": "海宴镇政府"}
    response = client.post(reverse("stations:create"), data)
    assert response.status_code == 302
    response = client.post(reverse("stations:create"), {**data, "name": station.name})
    assert response.status_code == 409
    assert [e.code for e in response.context["form"].errors.as_data()["name"]] == ["duplicate_name"]


def test_the_create_form_offers_only_places_of_the_staff_s_region(client, kaiping_staff, station):
    client.force_login(kaiping_staff)
    data = {"name": "x", "kind": "home", "place": station.place_id, "address": "y"}
    response = client.post(reverse("stations:create"), data)
    assert response.status_code == 400
    assert "place" in response.context["form"].errors
