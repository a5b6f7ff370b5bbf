"""The public never learns an attached deputy's ID number or mobile number, raw or masked."""

import json

import pytest
from django.urls import reverse

from minsheng.stations.models import StationDeputy


@pytest.fixture
def crowded_station(station, city_deputy, county_deputy):
    StationDeputy.objects.create(station=station, deputy=city_deputy)
    StationDeputy.objects.create(station=station, deputy=county_deputy)
    return station


def secrets_of(*deputies) -> list[str]:
    values = []
    for deputy in deputies:
        values += [deputy.id_number, deputy.mobile, deputy.masked_id_number, deputy.masked_mobile]
    return [v for v in values if v]


def assert_no_secret(text: str, deputies) -> None:
    for secret in secrets_of(*deputies):
        assert secret not in text, secret


@pytest.mark.parametrize("role", ["anonymous", "donor", "deputy_user"])
def test_the_public_station_page_never_shows_personal_data(
    client, user_for, crowded_station, town_deputy, city_deputy, county_deputy, role
):
    client.logout()
    if user_for(role):
        client.force_login(user_for(role))
    html = client.get(reverse("stations:public_detail", args=[crowded_station.pk])).content.decode()
    assert "曾丽" in html and "单国强" in html and "陈海" in html
    assert_no_secret(html, [town_deputy, city_deputy, county_deputy])


def test_the_public_station_list_never_shows_personal_data(
    client, crowded_station, town_deputy, city_deputy, county_deputy
):
    html = client.get(reverse("stations:public_list")).content.decode()
    assert_no_secret(html, [town_deputy, city_deputy, county_deputy])


def test_the_public_station_api_never_carries_personal_data(
    client, crowded_station, town_deputy, city_deputy, county_deputy
):
    for url in ["/api/v1/stations/", f"/api/v1/stations/{crowded_station.pk}/"]:
        body = client.get(url).content.decode()
        assert "曾丽" in json.dumps(json.loads(body), ensure_ascii=False)
        assert_no_secret(body, [town_deputy, city_deputy, county_deputy])
    detail = client.get(f"/api/v1/stations/{crowded_station.pk}/").json()
    assert {key for d in detail["deputies"] for key in d} == {"name", "levels"}
