"""Fixtures shared by the API tests of cases (test_api*.py import them; no tests here).

The story: 陈海 (deputy_user, town deputy of 海宴镇) records a wish for 黄阿婆 at the 海宴镇 station; 曾丽 (a
city deputy who also sits in 海宴镇's congress) co-signs it; 海宴镇's staff review and assign it to 海宴镇人民政府.
"""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.cases import services
from minsheng.cases.models import Assignment, Case
from minsheng.common.testing import tiny_image, tiny_pdf

PNG = tiny_image("PNG")
PDF = tiny_pdf()

CASES = "/api/v1/cases/"
ASSIGNMENTS = "/api/v1/assignments/"
REQUESTS = "/api/v1/reassignment-requests/"
EXTENSIONS = "/api/v1/extension-requests/"
CLAIMS = "/api/v1/claims/"
DOCUMENTS = "/api/v1/case-documents/"
WALL = "/api/v1/wall/"
ANSWERS = "/api/v1/answers/"

ROLES = [
    "anonymous",
    "admin_user",
    "haiyan_staff",
    "kaiping_staff",
    "deputy_user",
    "cosigner",
    "station_staff",
    "haiyan_handler",
    "education_handler",
    "donor",
    "pending_donor",
]


def photo(name: str = "handover.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def today() -> dt.date:
    from minsheng.common import clock

    return clock.today()


@pytest.fixture
def api(client):
    """The Django test client speaking JSON (and multipart for uploads), signed in as someone or no one."""

    class Api:
        def login(self, user):
            client.logout()
            if user is not None:
                client.force_login(user)
            return self

        def get(self, url, **params):
            return client.get(url, params)

        def post(self, url, data=None):
            return client.post(url, json.dumps(data or {}), content_type="application/json")

        def patch(self, url, data=None):
            return client.patch(url, json.dumps(data or {}), content_type="application/json")

        def upload(self, url, data):
            return client.post(url, data)  # multipart

    return Api()


@pytest.fixture
def cosigner(city_deputy, haiyan_term):
    """曾丽's account: she holds a seat in 海宴镇's congress and co-signs 陈海's wish."""
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory

    return UserFactory(username="deputy_zeng", role=User.Role.DEPUTY, deputy=city_deputy)


@pytest.fixture
def verified_wish(wish, station_staff):
    services.case_verify(
        actor=station_staff,
        case_id=wish.pk,
        visited_on=today(),
        visitors="联络站工作人员、陈海代表",
        findings="情况属实，老人独居，行动不便。",
        confirmed=True,
    )
    return Case.objects.get(pk=wish.pk)


@pytest.fixture
def cosigned_wish(verified_wish, deputy_user, cosigner):
    """Filed by 陈海 with 曾丽 as co-signer, who confirmed (联名)."""
    case = services.case_file(actor=deputy_user, case_id=verified_wish.pk, cosigners=[cosigner.deputy])
    services.cosign_respond(actor=cosigner, case_id=case.pk, confirm=True)
    return case


@pytest.fixture
def invited_wish(verified_wish, deputy_user, cosigner):
    """Filed by 陈海 naming 曾丽 as co-signer; she has not answered yet (联名)."""
    return services.case_file(actor=deputy_user, case_id=verified_wish.pk, cosigners=[cosigner.deputy])


@pytest.fixture
def pending_extension(lead_assignment, haiyan_handler):
    """海宴镇人民政府 asked to answer 120 days after today instead of in three months (延期)."""
    return services.extension_request(
        actor=haiyan_handler,
        assignment_id=lead_assignment.pk,
        requested_due=today() + dt.timedelta(days=120),
        reason="需协调县级部门资金",
    )


@pytest.fixture
def accepted_wish(cosigned_wish, haiyan_staff):
    return services.case_accept(actor=haiyan_staff, case_id=cosigned_wish.pk)


@pytest.fixture
def handled_wish(accepted_wish, haiyan_staff, haiyan_government):
    """Assigned to 海宴镇人民政府 (lead unit)."""
    return services.case_assign(actor=haiyan_staff, case_id=accepted_wish.pk, lead=haiyan_government)


@pytest.fixture
def lead_assignment(handled_wish):
    return Assignment.objects.get(case=handled_wish, role=Assignment.Role.LEAD)


@pytest.fixture
def acknowledged_assignment(lead_assignment, haiyan_handler):
    return services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead_assignment.pk)


@pytest.fixture
def answered_wish(acknowledged_assignment, haiyan_handler):
    services.answer_submit(
        actor=haiyan_handler,
        assignment_id=acknowledged_assignment.pk,
        answer_class="A",
        text="已协调爱心企业为黄阿婆捐赠轮椅，联系电话13712345678。",
        signed_by="李镇长",
    )
    return Case.objects.get(pk=acknowledged_assignment.case_id)


@pytest.fixture
def dissatisfied_wish(answered_wish, deputy_user):
    services.rating_submit(
        actor=deputy_user, case_id=answered_wish.pk, value="dissatisfied", comment="未解决"
    )
    return Case.objects.get(pk=answered_wish.pk)


@pytest.fixture
def closed_wish(answered_wish, deputy_user):
    services.rating_submit(actor=deputy_user, case_id=answered_wish.pk, value="satisfied")
    return Case.objects.get(pk=answered_wish.pk)


@pytest.fixture
def unrated_wish(answered_wish):
    """Answered, and the deputy's month to rate it has passed (未反馈 may be recorded)."""
    Case.objects.filter(pk=answered_wish.pk).update(rating_due=today() - dt.timedelta(days=1))
    return Case.objects.get(pk=answered_wish.pk)


@pytest.fixture
def published_wish(closed_wish, haiyan_staff):
    return services.case_publish(actor=haiyan_staff, case_id=closed_wish.pk)


@pytest.fixture
def wall_wish(handled_wish, haiyan_staff):
    return services.wish_put_on_wall(
        actor=haiyan_staff, case_id=handled_wish.pk, public_summary="独居老人需要一台轮椅"
    )


@pytest.fixture
def live_claim(wall_wish, donor):
    return services.claim_create(actor=donor, case_id=wall_wish.pk, kind="whole")


@pytest.fixture
def delivered_claim(live_claim, donor):
    return services.claim_deliver(actor=donor, claim_id=live_claim.pk, photos=[photo()])


@pytest.fixture
def pending_request(lead_assignment, haiyan_handler):
    return services.assignment_request_reassignment(
        actor=haiyan_handler, assignment_id=lead_assignment.pk, reason="属民政部门职责"
    )


@pytest.fixture
def assisting_assignment(
    accepted_wish, haiyan_staff, haiyan_government, civil_affairs, civil_affairs_handler
):
    """海宴镇人民政府 leads, 市民政局 assists and has acknowledged."""
    services.case_assign(
        actor=haiyan_staff, case_id=accepted_wish.pk, lead=haiyan_government, assisting=[civil_affairs]
    )
    assisting = Assignment.objects.get(case=accepted_wish, unit=civil_affairs)
    return services.assignment_acknowledge(actor=civil_affairs_handler, assignment_id=assisting.pk)


@pytest.fixture
def collected_photo(handled_wish, deputy_user):
    """A photo 陈海 took when collecting the wish (may show the family)."""
    return services.document_add(
        actor=deputy_user, case_id=handled_wish.pk, kind="photo", upload=photo("home.png")
    )


@pytest.fixture
def other_filed_case(deputy_user, haiyan_congress, station):
    """Another filed case of 陈海 (a suggestion) that a duplicate can be merged into."""
    case = services.case_create(
        actor=deputy_user,
        kind=Case.Kind.SUGGESTION,
        title="五丰村路口增设路灯",
        content="五丰村路口夜间无照明，建议增设路灯。",
        congress=haiyan_congress,
        lead_deputy=deputy_user.deputy,
        place=station.place,
        station=station,
    )
    return services.case_file(actor=deputy_user, case_id=case.pk)
