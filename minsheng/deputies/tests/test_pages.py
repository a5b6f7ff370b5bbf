import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from minsheng.common.idcard import with_check_digit
from minsheng.common.models import AuditRecord
from minsheng.common.testing import CAST_ROLES as ROLES
from minsheng.common.testing import matrix, status_for
from minsheng.deputies.models import Deputy, Seat

VALID_ID = with_check_digit("44078119800315002")


@pytest.fixture(autouse=True)
def english_and_frozen():
    with translation.override("en"), time_machine.travel(dt.datetime(2024, 6, 1, 10, 0), tick=False):
        yield


def row_status(expected: dict) -> list:
    return matrix(ROLES, **expected)


STAFF_ONLY = {
    "anonymous": 302,
    "admin_user": 200,
    "city_staff": 200,
    "taishan_staff": 200,
    "kaiping_staff": 200,
    "deputy_user": 403,
    "station_staff": 403,
    "civil_affairs_handler": 403,
    "donor": 403,
}
# 单国强, a deputy of 台山市: staff of the city and of 台山 see him; Kaiping's staff and everyone else don't.
TAISHAN_DEPUTY = {
    "anonymous": 302,
    "admin_user": 200,
    "city_staff": 200,
    "taishan_staff": 200,
    "kaiping_staff": 404,
    "deputy_user": 404,
    "station_staff": 404,
    "civil_affairs_handler": 404,
    "donor": 404,
}


# --- permission matrix ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), row_status(STAFF_ONLY))
@pytest.mark.parametrize("url_name", ["deputies:list", "deputies:export", "deputies:create"])
def test_staff_pages_answer_by_role(client, user_for, county_deputy, url_name, role, expected):
    assert status_for(client, user_for(role), "get", reverse(url_name)) == expected


@pytest.mark.parametrize(("role", "expected"), row_status(TAISHAN_DEPUTY))
@pytest.mark.parametrize("url_name", ["deputies:detail", "deputies:seat_add"])
def test_a_deputy_s_pages_answer_by_role(client, user_for, county_deputy, url_name, role, expected):
    url = reverse(url_name, args=[county_deputy.pk])
    assert status_for(client, user_for(role), "get", url) == expected


@pytest.mark.parametrize(("role", "expected"), row_status(TAISHAN_DEPUTY))
def test_the_seat_end_page_answers_by_role(client, user_for, county_deputy, role, expected):
    url = reverse("deputies:seat_end", args=[county_deputy.seats.get().pk])
    assert status_for(client, user_for(role), "get", url) == expected


def test_anonymous_visitors_are_sent_to_sign_in(client, county_deputy):
    response = client.get(reverse("deputies:detail", args=[county_deputy.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_deputy_sees_their_own_page_and_station_staff_their_station_s_deputies(
    client, deputy_user, station_staff, town_deputy
):
    url = reverse("deputies:detail", args=[town_deputy.pk])
    assert status_for(client, deputy_user, "get", url) == 200
    assert status_for(client, station_staff, "get", url) == 200
    assert status_for(client, deputy_user, "get", reverse("deputies:seat_add", args=[town_deputy.pk])) == 403


def test_staff_who_see_a_deputy_may_not_end_a_seat_of_a_congress_above_them(
    client, taishan_staff, city_deputy
):
    city_seat = city_deputy.seats.get(congress__level="city")
    town_seat = city_deputy.seats.get(congress__level="township")
    assert status_for(client, taishan_staff, "get", reverse("deputies:seat_end", args=[city_seat.pk])) == 403
    assert status_for(client, taishan_staff, "get", reverse("deputies:seat_end", args=[town_seat.pk])) == 200


# --- personal data -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "unmasked"),
    [
        ("admin_user", True),
        ("taishan_staff", True),
        ("city_staff", True),
        ("deputy_user", True),
        ("station_staff", False),
    ],
)
def test_the_deputy_page_shows_personal_data_only_to_those_allowed(
    client, user_for, town_deputy, role, unmasked
):
    client.force_login(user_for(role))
    html = client.get(reverse("deputies:detail", args=[town_deputy.pk])).content.decode()
    assert (town_deputy.id_number in html) is unmasked
    assert (town_deputy.mobile in html) is unmasked
    assert (town_deputy.masked_id_number in html) is not unmasked
    assert (town_deputy.masked_mobile in html) is not unmasked


def test_the_list_shows_mobiles_masked_and_no_id_numbers(client, city_staff, county_deputy):
    client.force_login(city_staff)
    html = client.get(reverse("deputies:list")).content.decode()
    assert county_deputy.masked_mobile in html
    assert county_deputy.mobile not in html
    assert county_deputy.id_number not in html and county_deputy.masked_id_number not in html


# --- list: search, filters, paging ---------------------------------------------------------------------------


def test_the_list_searches_by_pinyin_and_filters_by_congress(
    client, city_staff, city_deputy, county_deputy, haiyan_congress
):
    client.force_login(city_staff)
    response = client.get(reverse("deputies:list"), {"q": "zeng li"})
    assert [d.name for d in response.context["object_list"]] == ["曾丽"]
    response = client.get(reverse("deputies:list"), {"congress": haiyan_congress.pk})
    assert [d.name for d in response.context["object_list"]] == ["曾丽"]
    assert str(haiyan_congress.pk) in response.content.decode()


def test_the_list_ignores_a_filter_it_cannot_read(client, city_staff, county_deputy):
    client.force_login(city_staff)
    response = client.get(reverse("deputies:list"), {"congress": "x", "level": "galactic"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1


def test_the_list_page_costs_the_same_queries_for_30_more_deputies(
    client, city_staff, city_term, make_deputies, county_deputy
):
    client.force_login(city_staff)
    url = reverse("deputies:list")
    from django.db import connection

    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make_deputies(35, city_term)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 36
    assert len(many) == len(few) <= 10


# --- export --------------------------------------------------------------------------------------------------


def read_xlsx(response) -> list[tuple]:
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_export_masks_personal_data_and_is_audited(client, taishan_staff, county_deputy):
    client.force_login(taishan_staff)
    response = client.get(reverse("deputies:export"))
    rows = read_xlsx(response)
    assert rows[0][0] == "姓名"  # zh-hans is the default language
    assert rows[1][0] == "单国强"
    assert county_deputy.masked_id_number in rows[1] and county_deputy.id_number not in rows[1]
    assert county_deputy.masked_mobile in rows[1] and county_deputy.mobile not in rows[1]
    record = AuditRecord.objects.get(verb="deputies.exported")
    assert record.data["personal"] is False and record.data["rows"] == 1


def test_a_deliberate_personal_export_by_staff_in_scope_is_unmasked_and_audited(
    client, taishan_staff, county_deputy
):
    client.force_login(taishan_staff)
    rows = read_xlsx(client.get(reverse("deputies:export"), {"personal": "1", "q": "shan"}))
    assert county_deputy.id_number in rows[1]
    assert county_deputy.mobile in rows[1]
    record = AuditRecord.objects.get(verb="deputies.exported")
    assert record.actor == taishan_staff
    assert record.data == {"personal": True, "rows": 1, "unmasked": 1, "filters": {"q": "shan"}}
    assert county_deputy.id_number not in str(record.data)


def test_the_export_keeps_the_list_s_filters(client, city_staff, city_deputy, county_deputy, kaiping_deputy):
    client.force_login(city_staff)
    rows = read_xlsx(client.get(reverse("deputies:export"), {"level": "county"}))
    assert [r[0] for r in rows[1:]] == ["区文", "单国强"]


def test_the_export_costs_the_same_queries_for_30_more_deputies(client, city_staff, city_term, make_deputies):
    from django.db import connection

    client.force_login(city_staff)
    make_deputies(2, city_term)
    url = reverse("deputies:export")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_deputies(32, city_term)
    with CaptureQueriesContext(connection) as many:
        rows = read_xlsx(client.get(url))
    assert len(rows) == 35
    assert len(many) == len(few) <= 12


# --- forms ---------------------------------------------------------------------------------------------------


def create_data(term, **overrides) -> dict:
    data = {
        "term": term.pk,
        "name": "李梅",
        "id_number": VALID_ID,
        "mobile": "13812345678",
        "ethnicity": "汉族",
    }
    data.update(overrides)
    return data


def test_staff_add_a_deputy_and_land_on_the_deputy_s_page(client, taishan_staff, taishan_term):
    client.force_login(taishan_staff)
    response = client.post(reverse("deputies:create"), create_data(taishan_term))
    deputy = Deputy.objects.get(name="李梅")
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:detail", args=[deputy.pk])
    assert deputy.seats.get().term == taishan_term


def error_codes(response, field=None) -> list[str]:
    errors = response.context["form"].errors.as_data()
    return [e.code for e in errors.get(field or "__all__", [])]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("id_number", VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1"), "id_check_digit"),
        ("id_number", "4407811980", "id_length"),
        ("id_number", "44078119800230002X", "id_birth_date"),
        ("mobile", "12345", "mobile"),
        ("name", "", "required"),
    ],
)
def test_the_add_form_shows_the_error_next_to_the_field(
    client, taishan_staff, taishan_term, field, value, code
):
    client.force_login(taishan_staff)
    response = client.post(reverse("deputies:create"), create_data(taishan_term, **{field: value}))
    assert response.status_code == 400
    assert error_codes(response, field) == [code]
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not Deputy.objects.filter(name="李梅").exists()


def test_the_add_form_refuses_a_duplicate_id_number(client, taishan_staff, taishan_term, county_deputy):
    client.force_login(taishan_staff)
    response = client.post(
        reverse("deputies:create"), create_data(taishan_term, id_number=county_deputy.id_number)
    )
    assert response.status_code == 409
    assert error_codes(response, "id_number") == ["duplicate_id_number"]


def test_the_add_form_offers_only_terms_of_the_staff_s_region(
    client, taishan_staff, taishan_term, kaiping_term
):
    client.force_login(taishan_staff)
    response = client.post(reverse("deputies:create"), create_data(kaiping_term))
    assert response.status_code == 400
    assert error_codes(response, "term") == ["invalid_choice"]


def test_staff_add_a_seat_and_a_duplicate_seat_is_refused_on_the_form(
    client, taishan_staff, town_deputy, taishan_term
):
    client.force_login(taishan_staff)
    url = reverse("deputies:seat_add", args=[town_deputy.pk])
    response = client.post(url, {"term": taishan_term.pk, "delegation": "海宴代表小组"})
    assert response.status_code == 302
    assert town_deputy.seats.filter(term=taishan_term).exists()
    response = client.post(url, {"term": taishan_term.pk})
    assert response.status_code == 409
    assert error_codes(response, "term") == ["duplicate_seat"]


def test_the_seat_add_form_refuses_a_start_outside_the_term(client, taishan_staff, town_deputy, taishan_term):
    client.force_login(taishan_staff)
    url = reverse("deputies:seat_add", args=[town_deputy.pk])
    response = client.post(url, {"term": taishan_term.pk, "start_date": "2019-01-01"})
    assert response.status_code == 400
    assert error_codes(response, "start_date") == ["outside_term"]


def test_ending_a_seat_on_the_page_and_again_is_refused(client, taishan_staff, county_deputy):
    client.force_login(taishan_staff)
    seat = county_deputy.seats.get()
    url = reverse("deputies:seat_end", args=[seat.pk])
    response = client.post(url, {"status": "resigned", "end_date": "2024-05-01", "reason": "个人原因"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == Seat.Status.RESIGNED
    response = client.post(url, {"status": "ended", "end_date": "2024-05-02"})
    assert response.status_code == 409
    assert error_codes(response) == ["transition_not_allowed"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "ended", "end_date": ""}, "end_date"),
        ({"status": "active", "end_date": "2024-05-01"}, "status"),
        ({"status": "ended", "end_date": "2001-01-01"}, "end_date"),
    ],
)
def test_the_seat_end_form_shows_bad_input(client, taishan_staff, county_deputy, data, field):
    client.force_login(taishan_staff)
    seat = county_deputy.seats.get()
    response = client.post(reverse("deputies:seat_end", args=[seat.pk]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    seat.refresh_from_db()
    assert seat.status == Seat.Status.ACTIVE


def test_the_deputy_page_shows_the_history_from_the_audit_trail(client, taishan_staff, county_deputy):
    client.force_login(taishan_staff)
    seat = county_deputy.seats.get()
    client.post(reverse("deputies:seat_end", args=[seat.pk]), {"status": "ended", "end_date": "2024-05-01"})
    response = client.get(reverse("deputies:detail", args=[county_deputy.pk]))
    assert [r.verb for r in response.context["history"]] == ["seat.ended"]
    assert 'data-testid="deputy-history"' in response.content.decode()
