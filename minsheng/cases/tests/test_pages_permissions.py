"""Who may open which case page and take which action through it: permission matrices over every page and
every action URL. Out of the actor's scope answers 404, a role without the right answers 403, a visitor
without an account is sent to sign in (public pages excepted)."""

# ruff: noqa: F401, F811 - fixtures imported by name from pages_fixtures

import pytest
from django.urls import reverse

from minsheng.common.testing import status_for

from .pages_fixtures import answered, cosigned_wish, cosigner_user, published, world  # noqa: F401

ROLES = [
    "anonymous",
    "admin_user",
    "haiyan_staff",
    "kaiping_staff",
    "deputy_user",
    "cosigner_user",
    "station_staff",
    "haiyan_handler",
    "education_handler",
    "donor",
    "pending_donor",
]
LOGIN = "login"


def user_of(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def outcome(client, user, method, url, data=None) -> int | str:
    """The status, with a redirect to the sign-in page reported as LOGIN."""
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data=data or {})
    if response.status_code == 302 and reverse("accounts:login") in response["Location"]:
        return LOGIN
    return response.status_code


# --- pages -------------------------------------------------------------------------------------------------

#          role:   anon   admin  hy_st  kp_st  lead   cosig  stat   hy_h   edu_h  donor  pend
PAGES = {
    "list": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "create": (LOGIN, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403),
    "detail": (LOGIN, 200, 200, 404, 200, 200, 200, 200, 404, 200, 404),
    # A staff photo of the family: co-signers and a unit whose part is done do not see the family
    # (privacy.may_open_document, as in the API), so the file is not theirs to open. A file answers 404 to
    # anyone who may not have it, a visitor without an account too (minsheng.common.uploads.guarded).
    "document": (404, 200, 200, 404, 200, 404, 200, 404, 404, 404, 404),
    "inbox": (LOGIN, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403),
    "claims": (LOGIN, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200),
    "my_work": (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "wall": (200,) * 11,
    "wall_detail": (200,) * 11,
    "answers": (200,) * 11,
    "answer_public": (200,) * 11,
}


def page_url(name: str, case, document) -> str:
    if name in ("detail", "wall_detail", "answer_public"):
        return reverse(f"cases:{name}", args=[case.pk])
    if name == "document":
        return reverse("cases:document", args=[case.pk, document.pk])
    return reverse(f"cases:{name}")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_pages_it_may(client, request, world, published, role):
    """`published` closes and publishes the world's case, so it is on the wall and among the answers."""
    user = user_of(request, role)
    column = ROLES.index(role)
    seen = {
        name: outcome(client, user, "get", page_url(name, published, world["document"])) for name in PAGES
    }
    assert seen == {name: row[column] for name, row in PAGES.items()}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("deputy_user", 200),
        ("haiyan_staff", 200),
        ("admin_user", 200),
        ("cosigner_user", 404),  # co-signers join when the case is filed
        ("station_staff", 403),
        ("haiyan_handler", 404),
        ("kaiping_staff", 404),
        ("donor", 404),
    ],
)
def test_the_edit_page_opens_for_who_may_edit_a_draft(client, request, wish, role, expected):
    assert outcome(client, user_of(request, role), "get", reverse("cases:edit", args=[wish.pk])) == expected


def test_the_edit_page_of_a_filed_case_tells_why_it_cannot_be_edited(client, cosigned_wish, deputy_user):
    client.force_login(deputy_user)
    response = client.get(reverse("cases:edit", args=[cosigned_wish.pk]))
    assert response.status_code == 409
    assert any("edited" in str(m) or m.level_tag == "error" for m in response.context["messages"])


# --- actions -----------------------------------------------------------------------------------------------

OK = "ok"  # passed the permission gate (the form or the state may still refuse: 200/302/400/409)

CASE_ACTIONS = [
    "verify",
    "file",
    "withdraw",
    "accept",
    "refuse",
    "return",
    "merge",
    "assign",
    "upload",
    "rate",
    "close",
    "follow_up",
    "priority",
    "supervise",
    "publish",
    "put_on_wall",
]
ASSIGNMENT_ACTIONS = ["acknowledge", "request_reassignment", "record", "opinion", "answer"]
CLAIM_ACTIONS = ["claim_withdraw", "deliver", "confirm_delivery"]

R = "review"  # the case's congress staff (and admins)
# fmt: off
#                       anon   admin  hy_st  kp_st  lead   cosig  stat   hy_h   edu_h  donor  pend
ACTION_MATRIX = {
    "verify":             (LOGIN, OK,   OK,    404,   OK,    403,   OK,    403,   404,   403,   404),
    "file":               (LOGIN, OK,   OK,    404,   OK,    403,   403,   403,   404,   403,   404),
    "withdraw":           (LOGIN, OK,   OK,    404,   OK,    403,   403,   403,   404,   403,   404),
    "accept":             (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "refuse":             (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "return":             (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "merge":              (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "assign":             (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "upload":             (LOGIN, OK,   OK,    404,   OK,    403,   403,   OK,    404,   403,   404),
    "rate":               (LOGIN, 403,  403,   404,   OK,    OK,    403,   403,   404,   403,   404),
    "close":              (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "follow_up":          (LOGIN, OK,   OK,    404,   OK,    403,   OK,    403,   404,   403,   404),
    "priority":           (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "supervise":          (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "publish":            (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "put_on_wall":        (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "acknowledge":        (LOGIN, 403,  403,   404,   403,   403,   403,   OK,    404,   403,   404),
    "request_reassignment": (LOGIN, 403, 403,  404,   403,   403,   403,   OK,    404,   403,   404),
    "record":             (LOGIN, 403,  403,   404,   403,   403,   403,   OK,    404,   403,   404),
    "opinion":            (LOGIN, 403,  403,   404,   403,   403,   403,   OK,    404,   403,   404),
    "answer":             (LOGIN, 403,  403,   404,   403,   403,   403,   OK,    404,   403,   404),
    "decide_reassignment": (LOGIN, OK,  OK,    404,   403,   403,   403,   403,   404,   403,   404),
    "claim_withdraw":     (LOGIN, OK,   OK,    404,   403,   403,   403,   403,   404,   OK,    404),
    "deliver":            (LOGIN, 403,  403,   404,   403,   403,   403,   403,   404,   OK,    404),
    "confirm_delivery":   (LOGIN, OK,   OK,    404,   OK,    403,   OK,    403,   404,   403,   404),
    "claim":              (LOGIN, 403,  403,   403,   403,   403,   403,   403,   403,   OK,    403),
}
# fmt: on


def action_url(name: str, world) -> str:
    case = world["case"]
    if name in ASSIGNMENT_ACTIONS:
        return reverse(f"cases:{name}", args=[case.pk, world["lead"].pk])
    if name in CLAIM_ACTIONS:
        return reverse(f"cases:{name}", args=[case.pk, world["claim"].pk])
    if name == "decide_reassignment":
        return reverse("cases:decide_reassignment", args=[case.pk, world["request"].pk])
    if name == "claim":
        return reverse("cases:claim", args=[case.pk])
    return reverse(f"cases:{name}", args=[case.pk])


@pytest.mark.parametrize("role", ROLES)
def test_each_role_passes_the_gate_of_exactly_the_actions_it_may_take(client, request, world, role):
    """Empty POSTs: who passes the permission gate gets the form's or the state's answer; nobody else does."""
    user = user_of(request, role)
    column = ROLES.index(role)
    seen = {}
    for name in ACTION_MATRIX:
        status = outcome(client, user, "post", action_url(name, world))
        seen[name] = OK if status in (200, 302, 400, 409) else status
    assert seen == {name: row[column] for name, row in ACTION_MATRIX.items()}


def test_another_units_assignment_is_refused_to_a_handler(client, world, haiyan_handler):
    """海宴镇's handler sees the case but not the assisting unit's part: its actions answer 403."""
    client.force_login(haiyan_handler)
    url = reverse("cases:request_reassignment", args=[world["case"].pk, world["assisting"].pk])
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_an_assignment_named_under_another_case_answers_404(
    client, world, haiyan_handler, haiyan_staff, haiyan_government, deputy_user, station
):
    """Both cases are the unit's; the URL pairs one case with the other's assignment."""
    from minsheng.cases import services

    other = services.case_create(
        actor=deputy_user,
        kind="suggestion",
        title="路灯",
        content="五丰村路口需要路灯",
        congress=world["case"].congress,
        lead_deputy=deputy_user.deputy,
        place=station.place,
    )
    services.case_file(actor=deputy_user, case_id=other.pk)
    services.case_accept(actor=haiyan_staff, case_id=other.pk)
    services.case_assign(actor=haiyan_staff, case_id=other.pk, lead=haiyan_government)
    client.force_login(haiyan_handler)
    assert client.get(reverse("cases:detail", args=[other.pk])).status_code == 200
    url = reverse("cases:acknowledge", args=[other.pk, world["lead"].pk])
    assert client.post(url).status_code == 404


def test_actions_refuse_get(client, world, haiyan_staff):
    assert status_for(client, haiyan_staff, "get", reverse("cases:accept", args=[world["case"].pk])) == 405
