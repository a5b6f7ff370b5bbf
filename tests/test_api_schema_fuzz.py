"""The API keeps its word: schemathesis fuzzes every operation of /api/v1/ against its own OpenAPI schema.

Each operation is called a few times (positive and negative data, seeded, so CI sees the same requests each
run) as an admin and as a deputy, through the Django WSGI application in the test's transaction, and fails on
any 5xx, any status the operation does not document, any body that breaks the documented schema. An operation
with an `{id}` is called once more on an object the caller can see (the first of the collection's list), so the
200 answers are checked on real data, not only the 404s of random ids. A short stateful run follows the links
schemathesis infers between operations (a list's ids into its detail and actions).

The data is a small world built once per module and worker inside a transaction that the module rolls back;
each test runs in a savepoint of it (pytest-django's `db`), so writes never leak into other tests.
"""

import datetime as dt
import json
import os
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client

SEED = 20261202
# Per operation and mode (positive, negative), plus the schema's own examples. CI keeps it small; a deeper
# search: API_FUZZ_EXAMPLES=50 .venv/bin/pytest -n 2 tests/test_api_schema_fuzz.py
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "3"))
STATEFUL_SCENARIOS = int(os.environ.get("API_FUZZ_SCENARIOS", "10"))
STATEFUL_STEPS = 6

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "database": "none",
            "deterministic": True,
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": 6},
        },
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)


def _openapi() -> dict:
    """The schema as /api/v1/schema/ serves it (generated in-process: no request, no database)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))


class InTestTransaction(WSGIHandler):
    """Django's WSGI application that leaves the test's connection open, as Django's test client does (and
    the test client connects `close_old_connections` again after each of its requests): on PostgreSQL it
    would close a connection inside the test's atomic block."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return super().__call__(environ, start_response)


schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)
schema.app = InTestTransaction()
# The collections that answer GET (a detail operation's `{id}` is looked up in them).
LISTS = {path for path, item in schema.raw_schema["paths"].items() if "get" in item and "{" not in path}


# --- the world ---------------------------------------------------------------------------------------------


def _build_world() -> dict:
    """A small Jiangmen: the cast, cases in several states, a vote in preparation, a published vote with its
    projects, a reception; returns the API tokens of the admin and of 陈海 (a town deputy)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.authtoken.models import Token

    from conftest import load_jiangmen
    from minsheng.accounts.models import DonorProfile, User
    from minsheng.accounts.tests.factories import DonorProfileFactory, UserFactory
    from minsheng.activities import services as activities
    from minsheng.cases import services as cases
    from minsheng.cases.models import Assignment, Case
    from minsheng.common import clock
    from minsheng.common.idcard import with_check_digit
    from minsheng.common.testing import tiny_image
    from minsheng.congresses.models import Congress
    from minsheng.deputies.tests.factories import SeatFactory, TermFactory
    from minsheng.projects import services as projects
    from minsheng.projects.tests.factories import make_published_vote
    from minsheng.stations.models import StationDeputy
    from minsheng.stations.tests.factories import StationFactory
    from minsheng.units.models import Unit
    from minsheng.units.tests.factories import UnitFactory
    from minsheng.voting.tests.factories import SessionFactory, make_electorate, make_vote

    load_jiangmen()
    today = clock.today()
    city = Congress.objects.get(region_prefix="4407")
    haiyan = Congress.objects.get(place__name="海宴镇")
    city_term = TermFactory(
        congress=city, number=16, start_date=dt.date(2022, 1, 1), end_date=dt.date(2026, 12, 31)
    )
    haiyan_term = TermFactory(
        congress=haiyan, number=18, start_date=dt.date(2021, 10, 1), end_date=dt.date(2026, 9, 30)
    )
    chen = SeatFactory(term=haiyan_term, deputy__name="陈海", delegation="五丰村代表小组").deputy
    zeng_seat = SeatFactory(term=city_term, deputy__name="曾丽", deputy__gender="F", delegation="台山代表团")
    SeatFactory(deputy=zeng_seat.deputy, term=haiyan_term, delegation="海宴镇代表小组")
    zeng = zeng_seat.deputy

    admin = UserFactory(username="admin", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    deputy_user = UserFactory(username="deputy_chen", role=User.Role.DEPUTY, deputy=chen)
    cosigner = UserFactory(username="deputy_zeng", role=User.Role.DEPUTY, deputy=zeng)
    staff = UserFactory(username="haiyan_staff", role=User.Role.CONGRESS_STAFF, congress=haiyan)
    station = StationFactory(name="海宴镇人大代表联络站", congress=haiyan, place=haiyan.place)
    StationDeputy.objects.create(station=station, deputy=chen)
    station_staff = UserFactory(username="station_staff", role=User.Role.STATION_STAFF, station=station)
    government = UnitFactory(
        name="海宴镇人民政府",
        kind=Unit.Kind.GOVERNMENT,
        level=Unit.Level.TOWNSHIP,
        place=haiyan.place,
        congress=haiyan,
    )
    handler = UserFactory(username="haiyan_gov", role=User.Role.UNIT_HANDLER, unit=government)
    donor = DonorProfileFactory(user__username="donor", status=DonorProfile.Status.VERIFIED).user
    DonorProfileFactory(user__username="pending_donor")

    households = iter(range(10))

    def wish(title: str) -> Case:
        n = next(households)  # one open wish per household: each wish has its own family
        return cases.case_create(
            actor=deputy_user,
            kind=Case.Kind.WISH,
            title=title,
            content="黄阿婆行动不便，希望有一台轮椅方便出行和就医。",
            congress=haiyan,
            lead_deputy=chen,
            place=station.place,
            station=station,
            category=Case.Category.MATERIAL,
            amount=Decimal("450"),
            beneficiary={
                "kind": "household",
                "group": "subsistence",
                "name": f"黄阿婆{n}",
                "id_number": with_check_digit(f"4407811948050612{n}"),
                "phone": "13712345678",
                "address": f"台山市海宴镇五丰村三巷{n + 1}号",
            },
        )

    def assigned(case: Case) -> Assignment:
        cases.case_verify(
            actor=station_staff,
            case_id=case.pk,
            visited_on=today,
            visitors="联络站工作人员、陈海代表",
            findings="情况属实，老人独居，行动不便。",
            confirmed=True,
        )
        cases.case_file(actor=deputy_user, case_id=case.pk, cosigners=[zeng])
        cases.cosign_respond(actor=cosigner, case_id=case.pk, confirm=True)
        cases.case_accept(actor=staff, case_id=case.pk)
        cases.case_assign(actor=staff, case_id=case.pk, lead=government)
        return Assignment.objects.get(case=case, role=Assignment.Role.LEAD)

    wish("为独居老人购置轮椅（草稿）")
    on_wall = assigned(wish("为独居老人购置轮椅"))
    cases.wish_put_on_wall(actor=staff, case_id=on_wall.case_id, public_summary="独居老人需要一台轮椅")
    cases.claim_create(actor=donor, case_id=on_wall.case_id, kind="whole")
    photo = SimpleUploadedFile("home.png", tiny_image(), content_type="image/png")
    cases.document_add(actor=deputy_user, case_id=on_wall.case_id, kind="photo", upload=photo)
    answered = assigned(wish("为困难家庭修缮房屋"))
    cases.assignment_acknowledge(actor=handler, assignment_id=answered.pk)
    cases.answer_submit(
        actor=handler,
        assignment_id=answered.pk,
        answer_class="A",
        text="已协调爱心企业为黄阿婆修缮房屋。",
        signed_by="李镇长",
    )
    extended = assigned(wish("为留守儿童购置书包"))
    cases.extension_request(
        actor=handler,
        assignment_id=extended.pk,
        requested_due=today + dt.timedelta(days=120),
        reason="需协调县级部门资金",
    )
    moved = assigned(wish("为残疾人购置助听器"))
    cases.assignment_request_reassignment(actor=handler, assignment_id=moved.pk, reason="属民政部门职责")
    suggestion = cases.case_create(
        actor=deputy_user,
        kind=Case.Kind.SUGGESTION,
        title="五丰村路口增设路灯",
        content="五丰村路口夜间无照明，建议增设路灯。",
        congress=haiyan,
        lead_deputy=chen,
        place=station.place,
        station=station,
    )
    cases.case_file(actor=deputy_user, case_id=suggestion.pk)

    session = SessionFactory(term=haiyan_term)
    make_vote(
        congress=haiyan, session=session, seats=2, candidates=3, year=2027, title="2027年民生实事项目票决"
    )
    voters = [deputy_user, *make_electorate(haiyan_term, 4)]
    vote = make_published_vote(congress=haiyan, session=session, staff=staff, voters=voters)
    chosen = projects.projects_create_for_vote(actor=staff, vote_id=vote.pk)
    projects.group_set(actor=staff, project_id=chosen[0].pk, deputy_ids=[chen.pk], leader_id=chen.pk)
    projects.milestone_add(
        actor=staff, project_id=chosen[0].pk, title="完成设计招标", due_on=dt.date(2026, 4, 30), weight=30
    )

    activities.reception_record(
        actor=station_staff,
        station_id=station.pk,
        received_at=clock.now() - dt.timedelta(days=1),
        deputies=[chen],
        matter="村民反映五丰村路口夜间无照明",
        category="transport",
        outcome="answered",
    )
    return {
        "admin": Token.objects.create(user=admin).key,
        "deputy": Token.objects.create(user=deputy_user).key,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, in a transaction of its own that is rolled back when the module's tests are done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            tokens = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield tokens
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def in_process(world, db):
    """Requests reach Django in the test's transaction; afterwards connections are closed as usual again."""
    yield world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _headers(token: str) -> dict:
    return {"Authorization": f"Token {token}", "Accept-Language": "zh-hans"}


def _known_id(case, headers: dict) -> str | None:
    """The id of the first object the caller can list in the operation's collection (`/cases/` for
    `/cases/{id}/...`), or None."""
    collection = case.operation.path.partition("{")[0]
    if collection not in LISTS or len(case.path_parameters) != 1:
        return None
    client = Client(**{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
    response = client.get(collection)
    if response.status_code != 200:
        return None
    body = response.json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    (name,) = case.path_parameters
    for row in rows:
        if isinstance(row, dict) and name in row:
            return str(row[name])
    return None


SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@pytest.mark.parametrize("role", ["admin", "deputy"])
@schema.parametrize()
@SETTINGS
def test_every_operation_keeps_its_schema(case, role, in_process):
    headers = _headers(in_process[role])
    case.call_and_validate(headers=headers)
    known = _known_id(case, headers)
    if known is not None:
        (name,) = case.path_parameters
        case.path_parameters = {name: known}
        case.call_and_validate(headers=headers)


@pytest.mark.parametrize("role", ["admin", "deputy"])
def test_linked_operations_keep_their_schema(role, in_process):
    """Stateful: sequences that follow the links schemathesis infers (a list's or a create's ids into the
    detail and its actions)."""
    headers = _headers(in_process[role])

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

    Workflow.run(
        settings=hypothesis.settings(
            SETTINGS, max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS
        )
    )


INTEGER_QUERIES = sorted(
    (path, parameter["name"])
    for path, item in schema.raw_schema["paths"].items()
    if "get" in item
    for parameter in item["get"].get("parameters", [])
    if parameter["in"] == "query"
    and parameter.get("schema", {}).get("type") == "integer"
    and parameter["name"] not in {"page", "page_size"}
)


# Filters that by design fall back to their default on a value they cannot use (the dashboard's year).
FALLS_BACK = {("/api/v1/votes/dashboard/", "year")}


def _an_id(path: str) -> int:
    """An object that exists for a path with an {id} (the duty record of a deputy)."""
    from minsheng.deputies.models import Deputy

    if path.startswith("/api/v1/deputies/"):
        return Deputy.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    return 1


def _a_congress_id() -> int:
    """A congress that exists, for a path with a {congress_id} (the points league)."""
    from minsheng.congresses.models import Congress

    return Congress.objects.order_by("pk").values_list("pk", flat=True).first() or 1


@pytest.mark.parametrize(("path", "name"), INTEGER_QUERIES)
def test_an_integer_filter_beyond_64_bits_is_bad_input(path, name, in_process):
    """SQLite's driver cannot hold an integer past 64 bits (OverflowError, a 500): the filter refuses it
    first, with a 400 that names the field."""
    client = Client(
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in _headers(in_process["admin"]).items()}
    )
    for value in (2**64, -(2**64)):
        response = client.get(
            path.replace("{year}", "2026")
            .replace("{id}", str(_an_id(path)))
            .replace("{congress_id}", str(_a_congress_id())),
            {name: value},
        )
        if (path, name) in FALLS_BACK:
            assert response.status_code == 200, (path, name, value, response.content[:200])
            continue
        assert response.status_code == 400, (path, name, value, response.content[:200])
        assert name in response.json() or "detail" in response.json(), response.json()
