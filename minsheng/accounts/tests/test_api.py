"""/api/v1/me/ and /api/v1/donors/, and API tokens for integrations."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from minsheng.accounts.models import DonorProfile
from minsheng.accounts.validators import with_credit_check_digit
from minsheng.common.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_me_tells_a_staff_member_their_role_and_scope(api, taishan_staff):
    api.force_authenticate(taishan_staff)
    data = api.get("/api/v1/me/").json()
    assert data["role"] == "congress_staff"
    assert data["congress"] == taishan_staff.congress_id
    assert data["region_prefix"] == "440781"
    assert data["unit"] is None and data["deputy"] is None


def test_me_tells_a_deputy_their_deputy_record(api, deputy_user):
    api.force_authenticate(deputy_user)
    data = api.get("/api/v1/me/").json()
    assert (data["role"], data["deputy"], data["region_prefix"]) == ("deputy", deputy_user.deputy_id, None)


def test_me_answers_an_admin_as_admin_with_the_whole_country(api, admin_user):
    api.force_authenticate(admin_user)
    data = api.get("/api/v1/me/").json()
    assert (data["role"], data["is_admin"], data["region_prefix"]) == ("admin", True, "")


def test_me_refuses_anonymous_callers(api, db):
    assert api.get("/api/v1/me/").status_code in (401, 403)


def test_a_token_made_on_the_command_line_signs_an_integration_in(api, city_staff):
    out = StringIO()
    call_command("token_create", "city_staff", stdout=out)
    key = out.getvalue().strip()
    assert len(key) == 40
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["username"] == "city_staff"
    assert AuditRecord.objects.filter(verb="user.token_created", target_id=str(city_staff.pk)).count() == 1

    again = StringIO()
    call_command("token_create", "city_staff", stdout=again)
    assert again.getvalue().strip() == key  # the same token until rotated
    rotated = StringIO()
    call_command("token_create", "city_staff", "--rotate", stdout=rotated)
    assert rotated.getvalue().strip() != key


def test_the_token_command_refuses_an_unknown_username(db):
    with pytest.raises(CommandError):
        call_command("token_create", "nobody", stdout=StringIO())


def test_staff_list_donors_with_filters(api, city_staff, donor, pending_donor, django_assert_max_num_queries):
    api.force_authenticate(city_staff)
    with django_assert_max_num_queries(4):
        data = api.get("/api/v1/donors/", {"status": "pending"}).json()
    assert [row["name"] for row in data["results"]] == [pending_donor.donor_profile.name]
    assert "mobile" in data["results"][0]


def test_staff_verify_a_donor_through_the_api_and_a_second_verify_is_a_conflict(
    api, city_staff, pending_donor
):
    api.force_authenticate(city_staff)
    url = f"/api/v1/donors/{pending_donor.donor_profile.pk}/verify/"
    response = api.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    again = api.post(url)
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"
    assert AuditRecord.objects.filter(verb="donor.verified").count() == 1


def test_a_rejection_through_the_api_needs_a_reason(api, city_staff, pending_donor):
    api.force_authenticate(city_staff)
    url = f"/api/v1/donors/{pending_donor.donor_profile.pk}/reject/"
    assert api.post(url, {}, format="json").status_code == 400
    response = api.post(url, {"reason": "联系人电话打不通"}, format="json")
    assert response.status_code == 200
    assert response.json()["reject_reason"] == "联系人电话打不通"


def test_another_countys_donor_is_not_found_through_the_api(api, taishan_staff, kaiping_donor):
    api.force_authenticate(taishan_staff)
    assert api.get(f"/api/v1/donors/{kaiping_donor.pk}/").status_code == 404
    assert api.post(f"/api/v1/donors/{kaiping_donor.pk}/verify/").status_code == 404


def registration(**changes):
    data = {
        "kind": "organisation",
        "name": "江门市慈善会",
        "credit_code": with_credit_check_digit("51440700MJ0000005"),  # 5: registered by 民政
        "contact_name": "陈秘书长",
        "username": "cishanhui",
        "mobile": "13512345678",
        "password": "Cishan-Jiangmen-2026",
    }
    data.update(changes)
    return data


def test_anyone_registers_as_a_donor_through_the_api(api, db):
    response = api.post("/api/v1/donors/register/", registration(place="440781"), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    assert response.json()["mobile"] == "135****5678"
    profile = DonorProfile.objects.get()
    assert profile.place.code == "440781"


def test_a_wrong_registration_through_the_api_names_the_fields(api, db):
    response = api.post(
        "/api/v1/donors/register/", registration(mobile="123", credit_code="91", password="1"), format="json"
    )
    assert response.status_code == 400
    assert {"mobile", "credit_code", "password"} <= set(response.json())
    assert not DonorProfile.objects.exists()


def test_a_signed_in_deputy_cannot_register_a_donor_through_the_api(api, deputy_user):
    api.force_authenticate(deputy_user)
    assert api.post("/api/v1/donors/register/", registration(), format="json").status_code == 403


def test_the_schema_documents_the_accounts_endpoints(db):
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/donors/{id}/verify/" in schema["paths"]
    assert "/api/v1/donors/register/" in schema["paths"]
