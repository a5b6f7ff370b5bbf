import datetime as dt

import pytest
from django.urls import reverse

from minsheng.common.testing import CAST_ROLES as ROLES
from minsheng.common.testing import status_for
from minsheng.congresses.models import Congress, Session, Term

from .factories import SessionFactory

COVER_KAIPING = {"admin_user", "city_staff", "kaiping_staff"}


def expected_for_staff_form(role: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in COVER_KAIPING else 403


@pytest.mark.parametrize("role", ROLES)
def test_everyone_may_see_the_congresses_and_a_congress(client, user_of, role, kaiping_congress):
    user = user_of(role)
    assert status_for(client, user, "get", reverse("congresses:list")) == 200
    assert status_for(client, user, "get", reverse("congresses:list") + "?all=on&level=county") == 200
    assert status_for(client, user, "get", reverse("congresses:detail", args=[kaiping_congress.pk])) == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_kaiping_may_add_a_term_to_kaipings_congress(
    client, user_of, role, kaiping_congress
):
    url = reverse("congresses:term_create", args=[kaiping_congress.pk])
    assert status_for(client, user_of(role), "get", url) == expected_for_staff_form(role)
    data = {"number": 17, "start_date": "2021-10-01", "end_date": "2026-09-30"}
    posted = status_for(client, user_of(role), "post", url, data)
    assert posted == (302 if role == "anonymous" or role in COVER_KAIPING else 403)
    assert Term.objects.filter(congress=kaiping_congress).exists() == (role in COVER_KAIPING)


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_covering_kaiping_may_add_a_session_to_kaipings_term(client, user_of, role, kaiping_term):
    url = reverse("congresses:session_create", args=[kaiping_term.congress_id, kaiping_term.pk])
    assert status_for(client, user_of(role), "get", url) == expected_for_staff_form(role)
    data = {"number": 1, "start_date": "2021-10-08", "end_date": "2021-10-10"}
    status_for(client, user_of(role), "post", url, data)
    assert Session.objects.filter(term=kaiping_term).exists() == (role in COVER_KAIPING)


def test_an_unknown_congress_or_a_term_of_another_congress_answers_404(
    client, admin_user, kaiping_term, jiangmen
):
    client.force_login(admin_user)
    assert client.get(reverse("congresses:detail", args=[999999])).status_code == 404
    url = reverse("congresses:session_create", args=[jiangmen.pk, kaiping_term.pk])
    assert client.get(url).status_code == 404


def test_the_list_shows_jiangmens_tree_by_default_and_every_region_on_request(client, jiangmen):
    response = client.get(reverse("congresses:list"))
    rows = response.context["rows"]
    assert rows[0] == jiangmen
    assert rows[0].indent == "" and rows[1].indent == "\u3000"
    assert response.context["page_obj"].paginator.count == 69
    everything = client.get(reverse("congresses:list"), {"all": "on"})
    assert everything.context["rows"][0].level == Congress.Level.NATIONAL
    assert everything.context["page_obj"].paginator.count == 71


def test_the_list_filters_by_level_and_searches(client, jiangmen):
    counties = client.get(reverse("congresses:list"), {"level": "county"})
    assert counties.context["page_obj"].paginator.count == 7
    found = client.get(reverse("congresses:list"), {"q": "海宴"})
    assert [c.name for c in found.context["rows"]] == ["海宴镇人民代表大会"]


def test_a_county_congress_page_shows_its_body_terms_sessions_seats_and_streets(
    client, taishan_congress, county_deputy, taishan_staff
):
    term = taishan_congress.terms.get()
    SessionFactory(term=term, number=1, start_date=dt.date(2021, 10, 8), end_date=dt.date(2021, 10, 10))
    response = client.get(reverse("congresses:detail", args=[taishan_congress.pk]))
    html = response.content.decode()
    assert response.context["active_seats"] == 1
    assert [t.number for t in response.context["terms"]] == [17]
    assert [s.number for s in response.context["terms"][0].sessions.all()] == [1]
    assert [p.name for p in response.context["streets"]] == ["台城街道"]
    assert response.context["congress"].body_name == str(taishan_congress.body_name)
    assert 'data-testid="streets"' in html
    assert "海宴镇人民代表大会" in html  # a congress below
    assert reverse("congresses:term_create", args=[taishan_congress.pk]) not in html
    client.force_login(taishan_staff)
    html = client.get(reverse("congresses:detail", args=[taishan_congress.pk])).content.decode()
    assert reverse("congresses:term_create", args=[taishan_congress.pk]) in html
    assert reverse("congresses:session_create", args=[taishan_congress.pk, term.pk]) in html


def test_a_town_congress_acts_through_its_presidium_and_covers_no_streets(client, haiyan_congress):
    from django.utils import translation

    with translation.override("en"):
        assert haiyan_congress.body_name == "presidium"
    response = client.get(reverse("congresses:detail", args=[haiyan_congress.pk]))
    assert not response.context["streets"]
    assert response.context["congress"].parent.place.code == "440781"


def test_a_term_with_bad_dates_shows_the_error_on_the_field(client, kaiping_staff, kaiping_term):
    client.force_login(kaiping_staff)
    url = reverse("congresses:term_create", args=[kaiping_term.congress_id])
    response = client.post(url, {"number": 17, "start_date": "2027-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    response = client.post(url, {"number": 18, "start_date": "2027-01-01", "end_date": "2026-01-01"})
    assert response.context["form"].errors["end_date"]
    assert Term.objects.filter(congress_id=kaiping_term.congress_id).count() == 1


def test_a_session_outside_the_term_shows_the_error_on_the_form(client, kaiping_staff, kaiping_term):
    client.force_login(kaiping_staff)
    url = reverse("congresses:session_create", args=[kaiping_term.congress_id, kaiping_term.pk])
    response = client.post(url, {"number": 1, "start_date": "2030-01-01", "end_date": "2030-01-03"})
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"]
    assert not Session.objects.exists()


def test_the_list_keeps_to_its_query_budget(client, city_staff, city_deputy, django_assert_max_num_queries):
    client.force_login(city_staff)
    client.get(reverse("congresses:list"))
    with django_assert_max_num_queries(7):
        response = client.get(reverse("congresses:list"), {"all": "on"})
    assert len(response.context["rows"]) == 50


def test_the_detail_page_keeps_to_its_query_budget(client, taishan_term, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        client.get(reverse("congresses:detail", args=[taishan_term.congress_id]))
