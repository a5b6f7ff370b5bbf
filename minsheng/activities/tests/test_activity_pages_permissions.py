"""Who may open which activity page and endpoint (a permission matrix as a table): out of the reader's scope
answers 404, a role without the right 403, a visitor without an account is sent to sign in."""

# ruff: noqa: F401, F811 - fixtures imported by name

import datetime as dt

import pytest
from django.urls import reverse

from minsheng.activities import activity_services as services
from minsheng.common import clock

from .activity_fixtures import kaiping_user, kind, make_activity

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin_user",
    "city_staff",
    "taishan_staff",
    "kaiping_staff",
    "deputy_user",  # 陈海, 海宴镇 (below 台山): eligible
    "kaiping_user",  # 区文, 开平市: not eligible
    "station_staff",  # 海宴镇's station, the activity's station
    "civil_affairs_handler",
    "donor",
]
LOGIN = "login"
A = "activity"  # the activity's pk in a URL

#                    anon   admin  city   taish  kaip   dep    kp_dep stat   hand   donor
PAGES = {
    "activity_list": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "activity_export": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "activity_new": (LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403),
    "activity_kinds": (LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403),
    "my_activities": (LOGIN, 403, 403, 403, 403, 200, 200, 403, 403, 403),
    "checks": (LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403),
    "checks_export": (LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403),
    "electoral_unit_check": (LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403),
    "electoral_unit_export": (LOGIN, 200, 200, 200, 200, 403, 403, 403, 403, 403),
    "activity_detail": (LOGIN, 200, 200, 200, 404, 200, 404, 200, 404, 404),
    "activity_edit": (LOGIN, 200, 200, 200, 404, 403, 404, 403, 404, 404),
    "activity_qr": (LOGIN, 200, 200, 200, 404, 403, 404, 200, 404, 404),
    "activity_qr_png": (LOGIN, 200, 200, 200, 404, 403, 404, 200, 404, 404),
    "activity_checkin": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}
# POST actions (each on a fresh world): the status or the redirect back to the activity (302).
ACTIONS = {
    "activity_rotate": (LOGIN, 302, 302, 302, 404, 403, 404, 302, 404, 404),
    "activity_hold": (LOGIN, 302, 302, 302, 404, 403, 404, 403, 404, 404),
    "activity_signup": (LOGIN, 302, 302, 302, 404, 302, 404, 302, 404, 404),
    "activity_checkin": (LOGIN, 400, 400, 400, 400, 200, 400, 400, 400, 400),
}
#                    anon   admin  city   taish  kaip   dep    kp_dep stat   hand   donor
API = {
    "api:activity-list": (403, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "api:activity-detail": (403, 200, 200, 200, 404, 200, 404, 200, 404, 404),
    "api:activity-participations": (403, 200, 200, 200, 404, 200, 404, 200, 404, 404),
}


@pytest.fixture
def world(make_activity, station, taishan_staff, town_deputy):
    now = clock.now()
    activity = make_activity(
        starts_at=now - dt.timedelta(minutes=20), hours=2, station=station, signup_open=True
    )
    services.activity_invite(actor=taishan_staff, activity_id=activity.pk, deputies=[town_deputy])
    return activity


def user_of(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def outcome(client, user, method, url, data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data=data or {})
    if response.status_code == 302 and reverse("accounts:login") in response["Location"]:
        return LOGIN
    return response.status_code


def _url(name, activity):
    if name == "activity_checkin":
        return reverse("activities:activity_checkin", args=[activity.checkin_token])
    if name.startswith("api:"):
        return reverse(name, args=[activity.pk]) if not name.endswith("list") else reverse(name)
    try:
        return reverse(f"activities:{name}", args=[activity.pk])
    except Exception:
        return reverse(f"activities:{name}")


def _cases(table):
    return [(name, role, expected[i]) for name, expected in table.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("page", "role", "expected"), _cases(PAGES))
def test_pages(client, request, world, page, role, expected):
    assert outcome(client, user_of(request, role), "get", _url(page, world)) == expected


@pytest.mark.parametrize(("action", "role", "expected"), _cases(ACTIONS))
def test_actions(client, request, world, action, role, expected):
    got = outcome(client, user_of(request, role), "post", _url(action, world))
    # A refused action on the page says so in a message and sends the reader back (302), except the rule's
    # own refusals (403/404).
    assert got == expected


@pytest.mark.parametrize(("endpoint", "role", "expected"), _cases(API))
def test_api(client, request, world, endpoint, role, expected):
    assert outcome(client, user_of(request, role), "get", _url(endpoint, world)) == expected
