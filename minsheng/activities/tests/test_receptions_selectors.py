"""Reads of receptions for the duty record (履职档案): a deputy's receptions and the counts, in constant
queries; and who sees which receptions."""

import datetime as dt

import pytest

from minsheng.activities import selectors, services
from minsheng.common import clock
from minsheng.stations.models import StationDeputy
from minsheng.stations.selectors import station_receptions_this_year
from minsheng.stations.tests.factories import StationFactory


@pytest.fixture
def two_stations(station, town_deputy, city_deputy, station_staff, make_reception):
    """海宴's station (陈海, 曾丽) and a second one where only 曾丽 sits; receptions at both."""
    StationDeputy.objects.create(station=station, deputy=city_deputy)
    other = StationFactory(name="海宴镇第二联络站")
    StationDeputy.objects.create(station=other, deputy=city_deputy)
    now = clock.now()
    made = {
        "chen_old": make_reception(received_at=now - dt.timedelta(days=60), visitor_count=2),
        "both": make_reception(deputies=[town_deputy, city_deputy], visitor_count=5),
        "zeng": make_reception(deputies=[city_deputy], visitor_count=1),
    }
    from minsheng.accounts.models import User

    admin = User.objects.filter(role=User.Role.ADMIN).first()
    if admin is None:
        from minsheng.accounts.tests.factories import UserFactory

        admin = UserFactory(role=User.Role.ADMIN, username="admin_for_selectors")
    made["elsewhere"] = services.reception_record(
        actor=admin,
        station_id=other.pk,
        received_at=now - dt.timedelta(days=1),
        deputies=[city_deputy],
        visitor_count=4,
        matter="事项",
        category="other",
        outcome="none",
    )
    services.reception_to_case(actor=station_staff, reception_id=made["both"].pk)
    return station, other, made


def test_receptions_for_deputy_over_a_date_range(two_stations, town_deputy, city_deputy):
    _station, _other, made = two_stations
    assert list(selectors.receptions_for_deputy(town_deputy)) == [made["both"], made["chen_old"]]
    assert set(selectors.receptions_for_deputy(city_deputy)) == {
        made["both"],
        made["zeng"],
        made["elsewhere"],
    }
    week_ago = clock.today() - dt.timedelta(days=7)
    assert list(selectors.receptions_for_deputy(town_deputy, date_from=week_ago)) == [made["both"]]
    assert list(selectors.receptions_for_deputy(town_deputy, date_to=week_ago)) == [made["chen_old"]]


def test_counts_per_station_and_per_deputy(two_stations, town_deputy, city_deputy, django_assert_num_queries):
    station, other, _made = two_stations
    with django_assert_num_queries(1):
        by_station = selectors.reception_counts_by_station()
    assert by_station == {
        station.pk: {"receptions": 3, "visitors": 8, "cases": 1},
        other.pk: {"receptions": 1, "visitors": 4, "cases": 0},
    }
    with django_assert_num_queries(1):
        by_deputy = selectors.reception_counts_by_deputy()
    assert by_deputy == {
        town_deputy.pk: {"receptions": 2, "visitors": 7, "cases": 1},
        city_deputy.pk: {"receptions": 3, "visitors": 10, "cases": 1},
    }
    week_ago = clock.today() - dt.timedelta(days=7)
    assert selectors.reception_counts_by_deputy(date_from=week_ago, deputy_ids=[town_deputy.pk]) == {
        town_deputy.pk: {"receptions": 1, "visitors": 5, "cases": 1}
    }
    assert selectors.reception_counts_by_station(date_to=week_ago) == {
        station.pk: {"receptions": 1, "visitors": 2, "cases": 0}
    }


def test_receptions_for_deputy_keeps_to_constant_queries(
    two_stations, city_deputy, make_reception, django_assert_num_queries
):
    def read():
        return [
            (r.station.name, [d.name for d in r.deputies.all()], r.case)
            for r in selectors.receptions_for_deputy(city_deputy)
        ]

    with django_assert_num_queries(3):
        assert len(read()) == 3
    for _ in range(5):
        make_reception(deputies=[city_deputy])
    with django_assert_num_queries(3):
        assert len(read()) == 8


def test_who_sees_which_receptions(two_stations, station_staff, deputy_user, kaiping_staff, taishan_staff):
    station, other, made = two_stations
    assert set(selectors.reception_scope_for(station_staff)) == {made["chen_old"], made["both"], made["zeng"]}
    # 陈海 is attached to 海宴's station only: its whole log, not the other station's
    assert set(selectors.reception_scope_for(deputy_user)) == {made["chen_old"], made["both"], made["zeng"]}
    assert set(selectors.reception_scope_for(taishan_staff)) == set(made.values())
    assert not selectors.reception_scope_for(kaiping_staff).exists()


def test_a_deputy_who_left_the_station_still_sees_his_own_receptions(two_stations, deputy_user, town_deputy):
    station, _other, made = two_stations
    StationDeputy.objects.filter(station=station, deputy=town_deputy).delete()
    assert set(selectors.reception_scope_for(deputy_user)) == {made["chen_old"], made["both"]}


def test_the_count_of_this_year(two_stations):
    """The public station page's count (stations reads it through the reverse relation)."""
    station, other, _made = two_stations
    assert station_receptions_this_year(station) == 3
    assert station_receptions_this_year(other) == 1
