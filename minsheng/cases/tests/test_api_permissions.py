"""The permission matrix of the cases API: every endpoint × every role → the expected HTTP status.

A case outside the caller's scope answers 404 (another congress's staff, another unit, a donor without a claim);
a case the caller sees but may not act on answers 403; anonymous callers get 403 except on the public wall and
the published answers. A refused call writes nothing (the audit trail is unchanged).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from minsheng.common.models import AuditRecord

from .test_api_fixtures import *  # noqa: F403 (the shared fixtures)
from .test_api_fixtures import (
    ANSWERS,
    ASSIGNMENTS,
    CASES,
    CLAIMS,
    DOCUMENTS,
    EXTENSIONS,
    REQUESTS,
    ROLES,
    WALL,
    photo,
    today,
)


@dataclass
class Endpoint:
    name: str
    state: str | None  # the fixture the call is about
    method: str  # get, post, patch, upload (multipart POST)
    url: Callable  # (obj, get) -> url
    payload: Callable | None  # (get) -> body
    codes: str  # expected status per role, in the order of ROLES

    def expected(self) -> dict[str, int]:
        codes = [int(c) for c in self.codes.split()]
        assert len(codes) == len(ROLES), self.name
        return dict(zip(ROLES, codes, strict=True))


def at(prefix: str, suffix: str = "") -> Callable:
    return lambda obj, get: f"{prefix}{obj.pk}/{suffix}"


def fixed(url: str) -> Callable:
    return lambda obj, get: url


def body(data) -> Callable:
    return lambda get: data


def new_suggestion(get) -> dict:
    congress, station = get("haiyan_congress"), get("station")
    return {
        "kind": "suggestion",
        "title": "五丰村路口增设路灯",
        "content": "五丰村路口夜间无照明，建议增设路灯。",
        "congress": congress.pk,
        "lead_deputy": get("town_deputy").pk,
        "place": station.place_id,
        "station": station.pk,
    }


# fmt: off
ENDPOINTS = [
    #                                                                                      anon adm hyS kpS dep cos stS hyH edH don pDn
    Endpoint("cases: list", None, "get", fixed(CASES), None,                               "403 200 200 200 200 200 200 200 200 200 200"),
    Endpoint("cases: create", None, "post", fixed(CASES), new_suggestion,                  "403 201 201 403 201 400 201 403 403 403 403"),
    Endpoint("cases: detail", "handled_wish", "get", at(CASES), None,                      "403 200 200 404 200 200 200 200 404 404 404"),
    Endpoint("cases: edit a draft", "wish", "patch", at(CASES), body({"title": "购置轮椅"}),  "403 200 200 404 200 404 403 404 404 404 404"),
    Endpoint("cases: verify", "wish", "post", at(CASES, "verify/"),
             lambda get: {"visited_on": str(today()), "visitors": "站长", "findings": "属实", "confirmed": True},
                                                                                           "403 200 200 404 200 404 200 404 404 404 404"),
    Endpoint("cases: file", "verified_wish", "post", at(CASES, "file/"), body({}),         "403 200 200 404 200 404 403 404 404 404 404"),
    Endpoint("cases: withdraw", "handled_wish", "post", at(CASES, "withdraw/"), body({"reason": "家属已自行解决"}),
                                                                                           "403 200 200 404 200 403 403 403 404 404 404"),
    Endpoint("cases: accept", "cosigned_wish", "post", at(CASES, "accept/"), None,         "403 200 200 404 403 403 403 404 404 404 404"),
    Endpoint("cases: refuse", "cosigned_wish", "post", at(CASES, "refuse/"), body({"reason": "petition"}),
                                                                                           "403 200 200 404 403 403 403 404 404 404 404"),
    Endpoint("cases: return", "cosigned_wish", "post", at(CASES, "return/"), body({"note": "请补充家庭情况"}),
                                                                                           "403 200 200 404 403 403 403 404 404 404 404"),
    Endpoint("cases: merge", "cosigned_wish", "post", at(CASES, "merge/"),
             lambda get: {"into": get("other_filed_case").pk},                             "403 200 200 404 403 403 403 404 404 404 404"),
    Endpoint("cases: assign", "accepted_wish", "post", at(CASES, "assign/"),
             lambda get: {"lead": get("haiyan_government").pk},                            "403 200 200 404 403 403 403 404 404 404 404"),
    Endpoint("cases: priority", "handled_wish", "post", at(CASES, "priority/"),
             lambda get: {"meeting_date": str(today()), "meeting_name": "第5次主任会议", "proposed_by": "代表工委"},
                                                                                           "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("cases: supervise", "handled_wish", "post", at(CASES, "supervise/"), body({"kind": "chase", "note": "电话催办"}),
                                                                                           "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("cases: close", "dissatisfied_wish", "post", at(CASES, "close/"), body({"note": "已尽力，条件不具备"}),
                                                                                           "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("cases: publish", "closed_wish", "post", at(CASES, "publish/"), None,         "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("cases: publish unrated", "answered_wish", "post", at(CASES, "publish/"), None,
                                                                                           "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("cases: close unrated", "unrated_wish", "post", at(CASES, "close-unrated/"), body({}),
                                                                                           "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("cases: put on the wall", "handled_wish", "post", at(CASES, "put-on-wall/"),
             body({"public_summary": "独居老人需要一台轮椅"}),                                  "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("cases: follow up", "handled_wish", "post", at(CASES, "follow-up/"),
             lambda get: {"visited_on": str(today()), "wish_met": True},                   "403 200 200 404 200 403 200 403 404 404 404"),
    Endpoint("cases: rate", "answered_wish", "post", at(CASES, "rate/"), body({"value": "satisfied"}),
                                                                                           "403 403 403 404 200 200 403 403 404 404 404"),
    Endpoint("cases: co-sign", "invited_wish", "post", at(CASES, "cosign/"), body({"confirm": True}),
                                                                                           "403 403 403 404 403 200 403 404 404 404 404"),
    Endpoint("cases: priority list", None, "get", fixed(f"{CASES}priority-list/"), None,   "403 200 200 200 403 403 403 403 403 403 403"),
    # A unit handler's file goes to the unit's live part, as on the case page (actions.upload_assignment).
    Endpoint("cases: upload", "handled_wish", "upload", at(CASES, "upload/"),
             lambda get: {"kind": "photo", "file": photo()},                               "403 200 200 404 200 403 403 200 404 404 404"),
    Endpoint("assignments: inbox", None, "get", fixed(ASSIGNMENTS), None,                  "403 200 200 200 200 200 200 200 200 200 200"),
    Endpoint("assignments: detail", "lead_assignment", "get", at(ASSIGNMENTS), None,       "403 200 200 404 200 200 200 200 404 404 404"),
    Endpoint("assignments: acknowledge", "lead_assignment", "post", at(ASSIGNMENTS, "acknowledge/"), None,
                                                                                           "403 403 403 404 403 403 403 200 404 404 404"),
    Endpoint("assignments: record", "acknowledged_assignment", "post", at(ASSIGNMENTS, "record/"),
             lambda get: {"kind": "phone", "happened_on": str(today()), "note": "与代表电话沟通"},
                                                                                           "403 403 403 404 403 403 403 200 404 404 404"),
    Endpoint("assignments: request reassignment", "lead_assignment", "post", at(ASSIGNMENTS, "request-reassignment/"),
             body({"reason": "属民政部门职责"}),                                               "403 403 403 404 403 403 403 200 404 404 404"),
    Endpoint("assignments: answer", "acknowledged_assignment", "post", at(ASSIGNMENTS, "answer/"),
             body({"answer_class": "A", "text": "已解决", "signed_by": "李镇长"}),              "403 403 403 404 403 403 403 200 404 404 404"),
    Endpoint("assignments: request an extension", "lead_assignment", "post", at(ASSIGNMENTS, "request-extension/"),
             lambda get: {"requested_due": str(today() + dt.timedelta(days=120)), "reason": "需协调资金"},
                                                                                           "403 403 403 404 403 403 403 200 404 404 404"),
    Endpoint("assignments: fulfil the wish", "acknowledged_assignment", "upload", at(ASSIGNMENTS, "fulfil-wish/"),
             lambda get: {"photos": [photo()]},                                            "403 403 403 404 403 403 403 200 404 404 404"),
    # 市民政局's own handler may (test_api_workflow); the lead unit sees the case but not this part's actions
    Endpoint("assignments: assisting opinion", "assisting_assignment", "post", at(ASSIGNMENTS, "opinion/"),
             body({"opinion": "同意协助"}),                                                    "403 403 403 404 403 403 403 403 404 404 404"),
    Endpoint("reassignment requests: list", None, "get", fixed(REQUESTS), None,            "403 200 200 200 200 200 200 200 200 200 200"),
    Endpoint("reassignment requests: detail", "pending_request", "get", at(REQUESTS), None,
                                                                                           "403 200 200 404 200 200 200 200 404 404 404"),
    Endpoint("reassignment requests: decide", "pending_request", "post", at(REQUESTS, "decide/"),
             body({"note": "确属本单位职责"}),                                                 "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("extension requests: list", None, "get", fixed(EXTENSIONS), None,             "403 200 200 200 200 200 200 200 200 200 200"),
    Endpoint("extension requests: detail", "pending_extension", "get", at(EXTENSIONS), None,
                                                                                           "403 200 200 404 200 200 200 200 404 404 404"),
    Endpoint("extension requests: decide", "pending_extension", "post", at(EXTENSIONS, "decide/"),
             body({"grant": True}),                                                        "403 200 200 404 403 403 403 403 404 404 404"),
    Endpoint("claims: list", None, "get", fixed(CLAIMS), None,                             "403 200 200 200 200 200 200 200 200 200 200"),
    Endpoint("claims: claim a wish", "wall_wish", "post", fixed(CLAIMS),
             lambda get: {"case": get("wall_wish").pk, "kind": "whole"},                   "403 403 403 403 403 403 403 403 403 201 403"),
    Endpoint("claims: detail", "live_claim", "get", at(CLAIMS), None,                      "403 200 200 404 200 200 200 200 404 200 404"),
    Endpoint("claims: withdraw", "live_claim", "post", at(CLAIMS, "withdraw/"), body({"reason": "资金未到位"}),
                                                                                           "403 200 200 404 403 403 403 403 404 200 404"),
    Endpoint("claims: deliver", "live_claim", "upload", at(CLAIMS, "deliver/"), lambda get: {"photos": [photo()]},
                                                                                           "403 403 403 404 403 403 403 403 404 200 404"),
    Endpoint("claims: confirm", "delivered_claim", "post", at(CLAIMS, "confirm/"), None,   "403 200 200 404 200 403 200 403 404 403 404"),
    Endpoint("documents: metadata", "collected_photo", "get", at(DOCUMENTS), None,         "403 200 200 404 200 404 200 200 404 404 404"),
    # A file answers 404 to anyone who may not have it, anonymous too (minsheng.common.uploads.guarded).
    Endpoint("documents: download", "collected_photo", "get", at(DOCUMENTS, "download/"), None,
                                                                                           "404 200 200 404 200 404 200 200 404 404 404"),
    Endpoint("public: the wish wall", "wall_wish", "get", fixed(WALL), None,               "200 200 200 200 200 200 200 200 200 200 200"),
    Endpoint("public: a wish on the wall", "wall_wish", "get", at(WALL), None,             "200 200 200 200 200 200 200 200 200 200 200"),
    Endpoint("public: published answers", "published_wish", "get", fixed(ANSWERS), None,  "200 200 200 200 200 200 200 200 200 200 200"),
    Endpoint("public: a published answer", "published_wish", "get", at(ANSWERS), None,     "200 200 200 200 200 200 200 200 200 200 200"),
]
# fmt: on

MATRIX = [
    pytest.param(endpoint, role, code, id=f"{endpoint.name} / {role}")
    for endpoint in ENDPOINTS
    for role, code in endpoint.expected().items()
]


@pytest.mark.parametrize(("endpoint", "role", "expected"), MATRIX)
def test_every_endpoint_answers_every_role_as_the_matrix_says(
    db, request, api, user_for, endpoint, role, expected
):
    get = request.getfixturevalue
    obj = get(endpoint.state) if endpoint.state else None
    user = user_for(role)
    url = endpoint.url(obj, get)
    payload = endpoint.payload(get) if endpoint.payload else None
    audit_before = AuditRecord.objects.count()

    caller = api.login(user)
    response = caller.get(url) if endpoint.method == "get" else getattr(caller, endpoint.method)(url, payload)

    assert response.status_code == expected, response.content[:500]
    if endpoint.method != "get" and expected >= 400:
        assert AuditRecord.objects.count() == audit_before, "a refused call wrote to the audit trail"


def _route_of(endpoint: Endpoint) -> str:
    """ "cases:verify", "claims:create", ...: the route an endpoint of the matrix calls."""

    class Obj:
        pk = 1

    parts = endpoint.url(Obj, None).removeprefix("/api/v1/").strip("/").split("/")
    if len(parts) == 1:
        return f"{parts[0]}:{'list' if endpoint.method == 'get' else 'create'}"
    if len(parts) == 2 and not parts[1].isdigit():  # a list route of its own (cases/priority-list/)
        return f"{parts[0]}:{parts[1]}"
    if len(parts) == 2:
        return f"{parts[0]}:{'retrieve' if endpoint.method == 'get' else 'partial_update'}"
    return f"{parts[0]}:{parts[2]}"


def test_the_matrix_covers_every_route_of_the_cases_api():
    """A new route without a row in the matrix fails here."""
    from minsheng.cases.api import routes

    served = set()
    for prefix, viewset, _basename in routes:
        served |= {
            f"{prefix}:{m}" for m in ("list", "create", "retrieve", "partial_update") if hasattr(viewset, m)
        }
        served |= {f"{prefix}:{extra.url_path}" for extra in viewset.get_extra_actions()}
    assert served == {_route_of(e) for e in ENDPOINTS}
