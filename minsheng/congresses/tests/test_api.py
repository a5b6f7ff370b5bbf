import datetime as dt

import pytest

from minsheng.common.testing import CAST_ROLES as ROLES
from minsheng.common.testing import status_for
from minsheng.congresses.models import Session, Term

from .factories import SessionFactory

COVER_KAIPING = {"admin_user", "city_staff", "kaiping_staff"}


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_read_congresses_terms_and_sessions(client, user_of, role, kaiping_term):
    user = user_of(role)
    assert status_for(client, user, "get", "/api/v1/congresses/") == 200
    assert status_for(client, user, "get", f"/api/v1/congresses/{kaiping_term.congress_id}/") == 200
    assert status_for(client, user, "get", "/api/v1/terms/") == 200
    assert status_for(client, user, "get", f"/api/v1/terms/{kaiping_term.pk}/") == 200
    assert status_for(client, user, "get", "/api/v1/sessions/") == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_kaiping_may_add_a_term_to_kaipings_congress(
    client, user_of, role, kaiping_congress
):
    data = {
        "congress": kaiping_congress.pk,
        "number": 17,
        "start_date": "2021-10-01",
        "end_date": "2026-09-30",
    }
    expected = 201 if role in COVER_KAIPING else 403
    assert status_for(client, user_of(role), "post", "/api/v1/terms/", data) == expected
    assert Term.objects.filter(congress=kaiping_congress).exists() == (role in COVER_KAIPING)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_kaiping_may_add_a_session_to_kaipings_term(client, user_of, role, kaiping_term):
    data = {"term": kaiping_term.pk, "number": 1, "start_date": "2021-10-08", "end_date": "2021-10-10"}
    expected = 201 if role in COVER_KAIPING else 403
    assert status_for(client, user_of(role), "post", "/api/v1/sessions/", data) == expected
    assert Session.objects.filter(term=kaiping_term).exists() == (role in COVER_KAIPING)


def test_the_list_filters_by_level_region_and_parent(client, jiangmen, taishan_congress):
    counties = client.get("/api/v1/congresses/", {"level": "county", "region": "4407"}).json()
    assert counties["count"] == 7
    below_taishan = client.get("/api/v1/congresses/", {"parent": taishan_congress.pk}).json()
    assert below_taishan["count"] == 16
    assert {c["parent"] for c in below_taishan["results"]} == {taishan_congress.pk}
    assert client.get("/api/v1/congresses/", {"level": "galactic"}).status_code == 400


def test_a_congress_nests_its_terms_and_sessions(client, taishan_term):
    SessionFactory(
        term=taishan_term, number=1, start_date=dt.date(2021, 10, 8), end_date=dt.date(2021, 10, 10)
    )
    body = client.get(f"/api/v1/congresses/{taishan_term.congress_id}/").json()
    assert body["name"] == "台山市人民代表大会"
    assert body["place"] == "440781"
    assert body["terms"][0]["number"] == 17
    assert body["terms"][0]["sessions"][0]["number"] == 1


def test_a_duplicate_term_is_409_and_bad_dates_are_400(client, kaiping_staff, kaiping_term):
    client.force_login(kaiping_staff)
    duplicate = {"congress": kaiping_term.congress_id, "number": 17, "start_date": "2027-01-01"}
    response = client.post("/api/v1/terms/", duplicate, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["field"] == "number"
    backwards = {
        "congress": kaiping_term.congress_id,
        "number": 18,
        "start_date": "2027-01-01",
        "end_date": "2026-01-01",
    }
    response = client.post("/api/v1/terms/", backwards, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "end_date"
    outside = {"term": kaiping_term.pk, "number": 1, "start_date": "2030-01-01", "end_date": "2030-01-02"}
    assert client.post("/api/v1/sessions/", outside, content_type="application/json").status_code == 400


def test_the_lists_keep_to_their_query_budget(client, city_term, taishan_term, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/congresses/", {"page_size": 100}).json()["count"] == 71
    with django_assert_max_num_queries(3):
        client.get("/api/v1/terms/")
    with django_assert_max_num_queries(3):
        client.get("/api/v1/sessions/")
    with django_assert_max_num_queries(5):
        client.get(f"/api/v1/congresses/{city_term.congress_id}/")
