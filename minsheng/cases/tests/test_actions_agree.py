"""One rule per action: for every role of the cast × every state of a case × every action, the case page
offers exactly what the API's `available_actions` lists and exactly what the service accepts.

Generated, not listed: the actions are `actions.CASE_ACTIONS` (and those of the case's assignments, claims and
requests), the states a fixture world of cases built once per module through the services, the roles the
cast. A service's acceptance is seen by calling it, with valid input, inside a savepoint that is rolled back.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from rest_framework.test import APIClient

from minsheng.cases import actions, services
from minsheng.cases.models import Assignment, Case, ExtensionRequest, ReassignmentRequest
from minsheng.common import clock
from minsheng.common.errors import DomainError

ROLES = [
    "admin",
    "haiyan_staff",
    "kaiping_staff",
    "lead",
    "cosigner",
    "invited",
    "station_staff",
    "lead_handler",
    "assisting_handler",
    "donor",
]
STATES = [
    "draft",
    "verified_draft",
    "filed",
    "returned",
    "refused",
    "on_wall",
    "assigned",
    "handling",
    "answered",
    "dissatisfied",
    "closed",
    "withdrawn",
    "suggestion_filed",
    "suggestion_handling",
]


def png(name: str = "photo.png") -> SimpleUploadedFile:
    """A real (decodable) PNG."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- the world, built once per module ---------------------------------------------------------------------


def _cast(today):
    from minsheng.accounts.models import DonorProfile, User
    from minsheng.accounts.tests.factories import DonorProfileFactory, UserFactory
    from minsheng.congresses.models import Congress
    from minsheng.deputies.tests.factories import SeatFactory, TermFactory
    from minsheng.stations.models import StationDeputy
    from minsheng.stations.tests.factories import StationFactory
    from minsheng.units.models import Unit
    from minsheng.units.tests.factories import UnitFactory

    haiyan = Congress.objects.get(place__name="海宴镇")
    kaiping = Congress.objects.get(place__code="440783")
    term = TermFactory(
        congress=haiyan,
        number=18,
        start_date=dt.date(2021, 10, 1),
        end_date=today.replace(year=today.year + 3),
    )
    chen = SeatFactory(term=term, deputy__name="陈海").deputy
    zeng = SeatFactory(term=term, deputy__name="曾丽").deputy
    li = SeatFactory(term=term, deputy__name="李明").deputy
    station = StationFactory(name="海宴镇人大代表联络站", congress=haiyan, place=haiyan.place)
    StationDeputy.objects.create(station=station, deputy=chen)
    government = UnitFactory(
        name="海宴镇人民政府",
        kind=Unit.Kind.GOVERNMENT,
        level=Unit.Level.TOWNSHIP,
        place=haiyan.place,
        congress=haiyan,
    )
    civil_affairs = UnitFactory(name="江门市民政局", short_name="市民政局")
    R = User.Role
    cast = {
        "admin": UserFactory(username="m_admin", role=R.ADMIN, is_staff=True, is_superuser=True),
        "haiyan_staff": UserFactory(username="m_haiyan_staff", role=R.CONGRESS_STAFF, congress=haiyan),
        "kaiping_staff": UserFactory(username="m_kaiping_staff", role=R.CONGRESS_STAFF, congress=kaiping),
        "lead": UserFactory(username="m_chen", role=R.DEPUTY, deputy=chen),
        "cosigner": UserFactory(username="m_zeng", role=R.DEPUTY, deputy=zeng),
        "invited": UserFactory(username="m_li", role=R.DEPUTY, deputy=li),
        "station_staff": UserFactory(username="m_station", role=R.STATION_STAFF, station=station),
        "lead_handler": UserFactory(username="m_gov", role=R.UNIT_HANDLER, unit=government),
        "assisting_handler": UserFactory(username="m_minzheng", role=R.UNIT_HANDLER, unit=civil_affairs),
        "donor": DonorProfileFactory(user__username="m_donor", status=DonorProfile.Status.VERIFIED).user,
    }
    return cast, {
        "haiyan": haiyan,
        "station": station,
        "government": government,
        "civil_affairs": civil_affairs,
    }


def _world(today):
    cast, where = _cast(today)
    staff, lead, station_staff = cast["haiyan_staff"], cast["lead"], cast["station_staff"]
    gov_h, civ_h, donor = cast["lead_handler"], cast["assisting_handler"], cast["donor"]
    counter = iter(range(100))

    def new(kind=Case.Kind.WISH):
        i = next(counter)
        extra = (
            {
                "amount": Decimal("450"),
                "category": Case.Category.MATERIAL,
                "beneficiary": {
                    "kind": "individual",
                    "group": "child",
                    "name": f"受助人{i}",
                    "address": f"五丰村{i}号",
                },
            }
            if kind == Case.Kind.WISH
            else {}
        )
        return services.case_create(
            actor=lead,
            kind=kind,
            title=f"事项{i}",
            content=f"第{i}户的需要",
            congress=where["haiyan"],
            lead_deputy=lead.deputy,
            place=where["station"].place,
            station=where["station"],
            **extra,
        )

    def verify(case):
        services.case_verify(
            actor=station_staff,
            case_id=case.pk,
            visited_on=today,
            visitors="站长",
            findings="属实",
            confirmed=True,
        )

    def file(case):
        if case.kind == Case.Kind.WISH:
            verify(case)
        services.case_file(
            actor=lead, case_id=case.pk, cosigners=[cast["cosigner"].deputy, cast["invited"].deputy]
        )
        services.cosign_respond(actor=cast["cosigner"], case_id=case.pk, confirm=True)

    def accept(case):
        file(case)
        services.case_accept(actor=staff, case_id=case.pk)

    def assign(case, assisting=True):
        services.case_assign(
            actor=staff,
            case_id=case.pk,
            lead=where["government"],
            assisting=[where["civil_affairs"]] if assisting else [],
        )

    def part(case, unit) -> Assignment:
        return case.assignments.get(unit=unit, status__in=Assignment.LIVE)

    def handle(case):
        services.assignment_acknowledge(actor=gov_h, assignment_id=part(case, where["government"]).pk)
        if case.assignments.filter(unit=where["civil_affairs"]).exists():
            services.assignment_acknowledge(actor=civ_h, assignment_id=part(case, where["civil_affairs"]).pk)

    def answer(case):
        services.assisting_opinion_send(
            actor=civ_h, assignment_id=part(case, where["civil_affairs"]).pk, opinion="按规定给予救助。"
        )
        services.answer_submit(
            actor=gov_h,
            assignment_id=part(case, where["government"]).pk,
            answer_class="A",
            text="已协调解决。",
            signed_by="镇长",
        )

    states = {}
    states["draft"] = new()
    states["verified_draft"] = c = new()
    verify(c)
    states["filed"] = c = new()
    file(c)
    states["returned"] = c = new()
    file(c)
    services.case_return(actor=staff, case_id=c.pk, note="补充材料")
    states["refused"] = c = new()
    file(c)
    services.case_refuse(actor=staff, case_id=c.pk, reason=Case.RefuseReason.values[0])
    states["on_wall"] = c = new()
    accept(c)
    services.wish_put_on_wall(actor=staff, case_id=c.pk, public_summary="需要帮助")
    services.claim_create(actor=donor, case_id=c.pk, kind="share", amount="100")
    states["assigned"] = c = new()
    accept(c)
    assign(c)
    services.assignment_request_reassignment(
        actor=civ_h, assignment_id=part(c, where["civil_affairs"]).pk, reason="不属于本局职责"
    )
    states["handling"] = c = new()
    accept(c)
    assign(c)
    handle(c)
    lead_part = part(c, where["government"])
    services.extension_request(
        actor=gov_h,
        assignment_id=lead_part.pk,
        requested_due=lead_part.answer_due + dt.timedelta(days=7),
        reason="需要时间",
    )
    services.case_mark_priority(
        actor=staff,
        case_id=c.pk,
        priority=True,
        meeting_date=today,
        meeting_name="第5次主任会议",
        proposed_by="主任",
    )
    states["answered"] = c = new()
    accept(c)
    assign(c)
    handle(c)
    answer(c)
    Case.objects.filter(pk=c.pk).update(rating_due=today - dt.timedelta(days=1))  # 未反馈 may be closed
    states["dissatisfied"] = c = new()
    accept(c)
    assign(c)
    handle(c)
    answer(c)
    services.rating_submit(actor=lead, case_id=c.pk, value="dissatisfied", comment="没有解决")
    states["closed"] = c = new()
    accept(c)
    services.wish_put_on_wall(actor=staff, case_id=c.pk, public_summary="需要帮助")
    claim = services.claim_create(actor=donor, case_id=c.pk, kind="whole")
    services.claim_deliver(actor=donor, claim_id=claim.pk, photos=[png()])
    assign(c)
    handle(c)
    answer(c)
    services.rating_submit(actor=lead, case_id=c.pk, value="satisfied")
    states["withdrawn"] = c = new()
    file(c)
    services.case_withdraw(actor=lead, case_id=c.pk, reason="群众需求已解决")
    states["suggestion_filed"] = c = new(Case.Kind.SUGGESTION)
    file(c)
    states["suggestion_handling"] = c = new(Case.Kind.SUGGESTION)
    accept(c)
    assign(c, assisting=False)  # the lead unit alone: it may answer at once
    handle(c)
    merge_into = new(Case.Kind.SUGGESTION)
    file(merge_into)
    return {
        "cast": cast,
        "where": where,
        "states": {k: v.pk for k, v in states.items()},
        "merge_into": merge_into,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast and one case in each state, committed to nothing: the module's transaction is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world(clock.today())
        transaction.set_rollback(True)


# --- what the service accepts ------------------------------------------------------------------------------


def _case_calls(world, case, today):
    where = world["where"]
    pk = case.pk
    return {
        "edit": lambda u: services.case_update(actor=u, case_id=pk, title="新的标题"),
        "verify": lambda u: services.case_verify(
            actor=u, case_id=pk, visited_on=today, visitors="站长", findings="属实", confirmed=True
        ),
        "file": lambda u: services.case_file(actor=u, case_id=pk, cosigners=[]),
        "withdraw": lambda u: services.case_withdraw(actor=u, case_id=pk, reason="撤回"),
        "cosign_confirm": lambda u: services.cosign_respond(actor=u, case_id=pk, confirm=True),
        "cosign_decline": lambda u: services.cosign_respond(actor=u, case_id=pk, confirm=False),
        "accept": lambda u: services.case_accept(actor=u, case_id=pk),
        "refuse": lambda u: services.case_refuse(actor=u, case_id=pk, reason=Case.RefuseReason.values[0]),
        "return": lambda u: services.case_return(actor=u, case_id=pk, note="补充"),
        "merge": lambda u: services.case_merge(actor=u, case_id=pk, into_id=world["merge_into"].pk),
        "assign": lambda u: services.case_assign(actor=u, case_id=pk, lead=where["government"]),
        "close": lambda u: services.case_close(actor=u, case_id=pk, note="不再交办"),
        "rate": lambda u: services.rating_submit(actor=u, case_id=pk, value="satisfied"),
        "put_on_wall": lambda u: services.wish_put_on_wall(actor=u, case_id=pk, public_summary="需要帮助"),
        "close_unrated": lambda u: services.case_close_unrated(actor=u, case_id=pk),
        "publish": lambda u: services.case_publish(actor=u, case_id=pk),
        "priority": lambda u: services.case_mark_priority(
            actor=u,
            case_id=pk,
            priority=not case.is_priority,
            note="解除",
            meeting_date=today,
            meeting_name="第6次主任会议",
            proposed_by="主任",
        ),
        "supervise": lambda u: services.supervision_record(actor=u, case_id=pk, kind="chase", note="催办"),
        "follow_up": lambda u: services.follow_up_record(
            actor=u, case_id=pk, visited_on=today, wish_met=True
        ),
        "upload": lambda u: services.document_add(actor=u, case_id=pk, kind="photo", upload=png()),
        "claim": lambda u: services.claim_create(actor=u, case_id=pk, kind="share", amount="1"),
    }


def _target_calls(target, today):
    if isinstance(target, Assignment):
        a = target.pk
        return {
            "acknowledge": lambda u: services.assignment_acknowledge(actor=u, assignment_id=a),
            "request_reassignment": lambda u: services.assignment_request_reassignment(
                actor=u, assignment_id=a, reason="不属于本单位职责"
            ),
            "record": lambda u: services.handling_record_add(
                actor=u, assignment_id=a, kind="progress", happened_on=today, note="进展"
            ),
            "opinion": lambda u: services.assisting_opinion_send(actor=u, assignment_id=a, opinion="意见"),
            "answer": lambda u: services.answer_submit(
                actor=u, assignment_id=a, answer_class="A", text="答复", signed_by="局长"
            ),
            "fulfil_wish": lambda u: services.wish_fulfil_by_unit(actor=u, assignment_id=a, photos=[png()]),
            "request_extension": lambda u: services.extension_request(
                actor=u,
                assignment_id=a,
                requested_due=target.answer_due + dt.timedelta(days=7),
                reason="需要时间",
            ),
            "upload": lambda u: services.document_add(
                actor=u, case_id=target.case_id, kind="photo", upload=png(), assignment_id=a
            ),
        }
    if isinstance(target, ReassignmentRequest):
        return {"decide_reassignment": lambda u: services.reassignment_decide(actor=u, request_id=target.pk)}
    if isinstance(target, ExtensionRequest):
        return {
            "decide_extension": lambda u: services.extension_decide(
                actor=u, request_id=target.pk, grant=False, note="不同意"
            )
        }
    c = target.pk
    return {
        "claim_withdraw": lambda u: services.claim_withdraw(actor=u, claim_id=c, reason="无法履行"),
        "deliver": lambda u: services.claim_deliver(actor=u, claim_id=c, photos=[png()]),
        "confirm_delivery": lambda u: services.claim_confirm(actor=u, claim_id=c),
    }


class _Undo(Exception):
    pass


def accepts(call, user) -> bool:
    """Whether the service takes it: run inside a savepoint, then undone."""
    try:
        with transaction.atomic():
            call(user)
            raise _Undo
    except _Undo:
        return True
    except (DomainError, DjangoPermissionDenied):
        return False


KIND_OF = {
    **dict.fromkeys(actions.ASSIGNMENT_ACTIONS, "assignment"),
    **dict.fromkeys(actions.CLAIM_ACTIONS, "claim"),
    **dict.fromkeys(actions.REQUEST_ACTIONS, "request"),
    **dict.fromkeys(actions.EXTENSION_ACTIONS, "extension"),
}


def service_answer(world, case, user, today) -> set:
    targets = [
        *case.assignments.all(),
        *case.claims.all(),
        *ReassignmentRequest.objects.filter(assignment__case=case),
        *ExtensionRequest.objects.filter(assignment__case=case).select_related("assignment"),
    ]
    accepted = {
        ("case", None, n) for n, call in _case_calls(world, case, today).items() if accepts(call, user)
    }
    assert set(_case_calls(world, case, today)) == set(actions.CASE_ACTIONS)  # every action has its call
    for target in targets:
        calls = _target_calls(target, today)
        kind = KIND_OF[next(iter(calls))]
        accepted |= {(kind, target.pk, n) for n, call in calls.items() if accepts(call, user)}
    return accepted


# --- what the page and the API offer -----------------------------------------------------------------------

ACTION_NAMES = set(actions.CASE_ACTIONS) | set(KIND_OF)
_URL = r'(?:action|href)="(/cases/\d+/[^"?#]*)"'


def page_answer(user, case) -> set:
    import re

    client = Client()
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    if response.status_code == 404:
        return set()
    assert response.status_code == 200
    offered = set()
    for url in set(re.findall(_URL, response.content.decode())):
        try:
            match = resolve(url)
        except Resolver404:
            continue
        name = match.url_name
        if match.kwargs.get("pk") != case.pk or name not in ACTION_NAMES:
            continue
        obj_id = match.kwargs.get("obj_id")
        offered.add(("case", None, name) if obj_id is None else (KIND_OF[name], obj_id, name))
    return offered


def api_answer(user, case) -> set:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/cases/{case.pk}/")
    if response.status_code == 404:
        return set()
    assert response.status_code == 200
    body = response.json()
    offered = {("case", None, n) for n in body["available_actions"]}
    for part in body["assignments"]:
        offered |= {("assignment", part["id"], n) for n in part["available_actions"]}
        for r in part["reassignment_requests"]:
            offered |= {("request", r["id"], n) for n in r["available_actions"]}
        for r in part["extension_requests"]:
            offered |= {("extension", r["id"], n) for n in r["available_actions"]}
    for claim in body["claims"]:
        offered |= {("claim", claim["id"], n) for n in claim["available_actions"]}
    return offered


# Not on the case page by design: a claim is made on the wish wall's page, and a unit's file is attached
# through the case's own upload form (onto the unit's live part, `actions.upload_assignment`).
def _on_the_page(item) -> bool:
    kind, _obj, name = item
    return not (name == "claim" or (kind == "assignment" and name == "upload"))


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_the_page_the_api_and_the_service_agree_on_every_action(db, world, role, state):
    user = world["cast"][role]
    case = Case.objects.select_related("congress").get(pk=world["states"][state])
    today = clock.today()
    served = service_answer(world, case, user, today)
    api = api_answer(user, case)
    page = page_answer(user, case)
    assert api == served, {"api only": api - served, "service only": served - api}
    assert page == {i for i in served if _on_the_page(i)}, {
        "page only": page - served,
        "service only": {i for i in served if _on_the_page(i)} - page,
    }


def test_the_world_has_every_kind_of_action_somewhere(db, world):
    """The matrix is not empty: each action is allowed to someone in some state, else it would test nothing
    (`actions.py`'s answer, which the matrix above proves equal to the services')."""
    seen = set()
    for pk in world["states"].values():
        case = Case.objects.get(pk=pk)
        targets = [
            *case.assignments.all(),
            *case.claims.all(),
            *ReassignmentRequest.objects.filter(assignment__case=case),
            *ExtensionRequest.objects.filter(assignment__case=case),
        ]
        for user in world["cast"].values():
            seen |= set(actions.allowed_names(actions.available(user, case)))
            for target in targets:
                seen |= set(actions.allowed_names(actions.available_for(user, target, case=case)))
    assert seen == ACTION_NAMES, ACTION_NAMES - seen


def test_the_api_may_not_assign_a_case_to_a_unit_elsewhere(db, world):
    """交办 to a unit outside the congress's region (or above it) is refused by the service, whoever calls."""
    from minsheng.congresses.models import Congress
    from minsheng.units.tests.factories import UnitFactory

    kaiping = Congress.objects.get(place__code="440783")
    elsewhere = UnitFactory(name="开平市民政局", place=kaiping.place, congress=kaiping)
    case = Case.objects.get(pk=world["states"]["on_wall"])
    client = APIClient()
    client.force_authenticate(world["cast"]["haiyan_staff"])
    response = client.post(f"/api/v1/cases/{case.pk}/assign/", {"lead": elsewhere.pk}, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == "lead" and "开平市民政局" in body["detail"], body
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
