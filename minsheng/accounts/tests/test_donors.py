"""Donor registration, verification and rejection: the page, the services, the audit trail."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from minsheng.accounts import services
from minsheng.accounts.models import DonorProfile, User
from minsheng.common.errors import DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord

from .conftest import EN, sign_in
from .factories import DonorProfileFactory, credit_code_for

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Qiaoxiang-2026!"


def registration(**changes) -> dict:
    data = {
        "kind": "enterprise",
        "name": "台山市海宴爱心电器有限公司",
        "credit_code": credit_code_for(1),
        "contact_name": "黄经理",
        "place": "",
        "username": "haiyan_dianqi",
        "mobile": "13612345678",
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
    }
    data.update(changes)
    return data


def register(client, **changes):
    return client.post(reverse("accounts:donor_register"), registration(**changes), **EN)


def error_codes(response, field: str) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data().get(field, [])]


def test_an_enterprise_registers_and_is_signed_in_awaiting_verification(client, db):
    response = register(client)
    assert response.status_code == 302
    profile = DonorProfile.objects.get(name="台山市海宴爱心电器有限公司")
    assert profile.status == DonorProfile.Status.PENDING
    assert profile.credit_code == credit_code_for(1)
    assert profile.user.role == User.Role.DONOR
    assert profile.user.is_active  # may sign in ...
    assert not profile.can_act  # ... but not claim anything yet
    assert profile.user.mobile == "13612345678"
    assert client.session["_auth_user_id"] == str(profile.user.pk)
    record = AuditRecord.objects.get(verb="donor.registered")
    assert record.target_id == str(profile.pk)
    assert "13612345678" not in str(record.data)

    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-donor"' in home
    assert 'data-testid="donor-pending"' in home


def test_a_registered_donor_signs_in_later_with_the_mobile_number(client, db):
    register(client)
    client.logout()
    assert sign_in(client, "13612345678", GOOD_PASSWORD).status_code == 302


def test_an_individual_needs_no_credit_code_and_is_their_own_contact(client, db):
    response = register(client, kind="individual", name="伍爱心", credit_code="", contact_name="")
    assert response.status_code == 302
    profile = DonorProfile.objects.get(name="伍爱心")
    assert profile.credit_code == ""
    assert profile.contact_name == "伍爱心"


def test_a_donor_may_choose_a_county_as_area(client, taishan_congress):
    assert register(client, place=taishan_congress.place.pk).status_code == 302
    assert DonorProfile.objects.get().place == taishan_congress.place


def wrong_check_digit(code: str) -> str:
    return code[:17] + ("0" if code[17] != "0" else "1")


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"mobile": "12345678901"}, "mobile", "mobile"),
        ({"mobile": "0750-1234567"}, "mobile", "mobile"),
        ({"credit_code": "91440781MA4UXXXXX"}, "credit_code", "credit_code_length"),
        ({"credit_code": "91440781MA4UI00000"}, "credit_code", "credit_code_chars"),
        ({"credit_code": wrong_check_digit(credit_code_for(1))}, "credit_code", "credit_code_check_digit"),
        ({"credit_code": ""}, "credit_code", "required"),
        ({"contact_name": ""}, "contact_name", "required"),
        ({"name": ""}, "name", "required"),
        (
            {"password": "12345678901", "password_confirm": "12345678901"},
            "password",
            "password_entirely_numeric",
        ),
        ({"password": "short1!", "password_confirm": "short1!"}, "password", "password_too_short"),
        ({"password": "password123", "password_confirm": "password123"}, "password", "password_too_common"),
        (
            {"password": "haiyan_dianqi1", "password_confirm": "haiyan_dianqi1"},
            "password",
            "password_too_similar",
        ),
        ({"password_confirm": "Another-pass-2026"}, "password_confirm", "mismatch"),
        ({"username": "13912345678"}, "username", "username_is_mobile"),
        ({"username": "有 空格"}, "username", "invalid"),
    ],
)
def test_a_registration_with_a_wrong_field_is_refused_with_that_fields_error(
    client, db, changes, field, code
):
    response = register(client, **changes)
    assert response.status_code == 200
    assert code in error_codes(response, field)
    assert not DonorProfile.objects.exists()
    assert not User.objects.filter(role=User.Role.DONOR).exists()


def test_a_wrong_mobile_number_is_explained_in_words(client, db):
    response = register(client, mobile="12345678901")
    assert "not a valid mainland mobile number" in response.content.decode()


def test_a_registration_shows_every_wrong_field_at_once(client, db):
    response = register(client, mobile="123", credit_code="XYZ", password="123", password_confirm="123")
    errors = response.context["form"].errors
    assert {"mobile", "credit_code", "password"} <= set(errors)


def test_a_taken_username_is_refused(client, city_staff):
    response = register(client, username="CITY_STAFF")
    assert error_codes(response, "username") == ["taken"]


def test_a_mobile_number_of_another_account_is_refused(client, city_staff):
    response = register(client, mobile="139-0000-0001")
    assert error_codes(response, "mobile") == ["taken"]


def test_a_credit_code_registered_already_is_refused(client, db):
    DonorProfileFactory(credit_code=credit_code_for(1))
    response = register(client)
    assert error_codes(response, "credit_code") == ["taken"]


def test_a_credit_code_is_accepted_in_lower_case_with_spaces(client, db):
    code = credit_code_for(7)
    assert register(client, credit_code=f" {code[:9].lower()} {code[9:]} ").status_code == 302
    assert DonorProfile.objects.get().credit_code == code


def test_signed_in_people_other_than_staff_cannot_register_a_donor(client, deputy_user):
    client.force_login(deputy_user)
    assert register(client).status_code == 403


def test_staff_register_a_donor_on_someones_behalf_and_stay_signed_in(client, city_staff):
    client.force_login(city_staff)
    response = register(client)
    profile = DonorProfile.objects.get()
    assert response.url == reverse("accounts:donor_detail", args=[profile.pk])
    assert client.session["_auth_user_id"] == str(city_staff.pk)
    assert AuditRecord.objects.get(verb="donor.registered").actor == city_staff


# --- services -------------------------------------------------------------------------------------------


def test_the_service_refuses_a_registration_with_field_errors(db):
    with pytest.raises(ValidationError) as caught:
        services.donor_register(
            actor=None,
            username="x",
            password="1",
            mobile="1",
            kind="enterprise",
            name="",
            credit_code="",
            contact_name="",
        )
    assert {"password", "mobile", "name", "credit_code", "contact_name"} <= set(caught.value.error_dict)
    assert not User.objects.exists() or not User.objects.filter(username="x").exists()


def test_staff_verify_a_pending_donor(city_staff, pending_donor):
    profile = services.donor_verify(actor=city_staff, donor_id=pending_donor.donor_profile.pk)
    profile.refresh_from_db()
    assert profile.status == DonorProfile.Status.VERIFIED
    assert profile.reviewed_by == city_staff
    assert profile.reviewed_at is not None
    assert profile.can_act
    record = AuditRecord.objects.get(verb="donor.verified")
    assert (record.actor, record.target_id) == (city_staff, str(profile.pk))


def test_verifying_a_verified_donor_is_refused(city_staff, donor):
    with pytest.raises(TransitionNotAllowed):
        services.donor_verify(actor=city_staff, donor_id=donor.donor_profile.pk)
    assert not AuditRecord.objects.filter(verb="donor.verified").exists()


def test_staff_reject_a_pending_donor_with_a_reason(city_staff, pending_donor):
    profile = services.donor_reject(
        actor=city_staff, donor_id=pending_donor.donor_profile.pk, reason="信用代码不符"
    )
    profile.refresh_from_db()
    assert profile.status == DonorProfile.Status.REJECTED
    assert profile.reject_reason == "信用代码不符"
    record = AuditRecord.objects.get(verb="donor.rejected")
    assert record.data == {"reason": "信用代码不符"}


def test_a_rejection_without_a_reason_is_refused(city_staff, pending_donor):
    with pytest.raises(DomainError) as caught:
        services.donor_reject(actor=city_staff, donor_id=pending_donor.donor_profile.pk, reason="  ")
    assert caught.value.field == "reason"
    pending_donor.donor_profile.refresh_from_db()
    assert pending_donor.donor_profile.status == DonorProfile.Status.PENDING


def test_rejecting_a_verified_donor_is_refused(city_staff, donor):
    with pytest.raises(TransitionNotAllowed):
        services.donor_reject(actor=city_staff, donor_id=donor.donor_profile.pk, reason="太迟了")


def test_a_deputy_cannot_verify_a_donor(deputy_user, pending_donor):
    with pytest.raises(PermissionDenied):
        services.donor_verify(actor=deputy_user, donor_id=pending_donor.donor_profile.pk)


def test_county_staff_cannot_verify_a_donor_of_another_county(taishan_staff, kaiping_donor):
    with pytest.raises(PermissionDenied):
        services.donor_verify(actor=taishan_staff, donor_id=kaiping_donor.pk)


def test_a_rejected_donor_corrects_the_registration_and_waits_again(client, rejected_donor):
    client.force_login(rejected_donor)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="donor-rejected"' in home
    assert "营业执照照片看不清" in home
    code = credit_code_for(42)
    response = client.post(
        reverse("accounts:donor_resubmit"),
        {"name": "改名后的公司", "credit_code": code, "contact_name": "李经理"},
    )
    assert response.status_code == 302
    profile = DonorProfile.objects.get(user=rejected_donor)
    assert (profile.status, profile.name, profile.credit_code) == (
        DonorProfile.Status.PENDING,
        "改名后的公司",
        code,
    )
    assert AuditRecord.objects.filter(verb="donor.resubmitted", actor=rejected_donor).exists()


def test_a_pending_donor_cannot_resubmit(client, pending_donor):
    client.force_login(pending_donor)
    response = client.post(
        reverse("accounts:donor_resubmit"),
        {"name": "x", "contact_name": "y", "credit_code": credit_code_for(3)},
    )
    assert response.status_code == 400
    assert pending_donor.donor_profile.status == DonorProfile.Status.PENDING
    assert not AuditRecord.objects.filter(verb="donor.resubmitted").exists()


# --- pages ----------------------------------------------------------------------------------------------


def test_staff_verify_a_donor_from_its_page(client, city_staff, pending_donor):
    client.force_login(city_staff)
    profile = pending_donor.donor_profile
    page = client.get(reverse("accounts:donor_detail", args=[profile.pk])).content.decode()
    assert 'data-testid="donor-verify"' in page
    response = client.post(reverse("accounts:donor_verify", args=[profile.pk]))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == DonorProfile.Status.VERIFIED
    page = client.get(reverse("accounts:donor_detail", args=[profile.pk])).content.decode()
    assert 'data-testid="donor-verify"' not in page


def test_verifying_a_verified_donor_from_its_page_shows_why_not(client, city_staff, donor):
    client.force_login(city_staff)
    response = client.post(reverse("accounts:donor_verify", args=[donor.donor_profile.pk]), follow=True, **EN)
    assert "cannot become" in response.content.decode()


def test_rejecting_from_the_page_without_a_reason_shows_the_field_error(client, city_staff, pending_donor):
    client.force_login(city_staff)
    profile = pending_donor.donor_profile
    response = client.post(reverse("accounts:donor_reject", args=[profile.pk]), {"reason": ""})
    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"]
    assert (
        client.post(reverse("accounts:donor_reject", args=[profile.pk]), {"reason": "资料不全"}).status_code
        == 302
    )
    profile.refresh_from_db()
    assert profile.status == DonorProfile.Status.REJECTED


def test_the_donor_list_filters_by_status_kind_and_name(client, city_staff, donor, pending_donor):
    DonorProfileFactory(kind=DonorProfile.Kind.INDIVIDUAL, name="伍爱心")
    client.force_login(city_staff)
    url = reverse("accounts:donor_list")
    names = lambda **params: [d.name for d in client.get(url, params).context["object_list"]]  # noqa: E731
    assert set(names(status="pending")) == {pending_donor.donor_profile.name, "伍爱心"}
    assert names(kind="individual") == ["伍爱心"]
    assert names(q="爱心") and all("爱心" in n for n in names(q="爱心"))
    assert names(status="verified") == [donor.donor_profile.name]


def test_the_donor_list_pages_and_exports_to_excel(client, city_staff, django_assert_max_num_queries):
    DonorProfileFactory.create_batch(55)
    client.force_login(city_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("accounts:donor_list"))
    assert len(response.context["object_list"]) == 50
    assert client.get(reverse("accounts:donor_list"), {"page": 2}).context["object_list"].__len__() == 5
    export = client.get(reverse("accounts:donor_list"), {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_county_staff_see_the_donors_of_their_county_and_those_without_area(
    client, taishan_staff, kaiping_donor, pending_donor
):
    client.force_login(taishan_staff)
    names = [d.name for d in client.get(reverse("accounts:donor_list")).context["object_list"]]
    assert names == [pending_donor.donor_profile.name]
    assert client.get(reverse("accounts:donor_detail", args=[kaiping_donor.pk])).status_code == 404
    assert client.post(reverse("accounts:donor_verify", args=[kaiping_donor.pk])).status_code == 404
