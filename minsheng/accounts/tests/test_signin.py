"""Signing in by username or mobile number, the lock-out after five failures, and lifting it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from minsheng.accounts.services import lockout_lift
from minsheng.common.errors import PermissionDenied
from minsheng.common.models import AuditRecord

from .conftest import EN, lock_out, sign_in
from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_staff_sign_in_with_their_username(client, city_staff):
    response = sign_in(client, "city_staff")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(client) == str(city_staff.pk)


def test_staff_sign_in_with_their_mobile_number(client, city_staff):
    response = sign_in(client, "139 0000 0001")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(city_staff.pk)


def test_a_sign_in_is_recorded_in_the_audit_trail_with_how_it_was_done(client, city_staff):
    sign_in(client, "13900000001")
    record = AuditRecord.objects.get(verb="user.signed_in")
    assert record.actor == city_staff
    assert record.data == {"via": "mobile"}
    assert "1390000" not in str(record.data)


def test_a_wrong_password_shows_the_form_again_with_a_clear_error(client, city_staff):
    response = sign_in(client, "city_staff", "not-the-password", **EN)
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not AuditRecord.objects.filter(verb="user.signed_in").exists()


def test_the_sign_in_page_asks_for_username_or_mobile_number(client, db):
    response = client.get(reverse("accounts:login"), **EN)
    assert response.status_code == 200
    assert "Username or mobile number" in response.content.decode()


def test_a_deactivated_account_cannot_sign_in(client, city_staff):
    city_staff.is_active = False
    city_staff.save(update_fields=["is_active"])
    sign_in(client, "city_staff")
    assert signed_in_user_id(client) is None


def test_sign_out_is_a_post(client, city_staff):
    client.force_login(city_staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_the_fifth_wrong_password_locks_the_account_for_this_address(client, city_staff):
    for _ in range(4):
        assert sign_in(client, "city_staff", "wrong").status_code == 200
    response = sign_in(client, "city_staff", "wrong", **EN)
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert 'data-testid="locked-out"' in body
    assert "1 hour" in body
    assert "lift the lock-out" in body


def test_the_right_password_is_refused_while_locked_out(client, city_staff):
    lock_out(client, "city_staff")
    response = sign_in(client, "city_staff", PASSWORD)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_failures_with_the_mobile_number_count_against_the_account(client, city_staff):
    lock_out(client, "13900000001")
    assert AccessAttempt.objects.filter(username="city_staff").exists()
    assert sign_in(client, "city_staff", PASSWORD).status_code == 429


def test_staff_lift_a_lock_out_and_the_person_can_sign_in_again(client, city_staff, taishan_staff):
    lock_out(client, "taishan_staff")
    client.force_login(city_staff)
    page = client.get(reverse("accounts:lockouts"))
    assert "taishan_staff" in page.content.decode()
    response = client.post(reverse("accounts:lockouts"), {"username": "taishan_staff"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="taishan_staff").exists()
    record = AuditRecord.objects.get(verb="user.lockout_lifted")
    assert record.actor == city_staff
    assert record.target_id == str(taishan_staff.pk)
    assert record.data["username"] == "taishan_staff"

    client.logout()
    assert sign_in(client, "taishan_staff", PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(taishan_staff.pk)


def test_staff_of_another_county_neither_see_nor_lift_a_lock_out(client, county_deputy_user, kaiping_staff):
    """Out of scope answers 404 (as for any object of another region), not 403."""
    lock_out(client, "deputy_shan")
    client.force_login(kaiping_staff)
    assert "deputy_shan" not in client.get(reverse("accounts:lockouts")).content.decode()
    response = client.post(reverse("accounts:lockouts"), {"username": "deputy_shan"})
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="deputy_shan").exists()
    assert not AuditRecord.objects.filter(verb="user.lockout_lifted").exists()


def test_the_county_staff_lift_the_lock_out_of_their_own_deputy(client, county_deputy_user, taishan_staff):
    lock_out(client, "deputy_shan")
    client.force_login(taishan_staff)
    assert client.post(reverse("accounts:lockouts"), {"username": "deputy_shan"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="deputy_shan").exists()


def test_a_county_staff_member_cannot_lift_the_city_staffs_lock_out(client, city_staff, taishan_staff):
    lock_out(client, "city_staff")
    client.force_login(taishan_staff)
    assert client.post(reverse("accounts:lockouts"), {"username": "city_staff"}).status_code == 404


def test_the_service_refuses_an_out_of_scope_lift_even_when_called_directly(
    client, county_deputy_user, kaiping_staff
):
    lock_out(client, "deputy_shan")
    with pytest.raises(PermissionDenied):
        lockout_lift(actor=kaiping_staff, username="deputy_shan")
    assert AccessAttempt.objects.filter(username="deputy_shan").exists()


def test_any_staff_may_lift_the_lock_out_of_a_username_that_belongs_to_nobody(client, kaiping_staff):
    lock_out(client, "13800138000")
    client.force_login(kaiping_staff)
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert "138****8000" in page  # a mobile number typed by someone unknown is masked
    assert client.post(reverse("accounts:lockouts"), {"username": "13800138000"}).status_code == 302
    record = AuditRecord.objects.get(verb="user.lockout_lifted")
    assert record.data["username"] == "138****8000"
    assert record.target_id == ""


def test_admins_lift_any_lock_out(client, admin_user, kaiping_staff):
    lock_out(client, "kaiping_staff")
    client.force_login(admin_user)
    assert client.post(reverse("accounts:lockouts"), {"username": "kaiping_staff"}).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_lifting_a_username_that_is_not_locked_answers_404(client, city_staff):
    client.force_login(city_staff)
    assert client.post(reverse("accounts:lockouts"), {"username": "nobody"}).status_code == 404


def test_fewer_failures_than_the_limit_are_not_listed_as_a_lock_out(client, city_staff, admin_user):
    for _ in range(4):
        sign_in(client, "city_staff", "wrong")
    client.force_login(admin_user)
    assert 'data-testid="no-lockouts"' in client.get(reverse("accounts:lockouts")).content.decode()


def test_a_successful_sign_in_clears_earlier_failures(client, city_staff):
    for _ in range(4):
        sign_in(client, "city_staff", "wrong")
    sign_in(client, "city_staff", PASSWORD)
    client.logout()
    for _ in range(4):
        assert sign_in(client, "city_staff", "wrong").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_clients(rf, settings):
    from minsheng.accounts.backends import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "127.0.0.1"  # no proxy trusted: a forged header changes nothing
    settings.MINSHENG = {**settings.MINSHENG, "TRUSTED_PROXY_COUNT": 1}
    assert client_ip(request) == "10.0.0.2"
    settings.MINSHENG = {**settings.MINSHENG, "TRUSTED_PROXY_COUNT": 2}
    assert client_ip(request) == "203.0.113.7"
