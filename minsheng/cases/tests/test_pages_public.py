"""The public pages — the wish wall and the published answers — open without an account and never show who the
family is: no name, ID number, phone or address of the beneficiary, no title or content of a wish, no photo,
no village, and no deputy's mobile."""

# ruff: noqa: F401, F811 - fixtures imported by name from pages_fixtures

import pytest
from django.urls import reverse

from minsheng.cases import services
from minsheng.cases.models import Case
from minsheng.places.models import Place

from .pages_fixtures import SUMMARY, answered, cosigned_wish, make_wishes, published, world


@pytest.fixture
def secrets(beneficiary_data, lead_mobile):
    return [
        beneficiary_data["name"],
        beneficiary_data["id_number"],
        beneficiary_data["phone"],
        beneficiary_data["address"],
        "五丰村",  # the village, part of the address and the place
        lead_mobile,
    ]


@pytest.fixture
def lead_mobile(deputy_user):
    return deputy_user.deputy.mobile


@pytest.fixture
def in_village(world):
    """The world's wish recorded at village level (五丰村委会): the wall must still say only 海宴镇."""
    village = Place.objects.get(name="五丰村委会", code__startswith="440781")
    Case.objects.filter(pk=world["case"].pk).update(place=village)
    return world


def public_pages(case) -> list[str]:
    return [
        reverse("cases:wall"),
        reverse("cases:wall") + "?state=claimed",
        reverse("cases:wall_detail", args=[case.pk]),
        reverse("cases:answers"),
        reverse("cases:answers") + "?q=轮椅",
        reverse("cases:answer_public", args=[case.pk]),
    ]


@pytest.mark.parametrize("viewer", ["anonymous", "donor", "pending_donor", "kaiping_staff"])
def test_no_public_page_identifies_the_family_or_the_deputys_phone(
    client, request, in_village, published, secrets, viewer
):
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    for url in public_pages(published):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)
        assert "/documents/" not in body, url


def test_the_wall_shows_the_township_summary_and_amounts_but_never_the_title(client, in_village, published):
    body = client.get(reverse("cases:wall")).content.decode()
    assert "海宴镇" in body and SUMMARY in body and "450.00" in body
    assert published.title not in body and published.content not in body


def test_the_published_answer_is_shown_with_identities_removed(client, published):
    body = client.get(reverse("cases:answer_public", args=[published.pk])).content.decode()
    assert "海宴镇人民政府" in body and "已协调爱心企业捐赠轮椅" in body
    assert "***" in body
    assert "A" in body and "已解决或基本解决" in body


def test_only_published_cases_are_among_the_answers(client, answered):
    assert client.get(reverse("cases:answer_public", args=[answered.pk])).status_code == 404
    assert 'data-testid="answer-row"' not in client.get(reverse("cases:answers")).content.decode()


def test_the_answers_are_searchable(client, published):
    assert 'data-testid="answer-row"' in client.get(reverse("cases:answers"), {"q": "轮椅"}).content.decode()
    assert (
        'data-testid="answer-row"' not in client.get(reverse("cases:answers"), {"q": "路灯"}).content.decode()
    )


def test_a_wish_not_on_the_wall_has_no_public_page(client, cosigned_wish):
    assert client.get(reverse("cases:wall_detail", args=[cosigned_wish.pk])).status_code == 404


def test_the_wall_filters_by_state_township_category_and_group(
    client, world, deputy_user, station, station_staff, haiyan_staff, haiyan_government
):
    make_wishes(
        3,
        deputy_user=deputy_user,
        station=station,
        station_staff=station_staff,
        haiyan_staff=haiyan_staff,
        unit=haiyan_government,
    )

    def count(**params):
        response = client.get(reverse("cases:wall"), params)
        return len(response.context["cards"])

    assert count() == 4
    assert count(state="claimed") == 1  # the world's wish is claimed whole
    assert count(state="open") == 3
    assert count(state="realised") == 0
    assert count(township=station.place.code) == 4
    assert count(township=Place.objects.get(name="赤溪镇").code) == 0
    assert count(category="service") == 1
    assert count(group="child") == 3 and count(group="subsistence") == 1


def test_a_partly_pledged_wish_shows_what_is_still_open(client, world, donor, haiyan_staff):
    services.claim_withdraw(actor=donor, claim_id=world["claim"].pk, reason="改为认捐一部分")
    services.claim_create(actor=donor, case_id=world["case"].pk, kind="share", amount="200")
    card = client.get(reverse("cases:wall")).context["cards"][0]
    assert card["state"] == "open" and str(card["open_amount"]) == "250.00"


def test_the_claim_button_is_for_verified_donors_others_are_told_how(
    client, world, donor, pending_donor, haiyan_staff
):
    services.claim_withdraw(actor=donor, claim_id=world["claim"].pk, reason="重新开放")
    url = reverse("cases:wall_detail", args=[world["case"].pk])
    body = client.get(url).content.decode()
    assert 'data-testid="claim-sign-in"' in body and 'data-testid="claim-button"' not in body
    assert reverse("accounts:donor_register") in body
    client.force_login(pending_donor)
    assert 'data-testid="claim-pending"' in client.get(url).content.decode()
    client.force_login(donor)
    assert 'data-testid="claim-button"' in client.get(url).content.decode()
    client.force_login(haiyan_staff)
    assert 'data-testid="claim-button"' not in client.get(url).content.decode()


def test_a_claimed_wish_offers_no_second_claim(client, world, donor):
    client.force_login(donor)
    body = client.get(reverse("cases:wall_detail", args=[world["case"].pk])).content.decode()
    assert 'data-testid="my-claim"' in body and 'data-testid="claim-button"' not in body


def test_anonymous_claim_goes_to_sign_in(client, world):
    response = client.post(reverse("cases:claim", args=[world["case"].pk]), {"kind": "whole"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_public_home_and_the_footer_link_the_wall(client, db):
    body = client.get(reverse("home")).content.decode()
    assert body.count(f'href="{reverse("cases:wall")}"') >= 2  # the home's block and the footer
