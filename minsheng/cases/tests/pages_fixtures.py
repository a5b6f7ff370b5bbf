"""Fixtures and helpers of the page tests (test_pages*.py import them by name).

The story's wish is 黄阿婆's wheelchair (cases/tests/conftest.py): recorded by 陈海 (town deputy of 海宴镇) at the
海宴镇 station, co-signed by 曾丽 (a city deputy who also holds a 海宴镇 seat).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.cases import services
from minsheng.cases.models import Assignment, Case
from minsheng.common.testing import tiny_image

PNG = tiny_image("PNG")
SUMMARY = "独居老人出行不便，需要一台轮椅"


def photo(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


@pytest.fixture
def cosigner_user(city_deputy):
    """曾丽's account: she co-signs 陈海's wish."""
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return User.objects.filter(username="deputy_zeng").first() or UserFactory(
        username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy
    )


@pytest.fixture
def lead_mobile(deputy_user):
    """陈海's mobile number, which no public page may show."""
    return deputy_user.deputy.mobile


@pytest.fixture
def cosigned_wish(wish, deputy_user, station_staff, city_deputy):
    """The wish verified at home and filed with 曾丽 as co-signer, who confirmed (联名)."""
    services.case_verify(
        actor=station_staff,
        case_id=wish.pk,
        visited_on=dt.date.today(),
        visitors="联络站工作人员、陈海代表",
        findings="情况属实，老人独居，行动不便。",
        confirmed=True,
    )
    case = services.case_file(actor=deputy_user, case_id=wish.pk, cosigners=[city_deputy])
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    zeng = User.objects.filter(username="deputy_zeng").first() or UserFactory(
        username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy
    )
    services.cosign_respond(actor=zeng, case_id=case.pk, confirm=True)
    return case


@pytest.fixture
def world(cosigned_wish, haiyan_staff, haiyan_government, haiyan_handler, civil_affairs, donor):
    """The wish at its busiest: accepted, assigned to 海宴镇人民政府 (lead) with 江门市民政局 assisting, which asked
    for reassignment; on the wall, claimed whole by the donor."""
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    case = cosigned_wish
    services.case_accept(actor=haiyan_staff, case_id=case.pk)
    services.case_assign(
        actor=haiyan_staff, case_id=case.pk, lead=haiyan_government, assisting=[civil_affairs]
    )
    assisting = case.assignments.get(unit=civil_affairs)
    minzheng = UserFactory(username="minzheng_world", role=User.Role.UNIT_HANDLER, unit=civil_affairs)
    request = services.assignment_request_reassignment(
        actor=minzheng, assignment_id=assisting.pk, reason="不属于本局职责"
    )
    services.wish_put_on_wall(actor=haiyan_staff, case_id=case.pk, public_summary=SUMMARY)
    claim = services.claim_create(actor=donor, case_id=case.pk, kind="whole")
    document = services.document_add(actor=haiyan_staff, case_id=case.pk, kind="photo", upload=photo())
    case.refresh_from_db()
    return {
        "case": case,
        "lead": case.assignments.get(unit=haiyan_government),
        "assisting": assisting,
        "request": request,
        "claim": claim,
        "document": document,
    }


@pytest.fixture
def answered(world, haiyan_handler, haiyan_staff):
    """Staff kept 江门市民政局 on the case, which sent its assisting opinion (协办: the lead unit answers only
    then); the lead unit acknowledged and answered (class A); the case waits for the deputies' ratings."""
    from minsheng.accounts.models import User

    services.reassignment_decide(actor=haiyan_staff, request_id=world["request"].pk)
    minzheng = User.objects.get(username="minzheng_world")
    services.assisting_opinion_send(
        actor=minzheng, assignment_id=world["assisting"].pk, opinion="民政局将按规定给予临时救助。"
    )
    lead = world["lead"]
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead.pk)
    services.answer_submit(
        actor=haiyan_handler,
        assignment_id=lead.pk,
        answer_class="A",
        text="经核实，黄阿婆（电话13712345678）家中困难属实，已协调爱心企业捐赠轮椅。",
        signed_by="李镇长",
    )
    case = world["case"]
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED
    return case


@pytest.fixture
def published(answered, deputy_user, haiyan_staff):
    """Rated 满意 by the lead deputy (closed) and published."""
    services.rating_submit(actor=deputy_user, case_id=answered.pk, value="satisfied")
    services.case_publish(actor=haiyan_staff, case_id=answered.pk)
    answered.refresh_from_db()
    return answered


def make_wishes(n: int, *, deputy_user, station, station_staff, haiyan_staff, unit, on_wall: bool = True):
    """`n` more wishes of other households, verified, filed, accepted, assigned and (optionally) on the wall."""
    cases = []
    for i in range(n):
        case = services.case_create(
            actor=deputy_user,
            kind=Case.Kind.WISH,
            title=f"心愿{i}",
            content=f"第{i}户需要帮助",
            congress=haiyan_staff.congress,
            lead_deputy=deputy_user.deputy,
            place=station.place,
            station=station,
            category=Case.Category.SERVICE if i % 2 else Case.Category.MATERIAL,
            amount=Decimal("100") + i,
            beneficiary={
                "kind": "individual",
                "group": "child",
                "name": f"受助人{i}",
                "address": f"五丰村{i}号",
            },
        )
        services.case_verify(
            actor=station_staff,
            case_id=case.pk,
            visited_on=dt.date.today(),
            visitors="站长",
            findings="属实",
            confirmed=True,
        )
        services.case_file(actor=deputy_user, case_id=case.pk)
        services.case_accept(actor=haiyan_staff, case_id=case.pk)
        services.case_assign(actor=haiyan_staff, case_id=case.pk, lead=unit)
        if on_wall:
            services.wish_put_on_wall(actor=haiyan_staff, case_id=case.pk, public_summary=f"需要帮助{i}")
        cases.append(case)
    return cases


def live_assignment(case: Case, unit) -> Assignment:
    return case.assignments.get(unit=unit, status__in=Assignment.LIVE)
