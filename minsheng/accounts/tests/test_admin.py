"""The administration site: the account and donor pages open, and lists show mobile numbers masked."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        lambda u, d: reverse("admin:accounts_user_changelist"),
        lambda u, d: reverse("admin:accounts_user_add"),
        lambda u, d: reverse("admin:accounts_user_change", args=[u.pk]),
        lambda u, d: reverse("admin:accounts_donorprofile_changelist"),
        lambda u, d: reverse("admin:accounts_donorprofile_change", args=[d.donor_profile.pk]),
    ],
    ids=["users", "add user", "user", "donors", "donor"],
)
def test_the_admin_pages_of_accounts_open(client, admin_user, city_staff, pending_donor, url):
    client.force_login(admin_user)
    assert client.get(url(city_staff, pending_donor)).status_code == 200


def test_the_account_list_shows_mobile_numbers_masked(client, admin_user, city_staff):
    client.force_login(admin_user)
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "139****0001" in body
    assert "13900000001" not in body
