"""Recording and editing a case through the pages: who records for whom, the wish's beneficiary block and photos,
and bad input shown on its field with nothing saved."""

# ruff: noqa: F401, F811 - fixtures imported by name from pages_fixtures

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from minsheng.cases.models import Beneficiary, Case, Document
from minsheng.deputies.models import Seat
from minsheng.places.models import Place

from .pages_fixtures import cosigned_wish, photo


def seat_of(deputy, congress) -> Seat:
    return Seat.objects.get(deputy=deputy, congress=congress, status=Seat.Status.ACTIVE)


def wish_data(seat, place, **overrides) -> dict:
    data = {
        "kind": "wish",
        "seat": seat.pk,
        "title": "为留守儿童购买书包",
        "content": "孩子父母在外务工，需要一个新书包和文具。",
        "category": "material",
        "amount": "120",
        "place": place.pk,
        "beneficiary_kind": "individual",
        "beneficiary_group": "child",
        "beneficiary_name": "李小明",
        "beneficiary_id_number": "",
        "beneficiary_phone": "13800138000",
        "beneficiary_address": "台山市海宴镇南丰村12号",
    }
    data.update(overrides)
    return data


def create(client, user, data, kind="wish"):
    client.force_login(user)
    with translation.override("en"):
        return client.post(f"{reverse('cases:create')}?kind={kind}", data)


@pytest.fixture
def village():
    return Place.objects.get(name="南丰村委会", code__startswith="440781")


def test_without_a_kind_the_page_asks_which_kind(client, deputy_user):
    client.force_login(deputy_user)
    response = client.get(reverse("cases:create"))
    assert response.status_code == 200 and 'data-testid="kind-choice"' in response.content.decode()


def test_a_deputy_records_a_wish_with_the_beneficiary_and_photos(
    client, deputy_user, haiyan_congress, station, village
):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    data = wish_data(seat, village, station=station.pk, photos=[photo("a.png"), photo("b.png")])
    response = create(client, deputy_user, data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.kind, case.status, case.lead_deputy, case.congress) == (
        "wish",
        "draft",
        deputy_user.deputy,
        haiyan_congress,
    )
    assert case.place == village and case.station == station
    assert case.beneficiary.name == "李小明" and case.beneficiary.phone == "13800138000"
    assert list(case.documents.values_list("kind", flat=True)) == [Document.Kind.PHOTO] * 2


def test_the_deputys_form_offers_only_the_congresses_of_his_seats(
    client, city_deputy, haiyan_congress, city_congress
):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    user = UserFactory(username="zengli", role=User.Role.DEPUTY, deputy=city_deputy)
    client.force_login(user)
    form = client.get(f"{reverse('cases:create')}?kind=suggestion").context["form"]
    assert [label for _value, label in form.fields["seat"].choices] == [
        city_congress.name,
        haiyan_congress.name,
    ]


def test_a_deputy_cannot_record_under_another_deputys_seat(
    client, deputy_user, county_deputy, taishan_congress, village
):
    seat = seat_of(county_deputy, taishan_congress)
    response = create(client, deputy_user, wish_data(seat, village))
    assert response.status_code == 400
    assert 'data-testid="error-seat"' in response.content.decode()
    assert not Case.objects.exists()


def test_station_staff_record_for_a_deputy_of_their_station(
    client, station_staff, deputy_user, haiyan_congress, station, village
):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    response = create(client, station_staff, wish_data(seat, village))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (
        case.station == station
        and case.created_by == station_staff
        and case.lead_deputy == deputy_user.deputy
    )


def test_station_staff_are_offered_only_the_deputies_of_their_station(
    client, station_staff, deputy_user, county_deputy
):
    client.force_login(station_staff)
    form = client.get(f"{reverse('cases:create')}?kind=wish").context["form"]
    assert {form.seats[pk].deputy for pk, _label in form.fields["seat"].choices} == {deputy_user.deputy}


def test_congress_staff_record_a_suggestion_for_any_deputy_of_their_region(
    client, taishan_staff, county_deputy, taishan_congress, kaiping_deputy
):
    client.force_login(taishan_staff)
    form = client.get(f"{reverse('cases:create')}?kind=suggestion").context["form"]
    offered = {form.seats[pk].deputy for pk, _label in form.fields["seat"].choices}
    assert county_deputy in offered and kaiping_deputy not in offered
    seat = seat_of(county_deputy, taishan_congress)
    data = {
        "kind": "suggestion",
        "seat": seat.pk,
        "title": "路灯",
        "content": "台城某路口需要路灯",
        "place": taishan_congress.place_id,
    }
    assert create(client, taishan_staff, data, kind="suggestion").status_code == 302
    case = Case.objects.get()
    assert case.kind == "suggestion" and case.amount is None
    assert not Beneficiary.objects.exists()


def test_a_wish_over_the_cap_shows_the_error_on_the_amount(client, deputy_user, haiyan_congress, village):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    response = create(client, deputy_user, wish_data(seat, village, amount="800"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-amount"' in body and "500" in body
    assert not Case.objects.exists()


def test_a_second_open_wish_of_the_household_is_refused_on_the_id_number(
    client, deputy_user, haiyan_congress, village, wish, beneficiary_data
):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    data = wish_data(seat, village, beneficiary_id_number=beneficiary_data["id_number"])
    response = create(client, deputy_user, data)
    assert response.status_code == 409
    assert 'data-testid="error-beneficiary_id_number"' in response.content.decode()
    assert Case.objects.count() == 1


def test_a_bad_id_number_is_shown_on_its_field(client, deputy_user, haiyan_congress, village):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    response = create(client, deputy_user, wish_data(seat, village, beneficiary_id_number="4407811948"))
    assert response.status_code == 400
    assert 'data-testid="error-beneficiary_id_number"' in response.content.decode()
    assert not Case.objects.exists()


def test_a_photo_that_is_not_a_picture_saves_nothing(client, deputy_user, haiyan_congress, village):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not allowed", content_type="image/jpeg")
    response = create(client, deputy_user, wish_data(seat, village, photos=[photo(), fake]))
    assert response.status_code == 400
    assert 'data-testid="error-photos"' in response.content.decode()
    assert not Case.objects.exists() and not Document.objects.exists()


def test_a_place_outside_the_congress_region_is_refused(client, deputy_user, haiyan_congress):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    elsewhere = Place.objects.get(code="440783")  # 开平市
    response = create(client, deputy_user, wish_data(seat, elsewhere))
    assert response.status_code == 400
    assert 'data-testid="error-place"' in response.content.decode()


def test_a_micro_project_asks_for_its_budget(client, deputy_user, haiyan_congress):
    seat = seat_of(deputy_user.deputy, haiyan_congress)
    data = {
        "kind": "micro_project",
        "seat": seat.pk,
        "title": "修路",
        "content": "修村道",
        "place": haiyan_congress.place_id,
    }
    response = create(client, deputy_user, data, kind="micro_project")
    assert response.status_code == 400 and 'data-testid="error-amount"' in response.content.decode()
    data["amount"] = "80000"
    assert create(client, deputy_user, data, kind="micro_project").status_code == 302


def test_the_place_options_follow_the_chosen_seat(client, city_deputy, city_congress, haiyan_congress):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    user = UserFactory(username="zengli", role=User.Role.DEPUTY, deputy=city_deputy)
    client.force_login(user)
    town_seat = seat_of(city_deputy, haiyan_congress)
    body = client.get(reverse("cases:place_options"), {"seat": town_seat.pk}).content.decode()
    assert "五丰村委会" in body and "开平市" not in body
    city_seat = seat_of(city_deputy, city_congress)
    assert "开平市" in client.get(reverse("cases:place_options"), {"seat": city_seat.pk}).content.decode()


def test_a_handler_or_donor_may_not_record(client, haiyan_handler, donor):
    for user in (haiyan_handler, donor):
        client.force_login(user)
        assert client.get(f"{reverse('cases:create')}?kind=wish").status_code == 403


# --- edit --------------------------------------------------------------------------------------------------


def test_the_lead_deputy_corrects_a_draft_and_its_beneficiary(client, wish, deputy_user, village):
    client.force_login(deputy_user)
    page = client.get(reverse("cases:edit", args=[wish.pk]))
    assert page.context["form"].initial["beneficiary_name"] == "黄阿婆"
    data = {
        "title": "为独居老人购置轮椅和拐杖",
        "content": wish.content,
        "category": "material",
        "amount": "480",
        "place": village.pk,
        "beneficiary_kind": "household",
        "beneficiary_group": "elderly_alone",
        "beneficiary_name": "黄阿婆",
        "beneficiary_id_number": "",
        "beneficiary_phone": "13712345678",
        "beneficiary_address": "台山市海宴镇南丰村1号",
    }
    response = client.post(reverse("cases:edit", args=[wish.pk]), data)
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.title == "为独居老人购置轮椅和拐杖" and str(wish.amount) == "480.00" and wish.place == village
    assert wish.beneficiary.group == "elderly_alone" and wish.beneficiary.address.endswith("南丰村1号")


def test_an_empty_title_in_the_edit_form_changes_nothing(client, wish, deputy_user):
    client.force_login(deputy_user)
    data = {
        "title": "",
        "content": wish.content,
        "category": "material",
        "amount": "450",
        "place": wish.place_id,
    }
    response = client.post(reverse("cases:edit", args=[wish.pk]), data)
    assert response.status_code == 400
    assert 'data-testid="error-title"' in response.content.decode()
    wish.refresh_from_db()
    assert wish.title == "为独居老人购置轮椅"


def test_a_filed_case_cannot_be_edited_through_the_page(client, cosigned_wish, deputy_user):
    client.force_login(deputy_user)
    response = client.post(reverse("cases:edit", args=[cosigned_wish.pk]), {"title": "改"})
    assert response.status_code == 409
    cosigned_wish.refresh_from_db()
    assert cosigned_wish.title == "为独居老人购置轮椅"
