"""The permission matrix: every accounts page and endpoint, for every role of the cast.

Anonymous visitors are sent to sign in on pages (302) and refused by the API (401/403); signed-in people
without the right get 403; objects of another region answer 404 (see the scope tests below)."""

import pytest
from django.urls import reverse

from minsheng.accounts.models import DonorProfile
from minsheng.accounts.tests.factories import DonorProfileFactory
from minsheng.common.testing import status_for

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin_user",
    "city_staff",
    "taishan_staff",
    "deputy_user",
    "station_staff",
    "civil_affairs_handler",
    "donor",
    "pending_donor",
]
STAFF = {"admin_user", "city_staff", "taishan_staff"}
NOT_STAFF = set(ROLES) - STAFF - {"anonymous"}


def expect(anonymous: int, staff: int, others: int) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(STAFF, staff), **dict.fromkeys(NOT_STAFF, others)}


ANON_API = 403  # SessionAuthentication comes first: DRF answers 403, not 401, to a caller without credentials

# (name, method, url-or-factory, data, expected status per role)
PAGES = [
    ("home", "get", lambda t: reverse("home"), None, expect(200, 200, 200)),
    ("login page", "get", lambda t: reverse("accounts:login"), None, expect(200, 302, 302)),
    ("sign out", "post", lambda t: reverse("accounts:logout"), None, expect(302, 302, 302)),
    ("lock-outs", "get", lambda t: reverse("accounts:lockouts"), None, expect(302, 200, 403)),
    (
        "lift a lock-out",
        "post",
        lambda t: reverse("accounts:lockouts"),
        {"username": "nobody"},
        expect(302, 404, 403),
    ),
    ("donor registration", "get", lambda t: reverse("accounts:donor_register"), None, expect(200, 200, 403)),
    ("donor list", "get", lambda t: reverse("accounts:donor_list"), None, expect(302, 200, 403)),
    (
        "donor export",
        "get",
        lambda t: reverse("accounts:donor_list") + "?format=xlsx",
        None,
        expect(302, 200, 403),
    ),
    (
        "donor detail",
        "get",
        lambda t: reverse("accounts:donor_detail", args=[t.pk]),
        None,
        expect(302, 200, 403),
    ),
    (
        "verify a donor",
        "post",
        lambda t: reverse("accounts:donor_verify", args=[t.pk]),
        None,
        expect(302, 302, 403),
    ),
    (
        "reject a donor",
        "post",
        lambda t: reverse("accounts:donor_reject", args=[t.pk]),
        {"reason": "资料不全"},
        expect(302, 302, 403),
    ),
    ("me", "get", lambda t: "/api/v1/me/", None, expect(ANON_API, 200, 200)),
    ("API donor list", "get", lambda t: "/api/v1/donors/", None, expect(ANON_API, 200, 403)),
    ("API donor", "get", lambda t: f"/api/v1/donors/{t.pk}/", None, expect(ANON_API, 200, 403)),
    ("API verify", "post", lambda t: f"/api/v1/donors/{t.pk}/verify/", None, expect(ANON_API, 200, 403)),
    (
        "API reject",
        "post",
        lambda t: f"/api/v1/donors/{t.pk}/reject/",
        {"reason": "资料不全"},
        expect(ANON_API, 200, 403),
    ),
    # an empty registration: whoever may register gets the field errors (400), the others 403
    ("API register", "post", lambda t: "/api/v1/donors/register/", {}, expect(400, 400, 403)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "data", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_matrix(client, request, role, name, method, url, data, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    target = DonorProfileFactory(user__username="matrix_donor")  # pending, no area: in every region
    assert status_for(client, user, method, url(target), data) == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_only_a_rejected_donor_may_ask_again(client, request, role, rejected_donor):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    data = {"name": "改名", "contact_name": "李", "credit_code": ""}
    expected = {"anonymous": 302, "pending_donor": 400, "donor": 400}.get(role, 403)
    assert status_for(client, user, "post", reverse("accounts:donor_resubmit"), data) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin_user", 200), ("city_staff", 200), ("kaiping_staff", 200), ("taishan_staff", 404)],
)
@pytest.mark.parametrize(
    "url",
    [
        lambda d: reverse("accounts:donor_detail", args=[d.pk]),
        lambda d: f"/api/v1/donors/{d.pk}/",
    ],
    ids=["page", "api"],
)
def test_a_donor_of_another_county_is_not_found(client, request, kaiping_donor, role, expected, url):
    assert status_for(client, request.getfixturevalue(role), "get", url(kaiping_donor)) == expected


@pytest.mark.parametrize(("role", "expected"), [("taishan_staff", 404), ("kaiping_staff", 404)])
def test_verifying_or_rejecting_another_countys_donor_is_not_found(client, request, role, expected, db):
    from minsheng.places.models import Place

    other = "440783" if role == "taishan_staff" else "440781"
    profile = DonorProfileFactory(place=Place.objects.get(code=other))
    user = request.getfixturevalue(role)
    assert status_for(client, user, "post", reverse("accounts:donor_verify", args=[profile.pk])) == expected
    assert (
        status_for(client, user, "post", f"/api/v1/donors/{profile.pk}/reject/", {"reason": "x"}) == expected
    )
    profile.refresh_from_db()
    assert profile.status == DonorProfile.Status.PENDING
