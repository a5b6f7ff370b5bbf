"""Each role's home page: its heading (browser tests find it by data-testid), its data, its query budget."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from minsheng.deputies.tests.factories import SeatFactory
from minsheng.stations.models import StationDeputy

pytestmark = pytest.mark.django_db

ROLES = [
    ("anonymous", "home-public"),
    ("admin_user", "home-admin"),
    ("city_staff", "home-congress_staff"),
    ("taishan_staff", "home-congress_staff"),
    ("deputy_user", "home-deputy"),
    ("station_staff", "home-station_staff"),
    ("civil_affairs_handler", "home-unit_handler"),
    ("donor", "home-donor"),
    ("pending_donor", "home-donor"),
]


@pytest.fixture
def world(
    station,
    city_deputy,
    county_deputy,
    kaiping_deputy,
    civil_affairs,
    education_bureau,
    pending_donor,
    haiyan_term,
):
    """Some of everything, so every home has rows to show (and N+1 queries would show in the budgets)."""
    for _ in range(4):
        seat = SeatFactory(term=haiyan_term)
        StationDeputy.objects.create(station=station, deputy=seat.deputy)
    StationDeputy.objects.create(station=station, deputy=city_deputy)


@pytest.fixture
def an_import(city_staff, taishan_congress):
    """A roster import into 台山市 (through the congress: `minsheng.imports` is above the insights)."""
    return taishan_congress.imports.create(
        kind="deputies",
        congress=taishan_congress,
        file=ContentFile(b"x", name="roster.xlsx"),
        original_name="台山市代表名册.xlsx",
        created_by=city_staff,
    )


def home_as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("home"))


@pytest.mark.parametrize(("role", "testid"), ROLES)
def test_each_role_sees_its_own_home(client, request, world, role, testid):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = home_as(client, user)
    assert response.status_code == 200
    assert f'data-testid="{testid}"' in response.content.decode()


# Budgets include the session and the user (2 queries) and the role's navigation; since issue 12 the next
# steps too: one query per source of the role (insights/next_steps.py: deputy 5, station 4, handler 3, staff 6),
# and the navigation's unread count.
BUDGETS = {
    "anonymous": 2,
    "admin_user": 20,
    "city_staff": 18,
    "taishan_staff": 18,
    "deputy_user": 11,
    # issue 11: + the reception days of the week (deputies prefetched) and the overdue count; issue 12: + the
    # navigation's unread notifications (one COUNT on every page)
    "station_staff": 12,
    "civil_affairs_handler": 8,
    "donor": 4,
}


@pytest.mark.parametrize(("role", "budget"), BUDGETS.items())
def test_each_home_stays_within_its_query_budget(
    client, request, world, an_import, role, budget, django_assert_max_num_queries
):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client.logout()
    if user is not None:
        client.force_login(user)
    with django_assert_max_num_queries(budget):
        assert client.get(reverse("home")).status_code == 200


def test_the_public_home_has_a_station_search(client, db):
    body = home_as(client, None).content.decode()
    assert f'action="{reverse("stations:public_list")}"' in body
    assert 'name="q"' in body


def test_congress_staff_see_their_region_in_numbers(client, world, an_import, taishan_staff):
    response = home_as(client, taishan_staff)
    context = response.context
    assert context["congress"] == taishan_staff.congress
    levels = dict(context["seats_by_level"])
    # Taishan's region: 单国强 (county), 曾丽 and 陈海 and 4 more at 海宴镇 (township); not 区文 of Kaiping
    assert sum(levels.values()) == context["seats_total"] == 7
    assert context["stations"] == {"total": 1, "open": 1}
    assert context["pending_donors"] == 1  # the donor without an area belongs to every region
    assert [job.original_name for job in context["imports"]] == ["台山市代表名册.xlsx"]
    assert "台山市代表名册.xlsx" in response.content.decode()


def test_city_staff_count_the_whole_city_and_its_units(client, world, city_staff):
    context = home_as(client, city_staff).context
    assert context["seats_total"] == 9  # every seat of the fixtures is in Jiangmen
    assert context["units_count"] == 2


def test_a_deputy_sees_their_seats_and_stations(client, world, city_deputy):
    from minsheng.accounts.tests.factories import UserFactory

    user = UserFactory(role="deputy", deputy=city_deputy)
    response = home_as(client, user)
    seats = response.context["seats"]
    assert {seat.congress.level for seat in seats} == {"city", "township"}
    body = response.content.decode()
    assert "台山代表团" in body and "海宴镇代表小组" in body
    assert all(seat.congress.name in body for seat in seats)
    assert "海宴镇人大代表联络站" in body


def test_station_staff_see_their_station_and_its_deputies(client, world, station_staff):
    response = home_as(client, station_staff)
    assert response.context["station"] == station_staff.station
    names = [a.deputy.name for a in response.context["attachments"]]
    assert "陈海" in names and "曾丽" in names and len(names) == 6


def test_a_unit_handler_sees_their_unit_and_its_handlers(client, civil_affairs_handler):
    from minsheng.accounts.tests.factories import UserFactory

    UserFactory(role="unit_handler", unit=civil_affairs_handler.unit, display_name="王科长")
    response = home_as(client, civil_affairs_handler)
    assert response.context["unit"].name == "江门市民政局"
    assert len(response.context["handlers"]) == 2
    assert "王科长" in response.content.decode()


def test_a_verified_donor_sees_they_may_act(client, donor):
    assert 'data-testid="donor-verified"' in home_as(client, donor).content.decode()
