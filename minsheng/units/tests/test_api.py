import pytest

from minsheng.common.testing import CAST_ROLES as ROLES
from minsheng.common.testing import status_for
from minsheng.units.models import Unit

COVER_TAISHAN = {"admin_user", "city_staff", "taishan_staff"}
COVER_CITY = {"admin_user", "city_staff"}
SEE_CIVIL_AFFAIRS_HANDLERS = {"admin_user", "city_staff", "civil_affairs_handler"}


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_read_units(client, user_of, role, civil_affairs):
    user = user_of(role)
    assert status_for(client, user, "get", "/api/v1/units/") == 200
    assert status_for(client, user, "get", f"/api/v1/units/{civil_affairs.pk}/") == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_taishan_may_add_a_unit_there(client, user_of, role, jiangmen):
    data = {"name": "台山市民政局", "kind": "department", "place": "440781"}
    expected = 201 if role in COVER_TAISHAN else 403
    assert status_for(client, user_of(role), "post", "/api/v1/units/", data) == expected
    assert Unit.objects.filter(name="台山市民政局").exists() == (role in COVER_TAISHAN)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_the_city_may_change_a_city_unit(client, user_of, role, civil_affairs):
    response_status = status_for(
        client,
        user_of(role),
        "patch",
        f"/api/v1/units/{civil_affairs.pk}/",
        {"short_name": "民政"},
        content_type="application/json",
    )
    assert response_status == (200 if role in COVER_CITY else 403)
    civil_affairs.refresh_from_db()
    assert (civil_affairs.short_name == "民政") == (role in COVER_CITY)


@pytest.mark.parametrize("role", ROLES)
def test_handlers_are_in_the_answer_only_for_those_allowed(client, user_of, role, civil_affairs_handler):
    client.logout()
    if user_of(role):
        client.force_login(user_of(role))
    body = client.get(f"/api/v1/units/{civil_affairs_handler.unit_id}/").json()
    assert ("handlers" in body) == (role in SEE_CIVIL_AFFAIRS_HANDLERS)
    if "handlers" in body:
        assert body["handlers"] == [
            {
                "id": civil_affairs_handler.pk,
                "name": str(civil_affairs_handler),
                "mobile": civil_affairs_handler.masked_mobile,
            }
        ]


def test_the_list_filters(client, civil_affairs, education_bureau, city_congress):
    assert client.get("/api/v1/units/", {"q": "教育"}).json()["count"] == 1
    assert client.get("/api/v1/units/", {"congress": city_congress.pk}).json()["count"] == 2
    assert client.get("/api/v1/units/", {"level": "county"}).json()["count"] == 0
    assert client.get("/api/v1/units/", {"active": "false"}).json()["count"] == 0
    assert client.get("/api/v1/units/", {"level": "galactic"}).status_code == 400


def test_a_duplicate_name_is_409_and_a_bad_parent_is_400(
    client, taishan_staff, civil_affairs, kaiping_government
):
    client.force_login(taishan_staff)
    response = client.post(
        "/api/v1/units/",
        {"name": "江门市民政局", "kind": "department", "place": "440781"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["field"] == "name"
    response = client.post(
        "/api/v1/units/",
        {"name": "台山市民政局", "kind": "department", "place": "440781", "parent": kaiping_government.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "parent"


def test_a_created_unit_is_answered_in_full(client, taishan_staff, taishan_congress):
    client.force_login(taishan_staff)
    body = client.post(
        "/api/v1/units/",
        {"name": "台山市民政局", "kind": "department", "place": "440781"},
        content_type="application/json",
    ).json()
    assert body["level"] == "county"
    assert body["congress"] == taishan_congress.pk
    assert body["is_active"] is True
    assert body["handlers"] == []


def test_the_list_keeps_to_its_query_budget(client, django_assert_max_num_queries, jiangmen):
    from .factories import UnitFactory

    UnitFactory.create_batch(30)
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/units/").json()["count"] == 30
