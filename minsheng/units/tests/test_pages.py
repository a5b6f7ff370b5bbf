import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from minsheng.common.testing import CAST_ROLES as ROLES
from minsheng.common.testing import status_for
from minsheng.units.models import Unit

STAFF = {"admin_user", "city_staff", "taishan_staff", "kaiping_staff"}
COVER_CITY = {"admin_user", "city_staff"}
SEE_CIVIL_AFFAIRS_HANDLERS = {"admin_user", "city_staff", "civil_affairs_handler"}


def staff_form_status(role: str, allowed: set[str]) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_list_export_and_open_units(client, user_of, role, civil_affairs):
    user = user_of(role)
    assert status_for(client, user, "get", reverse("units:list")) == 200
    assert status_for(client, user, "get", reverse("units:export")) == 200
    assert status_for(client, user, "get", reverse("units:detail", args=[civil_affairs.pk])) == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_may_open_the_form_to_add_a_unit(client, user_of, role):
    assert status_for(client, user_of(role), "get", reverse("units:create")) == staff_form_status(role, STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_the_city_may_change_a_city_unit(client, user_of, role, civil_affairs):
    url = reverse("units:update", args=[civil_affairs.pk])
    assert status_for(client, user_of(role), "get", url) == staff_form_status(role, COVER_CITY)


@pytest.mark.parametrize("role", ROLES)
def test_a_units_handlers_are_shown_only_to_its_handlers_and_covering_staff(
    client, user_of, role, civil_affairs_handler
):
    client.logout()
    if user_of(role):
        client.force_login(user_of(role))
    response = client.get(reverse("units:detail", args=[civil_affairs_handler.unit_id]))
    shown = role in SEE_CIVIL_AFFAIRS_HANDLERS
    assert response.context["can_view_handlers"] == shown
    assert (b'data-testid="handlers"' in response.content) == shown
    assert (str(civil_affairs_handler).encode() in response.content) == shown


def test_handlers_mobiles_are_masked(client, city_staff, civil_affairs_handler):
    civil_affairs_handler.mobile = "13812345678"
    civil_affairs_handler.save(update_fields=["mobile"])
    client.force_login(city_staff)
    html = client.get(reverse("units:detail", args=[civil_affairs_handler.unit_id])).content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html


def test_an_unknown_unit_answers_404(client, jiangmen):
    assert client.get(reverse("units:detail", args=[999999])).status_code == 404


def test_the_list_filters_by_level_kind_congress_region_and_search(
    client, civil_affairs, education_bureau, taishan_government, taishan_congress
):
    def names(**params):
        return [u.name for u in client.get(reverse("units:list"), params).context["object_list"]]

    assert names(level="county") == ["台山市人民政府"]
    assert names(kind="government") == ["台山市人民政府"]
    assert names(congress=taishan_congress.pk) == ["台山市人民政府"]
    assert names(region="440781") == ["台山市人民政府"]
    assert names(q="教育") == ["江门市教育局"]
    assert sorted(names()) == sorted(["江门市民政局", "江门市教育局", "台山市人民政府"])
    assert sorted(names(region="bad!")) == sorted(names())  # an invalid filter is ignored


def test_the_export_holds_the_filtered_units_and_no_handlers(client, civil_affairs_handler, education_bureau):
    response = client.get(reverse("units:export"), {"q": "民政"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "江门市民政局"
    assert all(str(civil_affairs_handler) not in str(cell) for row in rows for cell in row)


def test_the_detail_lists_sub_units(client, taishan_government):
    from .factories import UnitFactory

    UnitFactory(
        name="台山市民政局", place=taishan_government.place, parent=taishan_government, level="county"
    )
    response = client.get(reverse("units:detail", args=[taishan_government.pk]))
    assert [u.name for u in response.context["children"]] == ["台山市民政局"]


def test_staff_add_a_unit_through_the_form(client, taishan_staff, taishan_government):
    client.force_login(taishan_staff)
    place = taishan_government.place
    response = client.post(
        reverse("units:create"),
        {
            "name": "台山市民政局",
            "short_name": "",
            "kind": "department",
            "place": place.pk,
            "parent": taishan_government.pk,
            "is_active": "on",
        },
    )
    unit = Unit.objects.get(name="台山市民政局")
    assert response.status_code == 302
    assert response["Location"] == reverse("units:detail", args=[unit.pk])
    assert unit.parent == taishan_government


def test_a_duplicate_name_shows_on_the_name_field(client, city_staff, civil_affairs, city_congress):
    client.force_login(city_staff)
    data = {"name": "江门市民政局", "kind": "department", "place": city_congress.place_id, "is_active": "on"}
    response = client.post(reverse("units:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Unit.objects.filter(name="江门市民政局").count() == 1


def test_taishan_staff_are_not_offered_places_outside_taishan(client, taishan_staff, kaiping_government):
    client.force_login(taishan_staff)
    form = client.get(reverse("units:create")).context["form"]
    assert all(p.code.startswith("440781") for p in form.fields["place"].queryset)
    assert kaiping_government not in form.fields["parent"].queryset


def test_staff_change_a_unit_through_the_form(client, city_staff, civil_affairs):
    client.force_login(city_staff)
    data = {
        "name": "江门市民政局",
        "short_name": "民政",
        "kind": "department",
        "place": civil_affairs.place_id,
        "is_active": "on",
    }
    response = client.post(reverse("units:update", args=[civil_affairs.pk]), data)
    assert response.status_code == 302
    civil_affairs.refresh_from_db()
    assert civil_affairs.short_name == "民政"
    history = client.get(reverse("units:detail", args=[civil_affairs.pk])).context["history"]
    assert [r.verb for r in history] == ["unit.updated"]


def test_the_list_keeps_to_its_query_budget(client, city_staff, django_assert_max_num_queries):
    from .factories import UnitFactory

    UnitFactory.create_batch(60)
    client.force_login(city_staff)
    client.get(reverse("units:list"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("units:list"))
    assert len(response.context["object_list"]) == 50


def test_the_export_keeps_to_its_query_budget(client, django_assert_max_num_queries, jiangmen):
    from .factories import UnitFactory

    UnitFactory.create_batch(30)
    with django_assert_max_num_queries(4):
        client.get(reverse("units:export"))
