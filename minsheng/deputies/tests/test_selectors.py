import datetime as dt

import pytest
from django.http import Http404

from minsheng.congresses.selectors import SEAT_IN_OFFICE
from minsheng.deputies import selectors, services
from minsheng.deputies.models import Seat


def names(queryset) -> list[str]:
    return [d.name for d in queryset]


def test_a_person_with_seats_at_two_levels_appears_under_both_congresses_and_ending_one_seat_leaves_the_other(
    city_staff, city_deputy, city_congress, haiyan_congress
):
    assert "曾丽" in names(selectors.deputy_list_for(city_staff, congress=city_congress))
    assert "曾丽" in names(selectors.deputy_list_for(city_staff, congress=haiyan_congress))
    assert "曾丽" in names(selectors.deputy_list_for(city_staff, level="city"))
    assert "曾丽" in names(selectors.deputy_list_for(city_staff, level="township"))

    town_seat = city_deputy.seats.get(congress=haiyan_congress)
    services.seat_end(
        actor=city_staff, seat_id=town_seat.pk, status=Seat.Status.RESIGNED, end_date=dt.date(2024, 1, 2)
    )

    active = Seat.Status.ACTIVE
    assert "曾丽" in names(selectors.deputy_list_for(city_staff, congress=city_congress, status=active))
    assert "曾丽" not in names(selectors.deputy_list_for(city_staff, congress=haiyan_congress, status=active))
    assert "曾丽" in names(selectors.deputy_list_for(city_staff, congress=haiyan_congress, status="resigned"))
    # still listed once, with both seats
    listed = list(selectors.deputy_list_for(city_staff))
    assert names(listed).count("曾丽") == 1
    assert {s.status for s in next(d for d in listed if d.name == "曾丽").seats.all()} == {
        "active",
        "resigned",
    }


def test_the_list_is_in_pinyin_order_with_surnames_read_as_surnames(
    admin_user, city_deputy, county_deputy, kaiping_deputy, town_deputy
):
    # 陈 chen < 区 ou < 单 shan < 曾 zeng (read as common words: 区 qu, 单 dan, 曾 ceng)
    assert names(selectors.deputy_list_for(admin_user)) == ["陈海", "区文", "单国强", "曾丽"]


@pytest.mark.parametrize("q", ["zengli", "zeng li", "Zeng", "ZENG L", "zen", "曾", "曾丽"])
def test_a_name_or_pinyin_prefix_finds_the_deputy(admin_user, city_deputy, county_deputy, q):
    assert names(selectors.deputy_list_for(admin_user, q=q)) == ["曾丽"]


@pytest.mark.parametrize("q", ["li", "丽", "cengli", "zengl i x", "zeng1"])
def test_only_prefixes_match(admin_user, city_deputy, q):
    assert names(selectors.deputy_list_for(admin_user, q=q)) == []


def test_the_pinyin_of_a_surname_reads_as_a_surname(admin_user, county_deputy, kaiping_deputy):
    assert names(selectors.deputy_list_for(admin_user, q="shan")) == ["单国强"]
    assert names(selectors.deputy_list_for(admin_user, q="ouwen")) == ["区文"]
    assert names(selectors.deputy_list_for(admin_user, q="dan")) == []


def test_staff_see_the_deputies_of_their_region_only(
    city_staff, taishan_staff, kaiping_staff, city_deputy, county_deputy, kaiping_deputy, town_deputy
):
    assert set(names(selectors.deputy_list_for(city_staff))) == {"曾丽", "单国强", "区文", "陈海"}
    # 曾丽 holds a seat in 海宴镇 (within 台山): Taishan's staff see her; a city seat alone would not do
    assert set(names(selectors.deputy_list_for(taishan_staff))) == {"曾丽", "单国强", "陈海"}
    assert names(selectors.deputy_list_for(kaiping_staff)) == ["区文"]


@pytest.mark.parametrize("role", ["deputy_user", "station_staff", "civil_affairs_handler", "donor"])
def test_nobody_but_staff_has_a_list(request, role, county_deputy):
    assert not selectors.deputy_list_for(request.getfixturevalue(role)).exists()


def test_a_deputy_of_another_county_is_not_there_for_staff(kaiping_staff, county_deputy):
    with pytest.raises(Http404):
        selectors.deputy_get_for(kaiping_staff, county_deputy.pk)


def test_a_deputy_sees_their_own_record_and_station_staff_see_their_station_s_deputies(
    deputy_user, station_staff, town_deputy, county_deputy
):
    assert selectors.deputy_get_for(deputy_user, town_deputy.pk) == town_deputy
    assert selectors.deputy_get_for(station_staff, town_deputy.pk) == town_deputy
    with pytest.raises(Http404):
        selectors.deputy_get_for(deputy_user, county_deputy.pk)
    with pytest.raises(Http404):
        selectors.deputy_get_for(station_staff, county_deputy.pk)


def test_the_station_filter_keeps_the_deputies_attached(admin_user, station, town_deputy, county_deputy):
    county_deputy.station_attachments.create(station=station)  # the relation: stations sit above deputies
    assert names(selectors.deputy_list_for(admin_user, station=station)) == ["陈海", "单国强"]
    assert names(selectors.deputy_list_for(admin_user, station=station.pk, q="shan")) == ["单国强"]


def test_the_congress_filter_offers_the_towns_of_the_county_chosen(
    city_staff, taishan_congress, haiyan_congress
):
    offered = selectors.congress_filter_choices(city_staff)
    assert taishan_congress in offered and haiyan_congress not in offered
    assert all(c.region_prefix.startswith("4407") for c in offered)
    assert haiyan_congress in selectors.congress_filter_choices(city_staff, selected=taishan_congress)


def test_taishan_staff_are_offered_their_own_towns(taishan_staff, haiyan_congress, kaiping_congress):
    offered = selectors.congress_filter_choices(taishan_staff)
    assert haiyan_congress in offered
    assert kaiping_congress not in offered


def test_listing_deputies_costs_the_same_queries_for_any_number(
    admin_user, city_term, make_deputies, django_assert_num_queries
):
    make_deputies(3, city_term)
    with django_assert_num_queries(2):  # the deputies, their seats with congress and term
        deputies = list(selectors.deputy_list_for(admin_user))
        for deputy in deputies:
            [s.congress.name + str(s.term.number) for s in deputy.seats.all()]
    make_deputies(40, city_term)
    with django_assert_num_queries(2):
        deputies = list(selectors.deputy_list_for(admin_user))
        for deputy in deputies:
            [s.congress.name + str(s.term.number) for s in deputy.seats.all()]
    assert len(deputies) == 43


def test_the_congresses_count_seats_in_office_by_the_seats_own_status():
    assert SEAT_IN_OFFICE == Seat.Status.ACTIVE
