import pytest
from django.urls import reverse
from django.utils import translation

from minsheng.common.testing import CAST_ROLES as ROLES
from minsheng.common.testing import status_for
from minsheng.places.models import Place

STAFF_OF_TAISHAN = {"admin_user", "city_staff", "taishan_staff"}
STAFF_OF_KAIPING = {"admin_user", "city_staff", "kaiping_staff"}


def expected_for_staff_form(role: str, allowed: set[str]) -> int:
    if role == "anonymous":
        return 302  # to the sign-in page
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_browse_the_places_and_open_a_place(client, user_of, role):
    user = user_of(role)
    assert status_for(client, user, "get", reverse("places:list")) == 200
    assert status_for(client, user, "get", reverse("places:list") + "?parent=440781&q=村") == 200
    assert status_for(client, user, "get", reverse("places:detail", args=["440781"])) == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_taishan_may_open_the_form_to_add_a_place_there(client, user_of, role):
    url = reverse("places:create", args=["440781"])
    assert status_for(client, user_of(role), "get", url) == expected_for_staff_form(role, STAFF_OF_TAISHAN)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_kaiping_may_rename_a_place_in_kaiping(client, user_of, role):
    url = reverse("places:rename", args=["440783"])
    assert status_for(client, user_of(role), "get", url) == expected_for_staff_form(role, STAFF_OF_KAIPING)
    response_status = status_for(client, user_of(role), "post", url, {"name": "开平县"})
    assert response_status == (302 if role == "anonymous" or role in STAFF_OF_KAIPING else 403)
    renamed = Place.objects.get(code="440783").name == "开平县"
    assert renamed == (role in STAFF_OF_KAIPING)


def test_an_unknown_place_answers_404(client, jiangmen):
    assert client.get(reverse("places:detail", args=["440799"])).status_code == 404
    assert client.get(reverse("places:list") + "?parent=440799").status_code == 404


def test_the_list_starts_at_the_province_and_drills_down_with_breadcrumbs(client, jiangmen):
    response = client.get(reverse("places:list"))
    assert [p.code for p in response.context["object_list"]] == ["440700"]
    assert [p.code for p in response.context["trail"]] == ["440000"]

    response = client.get(reverse("places:list") + "?parent=440781111")
    assert [p.name for p in response.context["trail"]] == ["广东省", "江门市", "台山市", "海宴镇"]
    assert all(p.parent.code == "440781111" for p in response.context["object_list"])
    assert response.context["object_list"][0].level == Place.Level.VILLAGE


def test_search_by_name_or_code_looks_everywhere_below_the_current_place(client, jiangmen):
    response = client.get(reverse("places:list"), {"parent": "440781", "q": "海宴"})
    assert [p.code for p in response.context["object_list"]][:2] == ["440781111", "440781111001"]
    response = client.get(reverse("places:list"), {"parent": "440783", "q": "海宴"})
    assert not response.context["object_list"]
    response = client.get(reverse("places:list"), {"q": "4407811110"})
    codes = [p.code for p in response.context["object_list"]]
    assert codes and all(c.startswith("4407811110") for c in codes)


def test_filters_by_level_and_kind_and_flags_non_administrative_units(client, jiangmen):
    response = client.get(reverse("places:list"), {"parent": "440700", "level": "township", "kind": "other"})
    places = list(response.context["object_list"])
    assert len(places) == 9
    assert all(not p.is_administrative for p in places)
    assert response.content.decode().count('data-testid="non-administrative"') == 9


def test_a_bad_filter_is_ignored_and_the_page_still_answers(client, jiangmen):
    response = client.get(reverse("places:list"), {"level": "galaxy", "parent": "440781"})
    assert response.status_code == 200
    assert response.context["parent"].code == "440781"


def test_the_list_is_paginated(client, jiangmen):
    response = client.get(reverse("places:list"), {"parent": "440700", "level": "village"})
    assert response.context["page_obj"].paginator.num_pages > 1
    assert len(response.context["object_list"]) == 50


def test_a_town_page_links_to_its_congress_and_a_street_page_to_the_county_congress(client, jiangmen):
    town = client.get(reverse("places:detail", args=["440781111"]))
    assert town.context["congress"].name == "海宴镇人民代表大会"
    with translation.override("en"):
        street = client.get(reverse("places:detail", args=["440781001"]), HTTP_ACCEPT_LANGUAGE="en")
    assert street.context["congress"] is None
    assert street.context["covering_congress"].name == "台山市人民代表大会"


def test_staff_see_the_buttons_to_add_and_rename_and_others_do_not(client, taishan_staff, kaiping_staff):
    client.force_login(taishan_staff)
    response = client.get(reverse("places:detail", args=["440781"]))
    assert response.context["can_create"] and response.context["can_rename"]
    assert reverse("places:create", args=["440781"]).encode() in response.content
    client.force_login(kaiping_staff)
    response = client.get(reverse("places:detail", args=["440781"]))
    assert not response.context["can_create"] and not response.context["can_rename"]
    assert reverse("places:create", args=["440781"]).encode() not in response.content


def test_adding_a_place_through_the_form_redirects_to_it(client, taishan_staff):
    client.force_login(taishan_staff)
    response = client.post(
        reverse("places:create", args=["440781"]), {"code": "440781601", "name": "新海镇", "kind": "town"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("places:detail", args=["440781601"])


@pytest.mark.parametrize(
    "data, field",
    [
        ({"code": "44078160", "name": "新海镇", "kind": "town"}, "code"),
        ({"code": "440783601", "name": "新海镇", "kind": "town"}, "code"),
        ({"code": "440781111", "name": "新海镇", "kind": "town"}, "code"),
        ({"code": "440781601", "name": "", "kind": "town"}, "name"),
    ],
)
def test_form_errors_are_shown_on_the_field_and_nothing_is_saved(client, taishan_staff, data, field):
    client.force_login(taishan_staff)
    before = Place.objects.count()
    response = client.post(reverse("places:create", args=["440781"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert f'data-testid="error-{field}"'.encode() in response.content
    assert Place.objects.count() == before


def test_a_village_has_no_form_to_add_places_below_it(client, admin_user, jiangmen):
    client.force_login(admin_user)
    village = Place.objects.filter(level="village", code__startswith="440781111").first()
    assert client.get(reverse("places:create", args=[village.code])).status_code == 404


def test_renaming_through_the_form_shows_the_new_name(client, taishan_staff):
    client.force_login(taishan_staff)
    response = client.post(reverse("places:rename", args=["440781111"]), {"name": "海晏镇"}, follow=True)
    assert response.context["place"].name == "海晏镇"


def test_the_list_page_keeps_to_its_query_budget(client, city_staff, django_assert_max_num_queries):
    client.force_login(city_staff)
    client.get(reverse("places:list"))  # warm up the session
    with django_assert_max_num_queries(8):
        response = client.get(reverse("places:list"), {"parent": "440700", "level": "village"})
    assert len(response.context["object_list"]) == 50


def test_the_detail_page_keeps_to_its_query_budget(client, django_assert_max_num_queries, jiangmen):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("places:detail", args=["440781"]))
    assert len(response.context["object_list"]) == 17
