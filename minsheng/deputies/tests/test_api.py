import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.common.idcard import with_check_digit
from minsheng.common.models import AuditRecord
from minsheng.common.testing import CAST_ROLES as ROLES
from minsheng.common.testing import matrix
from minsheng.deputies.models import Deputy, Seat

VALID_ID = with_check_digit("44078119800315002")
DEPUTIES = "/api/v1/deputies/"
SEATS = "/api/v1/seats/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2024, 6, 1, 10, 0), tick=False):
        yield


def by_role(**expected) -> list:
    return matrix(ROLES, **expected)


STAFF_LIST = by_role(
    anonymous=403,
    admin_user=200,
    city_staff=200,
    taishan_staff=200,
    kaiping_staff=200,
    deputy_user=403,
    station_staff=403,
    civil_affairs_handler=403,
    donor=403,
)
TAISHAN_DEPUTY = by_role(
    anonymous=403,
    admin_user=200,
    city_staff=200,
    taishan_staff=200,
    kaiping_staff=404,
    deputy_user=404,
    station_staff=404,
    civil_affairs_handler=404,
    donor=404,
)


def names(response) -> list[str]:
    return [d["name"] for d in response.json()["results"]]


# --- permission matrix ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), STAFF_LIST)
@pytest.mark.parametrize("url", [DEPUTIES, SEATS])
def test_the_lists_answer_by_role(api, user_for, county_deputy, url, role, expected):
    assert api.login(user_for(role)).get(url).status_code == expected


@pytest.mark.parametrize(("role", "expected"), TAISHAN_DEPUTY)
def test_a_deputy_answers_by_role(api, user_for, county_deputy, role, expected):
    assert api.login(user_for(role)).get(f"{DEPUTIES}{county_deputy.pk}/").status_code == expected


@pytest.mark.parametrize(("role", "expected"), TAISHAN_DEPUTY)
def test_a_seat_answers_by_role(api, user_for, county_deputy, role, expected):
    seat = county_deputy.seats.get()
    assert api.login(user_for(role)).get(f"{SEATS}{seat.pk}/").status_code == expected


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
def test_adding_a_deputy_to_taishan_answers_by_role(api, user_for, taishan_term, role, expected):
    payload = {
        "congress": taishan_term.congress_id,
        "name": "李梅",
        "id_number": VALID_ID,
        "mobile": "13812345678",
    }
    response = api.login(user_for(role)).post(DEPUTIES, payload)
    assert response.status_code == expected
    assert Deputy.objects.filter(name="李梅").exists() is (expected == 201)


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=403,
        admin_user=201,
        city_staff=201,
        taishan_staff=201,
        kaiping_staff=400,  # 单国强 is not there for Kaiping's staff: "no such deputy"
        deputy_user=403,
        station_staff=403,
        civil_affairs_handler=403,
        donor=403,
    ),
)
def test_adding_a_seat_answers_by_role(api, user_for, county_deputy, haiyan_term, role, expected):
    response = api.login(user_for(role)).post(SEATS, {"deputy": county_deputy.pk, "term": haiyan_term.pk})
    assert response.status_code == expected
    if expected == 400:
        assert "deputy" in response.json()


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(
        anonymous=403,
        admin_user=200,
        city_staff=200,
        taishan_staff=200,
        kaiping_staff=404,
        deputy_user=403,
        station_staff=403,
        civil_affairs_handler=403,
        donor=403,
    ),
)
def test_ending_a_seat_answers_by_role(api, user_for, county_deputy, role, expected):
    seat = county_deputy.seats.get()
    response = api.login(user_for(role)).post(
        f"{SEATS}{seat.pk}/end/", {"status": "ended", "end_date": "2024-05-01"}
    )
    assert response.status_code == expected


# --- the story: one person, two levels -----------------------------------------------------------------------


def test_a_person_with_seats_at_two_levels_is_listed_under_both_congresses_until_one_seat_ends(
    api, city_staff, city_deputy, city_congress, haiyan_congress
):
    api.login(city_staff)
    assert names(api.get(DEPUTIES, congress=city_congress.pk)) == ["曾丽"]
    assert names(api.get(DEPUTIES, congress=haiyan_congress.pk)) == ["曾丽"]
    assert names(api.get(DEPUTIES, level="township")) == ["曾丽"]
    deputy = api.get(f"{DEPUTIES}{city_deputy.pk}/").json()
    assert deputy["levels"] == ["city", "township"]

    town_seat = city_deputy.seats.get(congress=haiyan_congress)
    response = api.post(f"{SEATS}{town_seat.pk}/end/", {"status": "resigned", "end_date": "2024-05-01"})
    assert response.status_code == 200
    assert response.json()["status"] == "resigned"

    assert names(api.get(DEPUTIES, congress=city_congress.pk, status="active")) == ["曾丽"]
    assert names(api.get(DEPUTIES, congress=haiyan_congress.pk, status="active")) == []
    assert api.get(f"{DEPUTIES}{city_deputy.pk}/").json()["levels"] == ["city"]


def test_ending_an_ended_seat_is_a_conflict(api, taishan_staff, county_deputy):
    seat = county_deputy.seats.get()
    api.login(taishan_staff)
    assert (
        api.post(f"{SEATS}{seat.pk}/end/", {"status": "ended", "end_date": "2024-05-01"}).status_code == 200
    )
    response = api.post(f"{SEATS}{seat.pk}/end/", {"status": "resigned", "end_date": "2024-05-02"})
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert AuditRecord.objects.filter(verb="seat.ended", target_id=str(seat.pk)).count() == 1


def test_a_seat_end_with_a_bad_status_is_refused(api, taishan_staff, county_deputy):
    seat = county_deputy.seats.get()
    response = api.login(taishan_staff).post(
        f"{SEATS}{seat.pk}/end/", {"status": "active", "end_date": "2024-05-01"}
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_staff_cannot_end_a_seat_of_a_congress_above_them(api, taishan_staff, city_deputy):
    city_seat = city_deputy.seats.get(congress__level="city")
    response = api.login(taishan_staff).post(
        f"{SEATS}{city_seat.pk}/end/", {"status": "ended", "end_date": "2024-05-01"}
    )
    assert response.status_code == 403


# --- filters and order ---------------------------------------------------------------------------------------


def test_the_list_is_in_pinyin_order(
    api, admin_user, city_deputy, county_deputy, kaiping_deputy, town_deputy
):
    assert names(api.login(admin_user).get(DEPUTIES)) == ["陈海", "区文", "单国强", "曾丽"]


@pytest.mark.parametrize(
    ("name", "expected"), [("zengli", ["曾丽"]), ("zeng li", ["曾丽"]), ("单", ["单国强"]), ("qu", [])]
)
def test_the_name_filter_takes_a_name_or_pinyin_prefix(
    api, admin_user, city_deputy, county_deputy, kaiping_deputy, name, expected
):
    assert names(api.login(admin_user).get(DEPUTIES, name=name)) == expected


def test_the_station_filter(api, admin_user, station, town_deputy, county_deputy):
    assert names(api.login(admin_user).get(DEPUTIES, station=station.pk)) == ["陈海"]


@pytest.mark.parametrize(
    "params", [{"congress": "x"}, {"level": "galactic"}, {"status": "asleep"}, {"station": "-1"}]
)
def test_an_unreadable_filter_is_a_bad_request(api, admin_user, params):
    assert api.login(admin_user).get(DEPUTIES, **params).status_code == 400


# --- personal data -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "unmasked"),
    [("admin_user", True), ("taishan_staff", True), ("deputy_user", True), ("station_staff", False)],
)
def test_personal_data_is_masked_unless_the_rule_allows_it(api, user_for, town_deputy, role, unmasked):
    body = api.login(user_for(role)).get(f"{DEPUTIES}{town_deputy.pk}/").json()
    assert body["personal_data_visible"] is unmasked
    if unmasked:
        assert (body["id_number"], body["mobile"]) == (town_deputy.id_number, town_deputy.mobile)
    else:
        assert (body["id_number"], body["mobile"]) == (
            town_deputy.masked_id_number,
            town_deputy.masked_mobile,
        )
        assert body["birth_date"].endswith("-01")


def test_the_list_decides_on_personal_data_per_deputy(api, taishan_staff, city_deputy, county_deputy):
    body = api.login(taishan_staff).get(DEPUTIES).json()
    assert all(d["personal_data_visible"] for d in body["results"])
    assert {d["id_number"] for d in body["results"]} == {city_deputy.id_number, county_deputy.id_number}


# --- create: bad input ---------------------------------------------------------------------------------------


def payload(term, **overrides) -> dict:
    data = {"congress": term.congress_id, "name": "李梅", "id_number": VALID_ID, "mobile": "13812345678"}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value", "status", "code"),
    [
        ("id_number", VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1"), 400, "id_check_digit"),
        ("id_number", "44078119800315", 400, "id_length"),
        ("mobile", "1381234567", 400, "mobile"),
    ],
)
def test_creating_with_bad_input_names_the_field(
    api, taishan_staff, taishan_term, field, value, status, code
):
    response = api.login(taishan_staff).post(DEPUTIES, payload(taishan_term, **{field: value}))
    assert response.status_code == status
    assert (response.json()["field"], response.json()["code"]) == (field, code)
    assert not Deputy.objects.filter(name="李梅").exists()


def test_creating_a_duplicate_id_number_is_a_conflict(api, taishan_staff, taishan_term, county_deputy):
    response = api.login(taishan_staff).post(
        DEPUTIES, payload(taishan_term, id_number=county_deputy.id_number)
    )
    assert response.status_code == 409
    assert (response.json()["field"], response.json()["code"]) == ("id_number", "duplicate_id_number")


def test_creating_without_a_name_is_a_field_error(api, taishan_staff, taishan_term):
    response = api.login(taishan_staff).post(DEPUTIES, payload(taishan_term, name=""))
    assert response.status_code == 400
    assert "name" in response.json()


def test_a_created_deputy_comes_back_with_the_first_seat(api, taishan_staff, taishan_term):
    response = api.login(taishan_staff).post(DEPUTIES, payload(taishan_term, delegation="台城代表团"))
    body = response.json()
    assert body["gender"] == "F" and body["birth_date"] == "1980-03-15"
    assert [(s["term"], s["delegation"], s["status"]) for s in body["seats"]] == [
        (taishan_term.pk, "台城代表团", "active")
    ]


def test_a_second_seat_in_a_term_is_a_conflict(api, taishan_staff, county_deputy, taishan_term):
    response = api.login(taishan_staff).post(SEATS, {"deputy": county_deputy.pk, "term": taishan_term.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_seat"
    assert county_deputy.seats.count() == 1


# --- query budgets -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DEPUTIES, SEATS])
def test_the_api_lists_cost_the_same_queries_for_30_more_deputies(
    api, city_staff, city_term, make_deputies, url
):
    api.login(city_staff)
    make_deputies(2, city_term)
    api.get(url)
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    make_deputies(33, city_term)
    with CaptureQueriesContext(connection) as many:
        response = api.get(url)
    assert response.json()["count"] == 35
    assert len(many) == len(few) <= 8


def test_seats_are_listed_for_the_staff_s_region_only(
    api, taishan_staff, county_deputy, kaiping_deputy, city_deputy
):
    body = api.login(taishan_staff).get(SEATS).json()
    assert {s["congress_name"] for s in body["results"]} == {"台山市人民代表大会", "海宴镇人民代表大会"}
    assert all(s["status"] == Seat.Status.ACTIVE for s in body["results"])
