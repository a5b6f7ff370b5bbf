"""Permission matrix: role × page or endpoint → status. Staff of the congress manage, the lead unit reports, the
group's deputies inspect; another county's staff, another unit and a deputy outside the group get 404."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from minsheng.common.testing import status_for
from minsheng.projects import services

from .conftest import TODAY, png

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "haiyan_staff",
    "city_staff",
    "kaiping_staff",
    "lead",
    "other_unit",
    "group_deputy",
    "other_deputy",
]


@pytest.fixture
def world(
    planned,
    lead_handler,
    civil_affairs_handler,
    deputy_user,
    other_deputy_user,
    haiyan_staff,
    city_staff,
    kaiping_staff,
):
    report = services.progress_report_add(
        actor=lead_handler,
        project_id=planned.pk,
        percent=20,
        narrative="开工",
        photos=[png()],
        is_public=False,
    )
    public = services.progress_report_add(
        actor=lead_handler,
        project_id=planned.pk,
        percent=30,
        narrative="路基",
        photos=[png()],
        is_public=True,
    )
    return {
        "project": planned,
        "milestone": planned.milestones.order_by("due_on").first(),
        "photo": report.photos.get(),
        "public_photo": public.photos.get(),
        "users": {
            "anonymous": None,
            "haiyan_staff": haiyan_staff,
            "city_staff": city_staff,
            "kaiping_staff": kaiping_staff,
            "lead": lead_handler,
            "other_unit": civil_affairs_handler,
            "group_deputy": deputy_user,
            "other_deputy": other_deputy_user,
        },
    }


def _row(*codes):
    return dict(zip(ROLES, codes, strict=True))


#                    anon haiyan city kaiping lead other_unit group other_deputy
MANAGE = _row(302, 200, 200, 404, 403, 404, 403, 404)
VIEW = _row(302, 200, 200, 404, 200, 404, 200, 404)
STAFF_ONLY = _row(302, 200, 200, 200, 403, 403, 403, 403)
LISTS = _row(302, 200, 200, 200, 200, 200, 200, 200)
PUBLIC = _row(200, 200, 200, 200, 200, 200, 200, 200)

PAGES = [
    ("index", "/projects/", LISTS),
    ("export", "/projects/export.xlsx", STAFF_ONLY),
    ("from_vote", "/projects/from-vote/", STAFF_ONLY),
    ("satisfaction_vote", "/projects/satisfaction-vote/", STAFF_ONLY),
    ("detail", "/projects/{p}/", VIEW),
    ("edit", "/projects/{p}/edit/", MANAGE),
    ("group", "/projects/{p}/group/", MANAGE),
    ("milestone_add", "/projects/{p}/milestones/new/", MANAGE),
    ("terminate", "/projects/{p}/terminate/", MANAGE),
    ("milestone_edit", "/projects/milestones/{m}/edit/", MANAGE),
    ("report_add", "/projects/{p}/reports/new/", _row(302, 403, 403, 404, 200, 404, 403, 404)),
    ("inspection_add", "/projects/{p}/inspections/new/", _row(302, 200, 200, 404, 403, 404, 200, 404)),
    # A stored file answers 404 to anyone who may not have it, anonymous too (minsheng.common.uploads.guarded).
    ("photo", "/projects/photos/{ph}/", {**VIEW, "anonymous": 404}),
    ("public_list", "/projects/public/", PUBLIC),
    ("public_detail", "/projects/public/{p}/", PUBLIC),
    ("public_photo", "/projects/public/photos/{pub}/", PUBLIC),
    ("private_photo_in_public", "/projects/public/photos/{ph}/", _row(*[404] * 8)),
]


def _url(template, world):
    return template.format(
        p=world["project"].pk, m=world["milestone"].pk, ph=world["photo"].pk, pub=world["public_photo"].pk
    )


@pytest.mark.parametrize("name,url,expected", PAGES, ids=[p[0] for p in PAGES])
def test_pages(client, world, name, url, expected):
    got = {role: status_for(client, world["users"][role], "get", _url(url, world)) for role in ROLES}
    assert got == expected


POSTS = [
    ("milestone_done", "/projects/milestones/{m}/done/", _row(302, 302, 302, 404, 403, 404, 403, 404)),
    ("complete", "/projects/{p}/complete/", _row(302, 302, 302, 404, 403, 404, 403, 404)),
]


@pytest.mark.parametrize("name,url,expected", POSTS, ids=[p[0] for p in POSTS])
def test_page_posts(client, world, name, url, expected):
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10)).astimezone(), tick=False):
        got = {role: status_for(client, world["users"][role], "post", _url(url, world)) for role in ROLES}
    assert got == expected


def test_a_station_staff_member_has_no_project_list(client, station_staff):
    assert status_for(client, station_staff, "get", "/projects/") == 403


# --- the API ----------------------------------------------------------------------------------------------

A_MANAGE = _row(403, 200, 200, 404, 403, 404, 403, 404)
A_VIEW = _row(403, 200, 200, 404, 200, 404, 200, 404)


def _api(client, world, role, method, url, data=None):
    user = world["users"][role]
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return getattr(api, method)(_url(url, world), data or {}, format="json").status_code


API = [
    ("list", "get", "/api/v1/projects/", None, _row(403, 200, 200, 200, 200, 200, 200, 200)),
    ("retrieve", "get", "/api/v1/projects/{p}/", None, A_VIEW),
    ("update", "patch", "/api/v1/projects/{p}/", {"leader_name": "李明"}, A_MANAGE),
    ("group", "post", "/api/v1/projects/{p}/group/", {"deputies": "GROUP"}, A_MANAGE),
    (
        "milestone_update",
        "put",
        "/api/v1/project-milestones/{m}/",
        {"title": "设计", "due_on": "2026-05-01", "weight": 30},
        A_MANAGE,
    ),
    (
        "summary",
        "get",
        "/api/v1/projects/summary/?year=2026",
        None,
        _row(403, 200, 200, 200, 403, 403, 403, 403),
    ),
    ("public_list", "get", "/api/v1/public-projects/", None, _row(*[200] * 8)),
    ("public_retrieve", "get", "/api/v1/public-projects/{p}/", None, _row(*[200] * 8)),
]


@pytest.mark.parametrize("name,method,url,data,expected", API, ids=[a[0] for a in API])
def test_api(client, world, name, method, url, data, expected):
    if data and data.get("deputies") == "GROUP":  # keep the group deputy in the group whoever sets it
        data = {**data, "deputies": [world["users"]["group_deputy"].deputy_id]}
    got = {role: _api(client, world, role, method, url, data) for role in ROLES}
    assert got == expected


ONE_SHOT = [
    # (name, method, url, data, role → status for each role tried on a fresh world)
    (
        "milestone_add",
        "post",
        "/api/v1/projects/{p}/milestones/",
        {"title": "x", "due_on": "2026-07-01", "weight": 1},
    ),
    ("report", "post", "/api/v1/projects/{p}/reports/", {"percent": 50, "narrative": "过半"}),
    (
        "inspection",
        "post",
        "/api/v1/projects/{p}/inspections/",
        {"kind": "inspection", "held_on": "2026-06-01", "deputies": "GROUP", "findings": "进度正常"},
    ),
    ("terminate", "post", "/api/v1/projects/{p}/terminate/", {"reason": "规划调整"}),
    ("milestone_done", "post", "/api/v1/project-milestones/{m}/done/", {}),
    ("complete", "post", "/api/v1/projects/{p}/complete/", {}),
]
ONE_SHOT_EXPECTED = {
    # a full plan of 30 + 70 makes one more milestone over 100: 400 for the staff, the rule answers first
    "milestone_add": _row(403, 400, 400, 404, 403, 404, 403, 404),
    "report": _row(403, 403, 403, 404, 201, 404, 403, 404),
    "inspection": _row(403, 201, 201, 404, 403, 404, 201, 404),
    "terminate": _row(403, 200, 409, 404, 403, 404, 403, 404),  # city staff comes second: already terminated
    "milestone_done": _row(403, 200, 409, 404, 403, 404, 403, 404),  # second time: already done
    "complete": _row(403, 409, 409, 404, 403, 404, 403, 404),  # milestones are open
}


@pytest.mark.parametrize("name,method,url,data", ONE_SHOT, ids=[a[0] for a in ONE_SHOT])
def test_api_writes(client, world, name, method, url, data):
    if data.get("deputies") == "GROUP":
        data = {**data, "deputies": [world["users"]["group_deputy"].deputy_id]}
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10)).astimezone(), tick=False):
        got = {role: _api(client, world, role, method, url, data) for role in ROLES}
    assert got == ONE_SHOT_EXPECTED[name]


def test_from_vote_and_satisfaction_vote_are_for_the_congress_staff(
    world, published_vote, haiyan_congress, haiyan_session
):
    from rest_framework.test import APIClient

    codes = {}
    for role in ("lead", "group_deputy", "kaiping_staff", "haiyan_staff"):
        api = APIClient()
        api.force_authenticate(world["users"][role])
        codes[role] = api.post(
            "/api/v1/projects/from-vote/", {"vote": published_vote.pk}, format="json"
        ).status_code
    assert codes == {"lead": 403, "group_deputy": 403, "kaiping_staff": 404, "haiyan_staff": 201}
    api = APIClient()
    api.force_authenticate(world["users"]["lead"])
    data = {"congress": haiyan_congress.pk, "year": 2026, "session": haiyan_session.pk}
    assert api.post("/api/v1/projects/satisfaction-vote/", data, format="json").status_code == 403


def test_the_matrices_cover_every_route_of_the_projects_api():
    """A new route without a row in a matrix fails here."""
    from minsheng.projects.api import routes

    served = set()
    for prefix, viewset, _basename in routes:
        verbs = {
            "list": "get",
            "retrieve": "get",
            "update": "put",
            "partial_update": "patch",
            "create": "post",
        }
        served |= {
            f"{prefix}:{name}"
            for name, verb in verbs.items()
            if hasattr(viewset, name) and verb in viewset.http_method_names
        }
        served |= {f"{prefix}:{extra.url_path}" for extra in viewset.get_extra_actions()}
    covered = {
        "projects:list",
        "projects:retrieve",
        "projects:partial_update",
        "projects:group",
        "projects:summary",
        "projects:milestones",
        "projects:reports",
        "projects:inspections",
        "projects:terminate",
        "projects:complete",
        "projects:from-vote",
        "projects:satisfaction-vote",
        "project-milestones:update",
        "project-milestones:done",
        "public-projects:list",
        "public-projects:retrieve",
    }  # API, ONE_SHOT and test_from_vote_and_satisfaction_vote_are_for_the_congress_staff above
    assert served == covered
