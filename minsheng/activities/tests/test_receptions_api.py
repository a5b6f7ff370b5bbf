"""/api/v1/receptions/: who may read and write, the visitor's privacy, the case moves, query budgets."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.activities.models import Reception
from minsheng.cases.models import Case
from minsheng.common import clock
from minsheng.common.models import AuditRecord
from minsheng.common.testing import matrix

from .conftest import ROLES, VISITOR_NAME, VISITOR_PHONE

RECEPTIONS = "/api/v1/receptions/"


def by_role(**expected) -> list:
    return matrix(ROLES, **expected)


READERS = {
    "anonymous": 403,
    "admin_user": 200,
    "city_staff": 200,
    "taishan_staff": 200,
    "kaiping_staff": 404,
    "deputy_user": 200,
    "station_staff": 200,
    "civil_affairs_handler": 404,
    "donor": 404,
}


@pytest.mark.parametrize(("role", "expected"), by_role(**READERS))
def test_a_reception_answers_by_role(api, user_for, reception, role, expected):
    api.login(user_for(role))
    assert api.get(f"{RECEPTIONS}{reception.pk}/").status_code == expected
    listed = api.get(RECEPTIONS)
    assert listed.status_code == (403 if role == "anonymous" else 200)
    if listed.status_code == 200:
        assert [r["id"] for r in listed.json()["results"]] == ([reception.pk] if expected == 200 else [])


def payload(station, deputy, **extra) -> dict:
    data = {
        "station": station.pk,
        "received_at": (clock.now() - dt.timedelta(hours=1)).isoformat(),
        "deputies": [deputy.pk],
        "visitor_count": 2,
        "contact_name": VISITOR_NAME,
        "contact_phone": VISITOR_PHONE,
        "matter": "村道坑洼，雨天积水。",
        "category": "transport",
        "outcome": "answered",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("role", "expected"),
    by_role(**{**READERS, "kaiping_staff": 403, "civil_affairs_handler": 403, "donor": 403}),
)
def test_recording_answers_by_role(api, user_for, station, town_deputy, role, expected):
    response = api.login(user_for(role)).post(RECEPTIONS, payload(station, town_deputy))
    assert response.status_code == (201 if expected == 200 else expected)
    assert Reception.objects.exists() == (expected == 200)


def test_recording_returns_the_reception_with_its_contact(api, station_staff, station, town_deputy):
    response = api.login(station_staff).post(RECEPTIONS, payload(station, town_deputy))
    body = response.json()
    assert body["contact"] == {"name": VISITOR_NAME, "phone": VISITOR_PHONE, "masked": False}
    assert body["deputies"] == [{"id": town_deputy.pk, "name": town_deputy.name}]
    assert AuditRecord.objects.filter(verb="reception.recorded", target_id=str(body["id"])).exists()


def test_refusals_come_back_translated_with_a_code(api, station_staff, station, town_deputy):
    api.login(station_staff)
    response = api.post(RECEPTIONS, payload(station, town_deputy, outcome="referred"))
    assert response.status_code == 400
    assert response.json()["field"] == "referred_to"


def test_the_list_never_carries_the_visitor_and_a_detail_masks_it_for_other_deputies(
    api, reception, other_station_deputy_user, station_staff
):
    for user in (station_staff, other_station_deputy_user):
        text = api.login(user).get(RECEPTIONS).content.decode()
        assert VISITOR_NAME not in text and VISITOR_PHONE not in text and "contact" not in text
    detail = api.login(other_station_deputy_user).get(f"{RECEPTIONS}{reception.pk}/").json()
    assert detail["contact"] == {"name": "梁**", "phone": "139****5678", "masked": True}


def test_the_public_stations_api_says_nothing_of_receptions(api, reception, station):
    text = api.login(None).get(f"/api/v1/stations/{station.pk}/").content.decode()
    assert VISITOR_NAME not in text and VISITOR_PHONE not in text and reception.matter not in text


def test_patch_corrects_a_reception(api, station_staff, reception):
    response = api.login(station_staff).patch(f"{RECEPTIONS}{reception.pk}/", {"visitor_count": 6})
    assert response.status_code == 200 and response.json()["visitor_count"] == 6
    assert AuditRecord.objects.filter(verb="reception.updated", target_id=str(reception.pk)).exists()


def test_patch_is_refused_to_a_reader_who_may_not_edit(api, reception, deputy_user, town_deputy, station):
    """陈海 received the visitors; once detached from the station he still reads it, but edits no more."""
    from minsheng.stations.models import StationDeputy

    StationDeputy.objects.filter(station=station, deputy=town_deputy).delete()
    api.login(deputy_user)
    assert api.get(f"{RECEPTIONS}{reception.pk}/").status_code == 200
    assert api.patch(f"{RECEPTIONS}{reception.pk}/", {"visitor_count": 6}).status_code == 403


def test_to_case_link_and_unlink_end_to_end(
    api, deputy_user, station_staff, reception, make_reception, station
):
    api.login(deputy_user)
    made = api.post(f"{RECEPTIONS}{reception.pk}/to-case/", {"kind": "suggestion"})
    assert made.status_code == 201
    case_id = made.json()["case"]["id"]
    assert made.json()["reception"]["case"]["id"] == case_id
    case = Case.objects.get(pk=case_id)
    assert (case.status, case.station, case.lead_deputy_id) == ("draft", station, deputy_user.deputy_id)
    again = api.post(f"{RECEPTIONS}{reception.pk}/to-case/", {})
    assert again.status_code == 409 and again.json()["code"] == "already_linked"

    other = make_reception()
    api.login(station_staff)
    linked = api.post(f"{RECEPTIONS}{other.pk}/link-case/", {"case": case_id})
    assert linked.status_code == 200 and linked.json()["case"]["id"] == case_id
    assert api.post(f"{RECEPTIONS}{other.pk}/link-case/", {"case": case_id}).status_code == 409
    assert api.post(f"{RECEPTIONS}{other.pk}/unlink/").json()["case"] is None
    assert api.post(f"{RECEPTIONS}{other.pk}/unlink/").status_code == 409
    assert [r["id"] for r in api.get(RECEPTIONS, linked="true").json()["results"]] == [reception.pk]


@pytest.mark.parametrize("role", ["kaiping_staff", "donor"])
def test_case_moves_are_not_found_for_those_who_cannot_see_the_reception(api, user_for, reception, role):
    api.login(user_for(role))
    assert api.post(f"{RECEPTIONS}{reception.pk}/to-case/", {}).status_code == 404
    assert api.post(f"{RECEPTIONS}{reception.pk}/link-case/", {"case": 1}).status_code == 404
    assert api.post(f"{RECEPTIONS}{reception.pk}/unlink/").status_code == 404
    assert not Case.objects.exists()


def test_mine_lists_a_deputys_own_receptions(
    api, deputy_user, other_station_deputy_user, make_reception, city_deputy
):
    own = make_reception()
    theirs = make_reception(deputies=[city_deputy])
    assert [r["id"] for r in api.login(deputy_user).get(RECEPTIONS, mine="true").json()["results"]] == [
        own.pk
    ]
    mine = api.login(other_station_deputy_user).get(RECEPTIONS, mine="true").json()["results"]
    assert [r["id"] for r in mine] == [theirs.pk]


def test_filters(api, station_staff, make_reception):
    old = make_reception(received_at=clock.now() - dt.timedelta(days=30), category="health")
    new = make_reception()
    api.login(station_staff)
    since = (clock.today() - dt.timedelta(days=3)).isoformat()
    assert [r["id"] for r in api.get(RECEPTIONS, date_from=since).json()["results"]] == [new.pk]
    assert [r["id"] for r in api.get(RECEPTIONS, category="health").json()["results"]] == [old.pk]
    assert api.get(RECEPTIONS, category="nonsense").status_code == 400


def test_the_list_keeps_to_a_query_budget(api, station_staff, make_reception, django_assert_max_num_queries):
    make_reception()
    api.login(station_staff)
    with CaptureQueriesContext(connection) as few:
        api.get(RECEPTIONS)
    for _ in range(10):
        make_reception()
    with django_assert_max_num_queries(len(few)):
        assert len(api.get(RECEPTIONS).json()["results"]) == 11
