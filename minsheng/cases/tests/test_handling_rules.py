"""The law's handling rules of issue 8 (代表法 2025, 地方组织法): 重点督办 decided by the 主任会议 and its printable
list, 协办 reminders and the answer that waits for the assisting opinions, 延期, deadlines from the re-交办 date,
联名 confirmation, and a wish the handling unit delivers itself (政府兜底). Each by service, page and API.

Time is frozen on Monday 2026-03-02 (a working day, far from the calendar's end) and moved by the tests.
"""

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from minsheng.cases import reminders, services
from minsheng.cases.models import (
    Assignment,
    Case,
    Cosigner,
    Document,
    ExtensionRequest,
    ReminderLog,
    SupervisionAction,
)
from minsheng.common.errors import DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.models import AuditRecord

from .test_api_fixtures import *  # noqa: F403 (the shared fixtures)
from .test_api_fixtures import ASSIGNMENTS, CASES, EXTENSIONS, photo

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def clock_at():
    """The clock at 10:00 on 2026-03-02; `clock_at.move_to(day)` moves it."""
    with time_machine.travel(dt.datetime.combine(MONDAY, dt.time(10, 0)).astimezone(), tick=False) as t:
        yield t


def go(traveller, day: dt.date) -> None:
    traveller.move_to(dt.datetime.combine(day, dt.time(10, 0)).astimezone())


def verbs(case_id) -> list[str]:
    return list(
        AuditRecord.objects.filter(target_id=str(case_id)).order_by("id").values_list("verb", flat=True)
    )


def last_record(case_id, verb: str) -> AuditRecord:
    return AuditRecord.objects.filter(target_id=str(case_id), verb=verb).latest("id")


def ok(response, code: int = 200) -> dict:
    assert response.status_code == code, response.content[:800]
    return response.json()


MEETING = {"meeting_date": MONDAY, "meeting_name": "第5次主任会议", "proposed_by": "代表工作委员会"}


# --- 1. 重点督办 decided by the 主任会议 --------------------------------------------------------------------


def test_marking_a_case_priority_records_the_meeting_and_who_proposed_it(handled_wish, haiyan_staff):
    services.case_mark_priority(actor=haiyan_staff, case_id=handled_wish.pk, priority=True, **MEETING)
    handled_wish.refresh_from_db()
    assert handled_wish.is_priority
    decision = SupervisionAction.objects.get(case=handled_wish, kind=SupervisionAction.Kind.PRIORITY)
    assert (decision.meeting_date, decision.meeting_name, decision.proposed_by) == (
        MONDAY,
        "第5次主任会议",
        "代表工作委员会",
    )
    record = last_record(handled_wish.pk, "case.priority_marked")
    assert record.data == {
        "meeting_date": "2026-03-02",
        "meeting": "第5次主任会议",
        "proposed_by": "代表工作委员会",
    }


@pytest.mark.parametrize(
    ("missing", "field"),
    [("meeting_date", "meeting_date"), ("meeting_name", "meeting_name"), ("proposed_by", "proposed_by")],
)
def test_marking_without_the_meetings_decision_is_refused(handled_wish, haiyan_staff, missing, field):
    data = {**MEETING, missing: None if missing == "meeting_date" else " "}
    with pytest.raises(DomainError) as caught:
        services.case_mark_priority(actor=haiyan_staff, case_id=handled_wish.pk, priority=True, **data)
    assert caught.value.field == field
    handled_wish.refresh_from_db()
    assert not handled_wish.is_priority and not handled_wish.supervision.exists()
    assert "case.priority_marked" not in verbs(handled_wish.pk)


def test_a_meeting_in_the_future_is_refused(handled_wish, haiyan_staff):
    with pytest.raises(DomainError) as caught:
        services.case_mark_priority(
            actor=haiyan_staff,
            case_id=handled_wish.pk,
            priority=True,
            **{**MEETING, "meeting_date": MONDAY + dt.timedelta(days=1)},
        )
    assert caught.value.field == "meeting_date"


def test_lifting_priority_needs_a_note_and_records_it(handled_wish, haiyan_staff):
    services.case_mark_priority(actor=haiyan_staff, case_id=handled_wish.pk, priority=True, **MEETING)
    with pytest.raises(DomainError) as caught:
        services.case_mark_priority(actor=haiyan_staff, case_id=handled_wish.pk, priority=False)
    assert caught.value.field == "note"
    services.case_mark_priority(
        actor=haiyan_staff, case_id=handled_wish.pk, priority=False, note="问题已基本解决"
    )
    handled_wish.refresh_from_db()
    assert not handled_wish.is_priority
    lifted = SupervisionAction.objects.get(case=handled_wish, kind=SupervisionAction.Kind.LIFTED)
    assert lifted.note == "问题已基本解决"
    assert verbs(handled_wish.pk)[-2:] == ["case.priority_marked", "case.priority_lifted"]
    with pytest.raises(TransitionNotAllowed):
        services.case_mark_priority(actor=haiyan_staff, case_id=handled_wish.pk, priority=False, note="再次")


def test_a_deputy_cannot_mark_a_case_priority(handled_wish, deputy_user):
    with pytest.raises(PermissionDenied):
        services.case_mark_priority(actor=deputy_user, case_id=handled_wish.pk, priority=True, **MEETING)


def test_the_priority_list_of_a_year_is_a_printable_page_scoped_to_the_staff(
    client, handled_wish, haiyan_staff, kaiping_staff, deputy_user
):
    services.case_mark_priority(actor=haiyan_staff, case_id=handled_wish.pk, priority=True, **MEETING)
    url = reverse("cases:priority_list")
    client.force_login(haiyan_staff)
    response = client.get(url, {"year": 2026})
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["rows"][0]["number"] == handled_wish.number
    assert "第5次主任会议" in body and "代表工作委员会" in body and "海宴镇人民政府" in body
    assert "@media print" in body and "data-print" in body
    assert client.get(url, {"year": 2025}).context["rows"] == []
    client.force_login(kaiping_staff)
    assert client.get(url, {"year": 2026}).context["rows"] == []
    client.force_login(deputy_user)
    assert client.get(url).status_code == 403


def test_the_priority_list_exports_to_excel_and_pdf(client, handled_wish, haiyan_staff):
    from openpyxl import load_workbook

    services.case_mark_priority(actor=haiyan_staff, case_id=handled_wish.pk, priority=True, **MEETING)
    client.force_login(haiyan_staff)
    with translation.override("zh-hans"):
        response = client.get(reverse("cases:priority_list_export"), {"year": 2026})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "第5次主任会议" and rows[1][2] == handled_wish.number
    assert "黄阿婆" not in str(rows)  # the title passes through privacy.redact
    pdf = client.get(reverse("cases:priority_list_pdf"), {"year": 2026})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


# --- 2. 协办: reminders and the answer that waits for the assisting opinions ---------------------------------


def test_an_assisting_unit_is_reminded_before_on_and_after_its_opinion_date_once_each(
    clock_at, assisting_assignment, civil_affairs_handler
):
    from minsheng.notifications.models import Notification

    due = assisting_assignment.opinion_due
    assert due == dt.date(2026, 4, 2)
    go(clock_at, due - dt.timedelta(days=7))
    assert reminders.reminders_send() == 1
    assert reminders.reminders_send() == 0  # a retried job sends nothing twice
    go(clock_at, due)
    assert reminders.reminders_send() == 1
    go(clock_at, due + dt.timedelta(days=1))
    assert reminders.reminders_send() == 1
    go(clock_at, due + dt.timedelta(days=2))
    assert reminders.reminders_send() == 0
    kinds = set(ReminderLog.objects.filter(assignment=assisting_assignment).values_list("kind", "due_date"))
    assert kinds == {("due_soon", due), ("due_today", due), ("overdue", due)}
    texts = list(Notification.objects.filter(user=civil_affairs_handler).values_list("text", flat=True))
    assert len(texts) == 3 and all("协办意见" in t for t in texts)


def test_an_assisting_unit_that_sent_its_opinion_is_not_reminded(
    clock_at, assisting_assignment, civil_affairs_handler
):
    services.assisting_opinion_send(
        actor=civil_affairs_handler, assignment_id=assisting_assignment.pk, opinion="同意协助"
    )
    go(clock_at, assisting_assignment.opinion_due)
    assert reminders.reminders_send() == 0


@pytest.fixture
def lead_waiting(assisting_assignment, haiyan_handler):
    """The lead unit 海宴镇人民政府 has acknowledged; 市民政局 assists and has not sent its opinion."""
    lead = Assignment.objects.get(case=assisting_assignment.case, role=Assignment.Role.LEAD)
    return services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead.pk)


ANSWER = {"answer_class": "A", "text": "已协调解决", "signed_by": "李镇长"}


def test_the_lead_unit_cannot_answer_while_an_assisting_opinion_is_missing(lead_waiting, haiyan_handler):
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as caught:
        services.answer_submit(actor=haiyan_handler, assignment_id=lead_waiting.pk, **ANSWER)
    assert "江门市民政局" in str(caught.value.message) and "2026-04-03" in str(caught.value.message)
    lead_waiting.refresh_from_db()
    assert lead_waiting.status == Assignment.Status.HANDLING and not hasattr(lead_waiting, "answer")
    assert "case.answer_given" not in verbs(lead_waiting.case_id)


def test_the_lead_unit_answers_once_the_opinion_is_in(
    lead_waiting, assisting_assignment, haiyan_handler, civil_affairs_handler
):
    services.assisting_opinion_send(
        actor=civil_affairs_handler, assignment_id=assisting_assignment.pk, opinion="同意协助"
    )
    answer = services.answer_submit(actor=haiyan_handler, assignment_id=lead_waiting.pk, **ANSWER)
    assert answer.case.status == Case.Status.ANSWERED
    assert verbs(lead_waiting.case_id)[-2:] == ["case.answer_given", "case.answered"]


def test_the_lead_unit_answers_without_the_opinion_once_its_month_has_passed(
    clock_at, lead_waiting, assisting_assignment, haiyan_handler
):
    go(clock_at, assisting_assignment.opinion_due)
    with pytest.raises(TransitionNotAllowed):
        services.answer_submit(actor=haiyan_handler, assignment_id=lead_waiting.pk, **ANSWER)
    go(clock_at, assisting_assignment.opinion_due + dt.timedelta(days=1))
    services.answer_submit(actor=haiyan_handler, assignment_id=lead_waiting.pk, **ANSWER)
    lead_waiting.refresh_from_db()
    assert lead_waiting.status == Assignment.Status.ANSWERED


def test_the_page_and_the_api_say_which_opinions_are_missing_and_offer_no_answer(
    client, api, clock_at, lead_waiting, haiyan_handler
):
    client.force_login(haiyan_handler)
    response = client.get(reverse("cases:detail", args=[lead_waiting.case_id]))
    lead = next(a for a in response.context["assignments"] if a.pk == lead_waiting.pk)
    assert [m.unit.name for m in lead.opinions_missing] == ["江门市民政局"]
    assert "answer" not in {a.name for a in lead.actions}
    assert 'data-testid="opinions-missing"' in response.content.decode()
    part = ok(api.login(haiyan_handler).get(f"{ASSIGNMENTS}{lead_waiting.pk}/"))
    assert [m["unit"]["name"] for m in part["missing_opinions"]] == ["江门市民政局"]
    assert "answer" not in part["allowed_actions"]
    refused = api.login(haiyan_handler).post(f"{ASSIGNMENTS}{lead_waiting.pk}/answer/", ANSWER)
    assert refused.status_code == 409
    go(clock_at, dt.date(2026, 4, 3))
    part = ok(api.login(haiyan_handler).get(f"{ASSIGNMENTS}{lead_waiting.pk}/"))
    assert part["missing_opinions"] == [] and "answer" in part["allowed_actions"]
    ok(api.login(haiyan_handler).post(f"{ASSIGNMENTS}{lead_waiting.pk}/answer/", ANSWER))


# --- 3. 延期 -----------------------------------------------------------------------------------------------


def test_a_unit_asks_for_an_extension_and_staff_grant_another_date_within_the_cap(
    lead_assignment, haiyan_handler, haiyan_staff
):
    assert lead_assignment.answer_due == dt.date(2026, 6, 2)
    request = services.extension_request(
        actor=haiyan_handler,
        assignment_id=lead_assignment.pk,
        requested_due=dt.date(2026, 8, 31),
        reason="需协调县级资金，预计8月底完成",
    )
    assert (
        request.previous_due == dt.date(2026, 6, 2) and request.decision == ExtensionRequest.Decision.PENDING
    )
    services.extension_decide(
        actor=haiyan_staff, request_id=request.pk, grant=True, new_due=dt.date(2026, 7, 31), note="给予两个月"
    )
    request.refresh_from_db()
    lead_assignment.refresh_from_db()
    case = lead_assignment.case
    case.refresh_from_db()
    assert request.decision == ExtensionRequest.Decision.GRANTED and request.granted_due == dt.date(
        2026, 7, 31
    )
    assert lead_assignment.answer_due == case.answer_due == dt.date(2026, 7, 31)
    assert verbs(case.pk)[-2:] == ["assignment.extension_requested", "assignment.extension_granted"]
    assert last_record(case.pk, "assignment.extension_granted").data["new_due"] == "2026-07-31"


def test_an_extension_beyond_six_months_of_the_assignment_is_refused(lead_assignment, haiyan_handler):
    with pytest.raises(DomainError) as caught:
        services.extension_request(
            actor=haiyan_handler,
            assignment_id=lead_assignment.pk,
            requested_due=dt.date(2026, 9, 3),  # 交办 2026-03-02 + 6 months = 2026-09-02
            reason="情况复杂",
        )
    assert caught.value.field == "requested_due" and "2026-09-02" in str(caught.value.message)
    assert not ExtensionRequest.objects.exists()


def test_staff_cannot_grant_beyond_the_cap_either(pending_extension, haiyan_staff):
    with pytest.raises(DomainError) as caught:
        services.extension_decide(
            actor=haiyan_staff, request_id=pending_extension.pk, grant=True, new_due=dt.date(2026, 10, 1)
        )
    assert caught.value.field == "new_due"
    pending_extension.refresh_from_db()
    assert pending_extension.decision == ExtensionRequest.Decision.PENDING


def test_an_extension_is_asked_before_the_deadline(clock_at, lead_assignment, haiyan_handler):
    go(clock_at, lead_assignment.answer_due + dt.timedelta(days=1))
    with pytest.raises(TransitionNotAllowed):
        services.extension_request(
            actor=haiyan_handler,
            assignment_id=lead_assignment.pk,
            requested_due=dt.date(2026, 8, 1),
            reason="来不及",
        )


def test_only_one_extension_request_is_pending_per_assignment(pending_extension, haiyan_handler):
    with pytest.raises(TransitionNotAllowed):
        services.extension_request(
            actor=haiyan_handler,
            assignment_id=pending_extension.assignment_id,
            requested_due=dt.date(2026, 8, 1),
            reason="再次申请",
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        ExtensionRequest.objects.create(
            assignment=pending_extension.assignment,
            reason="绕过服务",
            previous_due=pending_extension.previous_due,
            requested_due=dt.date(2026, 8, 1),
            requested_by=pending_extension.requested_by,
        )


def test_staff_refuse_an_extension_with_a_note_and_the_deadline_stays(pending_extension, haiyan_staff):
    with pytest.raises(DomainError) as caught:
        services.extension_decide(actor=haiyan_staff, request_id=pending_extension.pk, grant=False)
    assert caught.value.field == "note"
    services.extension_decide(
        actor=haiyan_staff, request_id=pending_extension.pk, grant=False, note="理由不充分"
    )
    assignment = pending_extension.assignment
    assignment.refresh_from_db()
    assert assignment.answer_due == dt.date(2026, 6, 2)
    assert verbs(assignment.case_id)[-1] == "assignment.extension_refused"
    with pytest.raises(TransitionNotAllowed):
        services.extension_decide(actor=haiyan_staff, request_id=pending_extension.pk, grant=True)


def test_a_unit_cannot_decide_its_own_extension(pending_extension, haiyan_handler):
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=haiyan_handler, request_id=pending_extension.pk, grant=True)


def test_the_extension_is_on_the_timeline_the_case_page_and_the_api(
    client, api, pending_extension, haiyan_staff, haiyan_handler
):
    case_id = pending_extension.assignment.case_id
    part = ok(api.login(haiyan_handler).get(f"{ASSIGNMENTS}{pending_extension.assignment_id}/"))
    assert "request-extension" not in part["allowed_actions"]  # one is pending
    assert part["extension_cap"] == "2026-09-02"
    listed = ok(api.login(haiyan_staff).get(EXTENSIONS, decision="pending"))["results"]
    assert [r["id"] for r in listed] == [pending_extension.pk] and listed[0]["allowed_actions"] == ["decide"]
    case = ok(api.login(haiyan_staff).post(f"{EXTENSIONS}{pending_extension.pk}/decide/", {"grant": True}))
    assert case["extensions_granted"] == 1
    assert case["deadlines"]["answer_due"] == "2026-06-30"  # today + 120 days, as asked
    client.force_login(haiyan_staff)
    response = client.get(reverse("cases:detail", args=[case_id]))
    body = response.content.decode()
    assert response.context["extensions_granted"] == 1 and 'data-testid="extensions-granted"' in body
    assert f'data-testid="extension-{pending_extension.pk}"' in body
    timeline = [(e.verb, e.data.get("new_due")) for e in response.context["history"]]
    assert ("assignment.extension_granted", "2026-06-30") in timeline


def test_the_case_page_offers_the_unit_an_extension_and_staff_the_decision(
    client, lead_assignment, haiyan_handler, haiyan_staff
):
    url = reverse("cases:request_extension", args=[lead_assignment.case_id, lead_assignment.pk])
    client.force_login(haiyan_handler)
    response = client.post(url, {"requested_due": "2026-07-15", "reason": "需补充资金"})
    assert response.status_code == 302
    request = ExtensionRequest.objects.get()
    client.force_login(haiyan_staff)
    page = client.get(reverse("cases:detail", args=[lead_assignment.case_id]))
    lead = next(a for a in page.context["assignments"] if a.pk == lead_assignment.pk)
    assert [act.name for ext in lead.extensions for act in ext.actions] == ["decide_extension"]
    decide = reverse("cases:decide_extension", args=[lead_assignment.case_id, request.pk])
    assert client.post(decide, {"decision": "refuse"}).status_code == 400  # a refusal needs a note
    assert client.post(decide, {"decision": "grant"}).status_code == 302
    lead_assignment.refresh_from_db()
    assert lead_assignment.answer_due == dt.date(2026, 7, 15)


# --- 4. reassignment counts from the re-交办 date ---------------------------------------------------------


def test_a_reassigned_unit_gets_its_own_time_from_the_reassignment_date(
    clock_at, pending_request, haiyan_staff, civil_affairs
):
    old = pending_request.assignment
    assert old.answer_due == dt.date(2026, 6, 2)
    go(clock_at, dt.date(2026, 3, 10))
    services.reassignment_decide(actor=haiyan_staff, request_id=pending_request.pk, reassign_to=civil_affairs)
    new = Assignment.objects.get(case=old.case, unit=civil_affairs)
    case = Case.objects.get(pk=old.case_id)
    assert new.answer_due == dt.date(2026, 6, 10) and case.answer_due == dt.date(2026, 6, 10)
    assert new.reassign_request_due == dt.date(2026, 3, 19)  # 7 working days
    assert last_record(case.pk, "assignment.reassigned").data["new_due"] == "2026-06-10"


def test_a_reassigned_assisting_unit_gets_its_opinion_month_from_the_reassignment_date(
    clock_at, assisting_assignment, civil_affairs_handler, haiyan_staff, education_bureau
):
    request = services.assignment_request_reassignment(
        actor=civil_affairs_handler, assignment_id=assisting_assignment.pk, reason="不属本局职责"
    )
    go(clock_at, dt.date(2026, 3, 9))
    services.reassignment_decide(actor=haiyan_staff, request_id=request.pk, reassign_to=education_bureau)
    new = Assignment.objects.get(case=assisting_assignment.case, unit=education_bureau)
    assert new.role == Assignment.Role.ASSISTING and new.opinion_due == dt.date(2026, 4, 9)
    case = Case.objects.get(pk=assisting_assignment.case_id)
    assert case.answer_due == dt.date(2026, 6, 2)  # the lead unit's time is untouched


# --- 5. 联名 ----------------------------------------------------------------------------------------------


def test_a_deputy_named_as_cosigner_is_told_and_not_listed_until_confirming(
    api, django_capture_on_commit_callbacks, verified_wish, deputy_user, cosigner
):
    from minsheng.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        invited_wish = services.case_file(
            actor=deputy_user, case_id=verified_wish.pk, cosigners=[cosigner.deputy]
        )
    link = Cosigner.objects.get(case=invited_wish, deputy=cosigner.deputy)
    assert link.status == Cosigner.Status.INVITED and link.responded_at is None
    assert Notification.objects.filter(user=cosigner, link=f"/cases/{invited_wish.pk}/").exists()
    case = ok(api.login(cosigner).get(f"{CASES}{invited_wish.pk}/"))
    assert case["cosigners"] == [] and case["cosigning"] == "invited" and "cosign" in case["allowed_actions"]
    assert "rate" not in case["allowed_actions"]


def test_confirming_lists_the_cosigner_who_may_then_rate(api, invited_wish, cosigner):
    case = ok(api.login(cosigner).post(f"{CASES}{invited_wish.pk}/cosign/", {"confirm": True}))
    assert (
        case["cosigners"] == [{"id": cosigner.deputy_id, "name": "曾丽"}] and case["cosigning"] == "confirmed"
    )
    assert "cosign" not in case["allowed_actions"]
    link = Cosigner.objects.get(case=invited_wish, deputy=cosigner.deputy)
    assert link.status == Cosigner.Status.CONFIRMED and link.responded_at is not None
    assert verbs(invited_wish.pk)[-1] == "case.cosign_confirmed"
    assert (
        api.login(cosigner).post(f"{CASES}{invited_wish.pk}/cosign/", {"confirm": False}).status_code == 403
    )


def test_declining_removes_the_name_with_a_record_and_the_case_from_the_deputys_view(
    api, client, invited_wish, cosigner, deputy_user
):
    services.cosign_respond(actor=cosigner, case_id=invited_wish.pk, confirm=False)
    link = Cosigner.objects.get(case=invited_wish, deputy=cosigner.deputy)
    assert link.status == Cosigner.Status.DECLINED and link.responded_at is not None  # the row is kept
    assert last_record(invited_wish.pk, "case.cosign_declined").data == {"deputy": cosigner.deputy_id}
    assert api.login(cosigner).get(f"{CASES}{invited_wish.pk}/").status_code == 404
    assert ok(api.login(deputy_user).get(f"{CASES}{invited_wish.pk}/"))["cosigners"] == []
    with pytest.raises(PermissionDenied):
        services.cosign_respond(actor=cosigner, case_id=invited_wish.pk, confirm=True)


def test_filing_waits_for_no_cosigner(invited_wish, haiyan_staff, haiyan_government):
    services.case_accept(actor=haiyan_staff, case_id=invited_wish.pk)
    case = services.case_assign(actor=haiyan_staff, case_id=invited_wish.pk, lead=haiyan_government)
    assert case.status == Case.Status.ASSIGNED


def test_an_invited_cosigner_may_not_rate_and_is_not_on_the_answer_letter(
    invited_wish, cosigner, haiyan_staff, haiyan_government, haiyan_handler
):
    from minsheng.cases.pdf import answer_letter_context

    services.case_accept(actor=haiyan_staff, case_id=invited_wish.pk)
    services.case_assign(actor=haiyan_staff, case_id=invited_wish.pk, lead=haiyan_government)
    part = invited_wish.assignments.get()
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=part.pk)
    answer = services.answer_submit(actor=haiyan_handler, assignment_id=part.pk, **ANSWER)
    with pytest.raises(PermissionDenied):
        services.rating_submit(actor=cosigner, case_id=invited_wish.pk, value="satisfied")
    deputies = answer_letter_context(actor=haiyan_staff, answer=answer)["deputies"]
    assert [d.name for d in deputies] == ["陈海"]
    services.cosign_respond(actor=cosigner, case_id=invited_wish.pk, confirm=True)
    deputies = answer_letter_context(actor=haiyan_staff, answer=answer)["deputies"]
    assert [d.name for d in deputies] == ["陈海", "曾丽"]
    services.rating_submit(actor=cosigner, case_id=invited_wish.pk, value="satisfied")


def test_the_deputy_sees_pending_cosignings_on_a_page_and_answers_on_the_case_page(
    client, invited_wish, cosigner
):
    client.force_login(cosigner)
    listing = client.get(reverse("cases:cosignings"))
    assert [c.pk for c in listing.context["object_list"]] == [invited_wish.pk]
    work = client.get(reverse("cases:my_work")).context["rows"]
    assert ("联名待确认" in str(work) or "Co-signings to confirm" in str(work)) and any(
        n == 1 for _label, n, url in work if url == reverse("cases:cosignings")
    )
    page = client.get(reverse("cases:detail", args=[invited_wish.pk]))
    assert {a.name for a in page.context["actions"]} >= {"cosign_confirm", "cosign_decline"}
    assert 'data-testid="cosign-invitation"' in page.content.decode()
    assert client.post(reverse("cases:cosign_confirm", args=[invited_wish.pk])).status_code == 302
    assert list(client.get(reverse("cases:cosignings")).context["object_list"]) == []
    page = client.get(reverse("cases:detail", args=[invited_wish.pk]))
    assert [link.deputy.name for link in page.context["cosigners"]] == ["曾丽"]


def test_the_lead_deputy_sees_who_has_not_confirmed_yet(client, invited_wish, deputy_user):
    client.force_login(deputy_user)
    page = client.get(reverse("cases:detail", args=[invited_wish.pk]))
    assert page.context["cosigners"] == []
    assert [link.deputy.name for link in page.context["cosigners_invited"]] == ["曾丽"]


def test_a_merged_duplicates_lead_deputy_becomes_a_confirmed_cosigner(
    cosigned_wish, haiyan_staff, town_deputy, haiyan_congress, station
):
    from minsheng.accounts.models import User
    from minsheng.accounts.tests.factories import UserFactory
    from minsheng.deputies.tests.factories import SeatFactory

    other = SeatFactory(term=town_deputy.seats.first().term, deputy__name="吴敏").deputy
    other_user = UserFactory(username="deputy_wu", role=User.Role.DEPUTY, deputy=other)
    duplicate = services.case_create(
        actor=other_user,
        kind=Case.Kind.SUGGESTION,
        title="同一诉求",
        content="同一诉求",
        congress=haiyan_congress,
        lead_deputy=other,
        place=station.place,
    )
    services.case_file(actor=other_user, case_id=duplicate.pk)
    services.case_merge(actor=haiyan_staff, case_id=duplicate.pk, into_id=cosigned_wish.pk)
    assert Cosigner.objects.get(case=cosigned_wish, deputy=other).status == Cosigner.Status.CONFIRMED


# --- 6. a wish the unit delivers itself (政府兜底) ----------------------------------------------------------


def test_the_lead_unit_delivers_the_wish_itself_and_it_is_realised(
    api, acknowledged_assignment, haiyan_handler, haiyan_government
):
    case = services.wish_fulfil_by_unit(
        actor=haiyan_handler,
        assignment_id=acknowledged_assignment.pk,
        photos=[photo()],
        note="镇政府购置轮椅送达",
    )
    assert case.realised_at is not None and case.realised_by_unit == haiyan_government
    proof = Document.objects.get(case=case, kind=Document.Kind.HANDOVER)
    assert proof.assignment_id == acknowledged_assignment.pk and proof.uploaded_by == haiyan_handler
    assert verbs(case.pk)[-2:] == ["wish.fulfilled_by_unit", "wish.realised"]
    detail = ok(api.login(haiyan_handler).get(f"{CASES}{case.pk}/"))
    assert detail["realised_by_unit"]["name"] == "海宴镇人民政府"
    assert "fulfil-wish" not in detail["assignments"][0]["allowed_actions"]


def test_a_wish_realised_by_the_unit_shows_as_realised_on_the_wall(
    client, wall_wish, haiyan_handler, lead_assignment
):
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead_assignment.pk)
    services.wish_fulfil_by_unit(actor=haiyan_handler, assignment_id=lead_assignment.pk, photos=[photo()])
    page = client.get(reverse("cases:wall"), {"state": "realised"})
    assert [card["pk"] for card in page.context["cards"]] == [wall_wish.pk]
    assert page.context["cards"][0]["state"] == "realised"
    assert client.get(reverse("cases:wall"), {"state": "open"}).context["cards"] == []  # no claims now


def test_the_unit_cannot_deliver_a_wish_a_donor_holds(live_claim, haiyan_handler, lead_assignment):
    services.assignment_acknowledge(actor=haiyan_handler, assignment_id=lead_assignment.pk)
    with pytest.raises(TransitionNotAllowed):
        services.wish_fulfil_by_unit(actor=haiyan_handler, assignment_id=lead_assignment.pk, photos=[photo()])
    case = Case.objects.get(pk=live_claim.case_id)
    assert case.realised_at is None and not case.documents.filter(kind=Document.Kind.HANDOVER).exists()


def test_the_proof_is_one_to_nine_photos(acknowledged_assignment, haiyan_handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError):
        services.wish_fulfil_by_unit(
            actor=haiyan_handler, assignment_id=acknowledged_assignment.pk, photos=[]
        )
    with pytest.raises(DomainError):
        services.wish_fulfil_by_unit(
            actor=haiyan_handler,
            assignment_id=acknowledged_assignment.pk,
            photos=[SimpleUploadedFile("x.png", b"not an image", content_type="image/png")],
        )
    assert Case.objects.get(pk=acknowledged_assignment.case_id).realised_at is None


def test_an_assisting_unit_does_not_deliver_the_wish(assisting_assignment, civil_affairs_handler):
    with pytest.raises(PermissionDenied):
        services.wish_fulfil_by_unit(
            actor=civil_affairs_handler, assignment_id=assisting_assignment.pk, photos=[photo()]
        )


def test_the_case_page_offers_the_delivery_to_the_lead_units_handlers(
    client, acknowledged_assignment, haiyan_handler
):
    client.force_login(haiyan_handler)
    url = reverse("cases:fulfil_wish", args=[acknowledged_assignment.case_id, acknowledged_assignment.pk])
    page = client.get(reverse("cases:detail", args=[acknowledged_assignment.case_id]))
    lead = next(a for a in page.context["assignments"] if a.pk == acknowledged_assignment.pk)
    assert "fulfil_wish" in {act.name for act in lead.actions}
    assert client.post(url, {"photos": [photo()], "note": "已送达"}).status_code == 302
    assert Case.objects.get(pk=acknowledged_assignment.case_id).realised_at is not None
