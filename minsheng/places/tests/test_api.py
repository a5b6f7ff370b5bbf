import pytest

from minsheng.common.testing import CAST_ROLES as ROLES
from minsheng.common.testing import status_for
from minsheng.places.models import Place

COVER_TAISHAN = {"admin_user", "city_staff", "taishan_staff"}
COVER_KAIPING = {"admin_user", "city_staff", "kaiping_staff"}


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_read_the_places(client, user_of, role):
    user = user_of(role)
    assert status_for(client, user, "get", "/api/v1/places/") == 200
    assert status_for(client, user, "get", "/api/v1/places/440781/") == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_taishan_may_add_a_place_there(client, user_of, role):
    data = {"parent": "440781", "code": "440781601", "name": "新海镇", "kind": "town"}
    expected = 201 if role in COVER_TAISHAN else 403
    assert status_for(client, user_of(role), "post", "/api/v1/places/", data) == expected
    assert Place.objects.filter(code="440781601").exists() == (role in COVER_TAISHAN)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_kaiping_may_rename_a_place_there(client, user_of, role):
    response_status = status_for(
        client,
        user_of(role),
        "patch",
        "/api/v1/places/440783/",
        {"name": "开平县"},
        content_type="application/json",
    )
    assert response_status == (200 if role in COVER_KAIPING else 403)
    assert (Place.objects.get(code="440783").name == "开平县") == (role in COVER_KAIPING)


def test_an_unknown_place_answers_404(client, jiangmen):
    assert client.get("/api/v1/places/440799/").status_code == 404
    assert client.get("/api/v1/places/", {"parent": "440799"}).status_code == 404


def test_the_list_filters_by_parent_level_kind_and_search(client, jiangmen):
    children = client.get("/api/v1/places/", {"parent": "440781"}).json()
    assert children["count"] == 17
    assert {p["parent"] for p in children["results"]} == {"440781"}
    streets = client.get("/api/v1/places/", {"level": "township", "kind": "street", "q": "4407810"}).json()
    assert [p["name"] for p in streets["results"]] == ["台城街道"]
    haiyan = client.get("/api/v1/places/", {"q": "海宴镇"}).json()["results"][0]
    assert haiyan["congress"] is not None and haiyan["is_administrative"] is True
    assert client.get("/api/v1/places/", {"level": "planet"}).status_code == 400


def test_a_place_is_read_by_its_code(client, jiangmen):
    body = client.get("/api/v1/places/440781001/").json()
    assert body == {
        "code": "440781001",
        "name": "台城街道",
        "level": "township",
        "kind": "street",
        "is_administrative": True,
        "parent": "440781",
        "congress": None,
    }


@pytest.mark.parametrize(
    "data, status, field",
    [
        ({"parent": "440781", "code": "44078160", "name": "新海镇", "kind": "town"}, 400, "code"),
        ({"parent": "440781", "code": "440783601", "name": "新海镇", "kind": "town"}, 400, "code"),
        ({"parent": "440781", "code": "440781111", "name": "新海镇", "kind": "town"}, 409, "code"),
        ({"parent": "440799", "code": "440799601", "name": "新海镇", "kind": "town"}, 400, "parent"),
    ],
)
def test_bad_input_answers_400_and_a_duplicate_409_naming_the_field(
    client, taishan_staff, data, status, field
):
    client.force_login(taishan_staff)
    response = client.post("/api/v1/places/", data, content_type="application/json")
    assert response.status_code == status
    body = response.json()
    assert body.get("field") == field or field in body


def test_the_list_keeps_to_its_query_budget(client, django_assert_max_num_queries, jiangmen):
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/places/", {"level": "village"}).json()["results"]) == 50
