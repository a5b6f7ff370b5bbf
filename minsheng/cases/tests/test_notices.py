"""Issue 12: every step of a case that concerns its deputies reaches them — in the app, by e-mail (after the
outbox's sender ran) and by SMS (the recording gateway) — with a link to the case."""

import datetime as dt

import pytest
from django.utils import translation

from minsheng.accounts.models import User
from minsheng.accounts.tests.factories import UserFactory
from minsheng.cases import services
from minsheng.cases.models import Assignment, Case
from minsheng.cases.rating_reminders import rating_reminders_send
from minsheng.notifications.models import Preference
from minsheng.notifications.tests.deliveries import delivered_to, sms_recorder  # noqa: F401

pytestmark = pytest.mark.usefixtures("sms_recorder")


@pytest.fixture
def deputy_user(deputy_user):
    """陈海 with an e-mail address and a mobile number: the defaults send both copies."""
    deputy_user.email = "chenhai@example.cn"
    deputy_user.mobile = "13800000011"
    deputy_user.save(update_fields=["email", "mobile"])
    return deputy_user


def _case_link(case) -> str:
    return f"/cases/{case.pk}/"


def assert_reached(user, case, words: str) -> None:
    got = delivered_to(user)
    assert any(words in text for text in got.notes), got.notes
    assert _case_link(case) in got.links
    assert any(words in subject or words in body for subject, body in got.emails), got.emails
    assert any(_case_link(case) in body for _subject, body in got.emails)
    assert any(words in text for text in got.sms), got.sms


def test_accepted_assigned_and_answered_reach_the_lead_deputy_on_every_channel(
    filed_wish, deputy_user, haiyan_staff, haiyan_government, haiyan_handler
):
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    assert_reached(deputy_user, filed_wish, "已立案")

    services.case_assign(actor=haiyan_staff, case_id=filed_wish.pk, lead=haiyan_government)
    case = Case.objects.get(pk=filed_wish.pk)
    assert_reached(deputy_user, case, "已交办")
    assert "海宴镇人民政府" in delivered_to(deputy_user).notes[-1]
    assert case.answer_due.isoformat() in delivered_to(deputy_user).notes[-1]

    assignment = Assignment.objects.get(case=case, role=Assignment.Role.LEAD)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
    services.answer_submit(
        actor=haiyan_handler, assignment_id=assignment.pk, answer_class="A", text="已解决", signed_by="李镇长"
    )
    case.refresh_from_db()
    assert_reached(deputy_user, case, "已答复")
    assert case.rating_due.isoformat() in delivered_to(deputy_user).notes[-1]


def test_refused_and_returned_reach_the_lead_deputy_with_the_reason(
    filed_wish, deputy_user, haiyan_staff, wish
):
    services.case_return(actor=haiyan_staff, case_id=filed_wish.pk, note="请补充老人的身体状况")
    assert_reached(deputy_user, filed_wish, "退回修改")
    assert "请补充老人的身体状况" in delivered_to(deputy_user).notes[-1]

    services.case_file(actor=deputy_user, case_id=filed_wish.pk)
    reason = Case.RefuseReason.values[0]
    services.case_refuse(actor=haiyan_staff, case_id=filed_wish.pk, reason=reason)
    assert_reached(deputy_user, filed_wish, "不予立案")
    with translation.override("zh-hans"):
        assert str(Case.RefuseReason(reason).label) in delivered_to(deputy_user).notes[-1]


def test_a_step_that_rolls_back_tells_no_one(filed_wish, deputy_user, haiyan_staff, monkeypatch):
    from minsheng.common import audit

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    got = delivered_to(deputy_user)
    assert got.notes == [] and got.emails == [] and got.sms == []


def test_a_deputy_named_as_co_signer_is_asked_on_every_channel(
    wish, deputy_user, city_deputy, station_staff, django_capture_on_commit_callbacks
):
    cosigner = UserFactory(
        username="deputy_zeng",
        role=User.Role.DEPUTY,
        deputy=city_deputy,
        email="zeng@example.cn",
        mobile="13800000012",
    )
    services.case_verify(
        actor=station_staff,
        case_id=wish.pk,
        visited_on=dt.date.today(),
        visitors="站长",
        findings="属实",
        confirmed=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.case_file(actor=deputy_user, case_id=wish.pk, cosigners=[city_deputy])
    assert_reached(cosigner, wish, "联名")


def test_the_rating_reminder_reaches_the_deputy_by_sms_and_e_mail(assigned_wish, deputy_user, haiyan_handler):
    assignment = Assignment.objects.get(case=assigned_wish, role=Assignment.Role.LEAD)
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=assignment.pk)
    services.answer_submit(
        actor=haiyan_handler, assignment_id=assignment.pk, answer_class="A", text="已解决", signed_by="李镇长"
    )
    case = Case.objects.get(pk=assigned_wish.pk)
    before = len(delivered_to(deputy_user).notes)
    assert rating_reminders_send(today=case.rating_due) == 1
    got = delivered_to(deputy_user)
    assert len(got.notes) == before + 1 and "反馈" in got.notes[-1]
    assert any("反馈" in text for text in got.sms[-1:])
    assert any("反馈" in subject for subject, _body in got.emails[-1:])


def test_a_deputy_who_switched_sms_off_gets_the_e_mail_only(filed_wish, deputy_user, haiyan_staff):
    Preference.objects.create(user=deputy_user, email=True, sms=False)
    services.case_accept(actor=haiyan_staff, case_id=filed_wish.pk)
    got = delivered_to(deputy_user)
    assert any("已立案" in text for text in got.notes)
    assert len(got.emails) == 1 and got.sms == []
