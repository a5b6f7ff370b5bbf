"""The Assignment state machine: 交办 (assign), handling (签收, 申请调整, records, opinions, documents),
extensions (延期) and the answer (`Assignment.TRANSITIONS`)."""

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.common import audit, clock
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError

from .. import actions, notices, pages
from .. import rules as R
from ..models import Answer, Assignment, Case, Document, ExtensionRequest, HandlingRecord, ReassignmentRequest
from ._base import _lock, _lock_part, _today, check_upload

# --- 5. assign ---------------------------------------------------------------------------------------------


@transaction.atomic
def case_assign(
    *,
    actor,
    case_id: int,
    lead=None,
    assisting: list | None = None,
    split: list | None = None,
    hard: bool | None = None,
) -> Case:
    """交办 (or 重新交办 after 不满意): one lead unit and optional assisting units, or several split units."""
    case = _lock(case_id)
    actions.check(actor, case, "assign")
    assisting, split = list(assisting or []), list(split or [])
    if lead is None and not split:
        raise DomainError(_("Choose a lead unit, or several units for split handling."), field="lead")
    if lead is not None and split:
        raise DomainError(
            _("Choose either a lead unit with assisting units, or split handling."), field="split"
        )
    if split and len(split) < 2:
        raise DomainError(_("Split handling needs at least two units."), field="split")
    units = [u for u in [lead, *assisting, *split] if u is not None]
    if len({u.pk for u in units}) != len(units):
        raise DomainError(_("A unit appears twice."), field="assisting")
    if any(not u.is_active for u in units):
        raise DomainError(_("An inactive unit cannot be assigned."), field="lead")
    actions.check(actor, case, "assign", units=units)  # the units the congress may assign to, and only those
    reassigning = case.status == Case.Status.DISSATISFIED
    case.move_to(Case.Status.ASSIGNED)
    if reassigning:
        case.round += 1
    if hard is not None and not reassigning:
        case.is_hard = hard
    rules = R.rules_for(case.congress)
    today = _today()
    due = R.answer_due(today, rules, hard=case.is_hard, round=case.round)
    reassign_due = R.reassign_request_due(today, rules)
    common = {
        "case": case,
        "round": case.round,
        "answer_due": due,
        "reassign_request_due": reassign_due,
        "reassign_request_due_provisional": reassign_due.provisional,
    }
    rows = []
    if lead is not None:
        rows.append(Assignment(unit=lead, role=Assignment.Role.LEAD, **common))
        rows += [
            Assignment(
                unit=u, role=Assignment.Role.ASSISTING, opinion_due=R.opinion_due(today, rules), **common
            )
            for u in assisting
        ]
    else:
        rows += [Assignment(unit=u, role=Assignment.Role.SPLIT, **common) for u in split]
    Assignment.objects.bulk_create(rows)
    case.assigned_at = clock.now()
    case.answer_due = due
    case.save(update_fields=["status", "round", "is_hard", "assigned_at", "answer_due", "updated_at"])
    audit.record(
        actor,
        "case.reassigned" if reassigning else "case.assigned",
        case,
        round=case.round,
        lead=lead.pk if lead else None,
        assisting=[u.pk for u in assisting],
        split=[u.pk for u in split],
        answer_due=str(due),
    )
    notices.case_assigned(case, [lead] if lead is not None else split)
    case_ids = case.pk
    transaction.on_commit(lambda: _notify_assigned(case_ids))
    return case


def _notify_assigned(case_id: int) -> None:
    from ..tasks import notify_assignment

    notify_assignment.enqueue(case_id=case_id)


# --- 6. handle ---------------------------------------------------------------------------------------------


@transaction.atomic
def assignment_acknowledge(*, actor, assignment_id: int) -> Assignment:
    """签收: the unit takes the case."""
    case, assignment = _lock_part(assignment_id)
    actions.check(actor, case, "acknowledge", target=assignment)
    assignment.move_to(Assignment.Status.HANDLING)
    assignment.acknowledged_at = clock.now()
    assignment.save(update_fields=["status", "acknowledged_at", "updated_at"])
    audit.record(actor, "assignment.acknowledged", assignment.case, unit=assignment.unit_id)
    return assignment


@transaction.atomic
def assignment_request_reassignment(*, actor, assignment_id: int, reason: str) -> ReassignmentRequest:
    """申请调整: within the set working days of 交办, a unit says the case is not its business."""
    case, assignment = _lock_part(assignment_id)
    actions.check(actor, case, "request_reassignment", target=assignment)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason."), field="reason")
    checks.check_length(reason.strip(), field="reason", model=ReassignmentRequest)
    assignment.move_to(Assignment.Status.REASSIGN_REQUESTED)
    assignment.save(update_fields=["status", "updated_at"])
    request = ReassignmentRequest.objects.create(
        assignment=assignment, reason=reason.strip(), requested_by=actor
    )
    audit.record(actor, "assignment.reassignment_requested", assignment.case, unit=assignment.unit_id)
    return request


@transaction.atomic
def reassignment_decide(*, actor, request_id: int, reassign_to=None, note: str = "") -> ReassignmentRequest:
    """Staff reassign the unit's part to another unit (`reassign_to`), or confirm the assignment (None)."""
    found = ReassignmentRequest.objects.filter(pk=request_id).values_list("assignment_id", flat=True).first()
    if found is None:
        raise DomainError(_("No such request."), code="not_found")
    case, assignment = _lock_part(found)
    request = ReassignmentRequest.objects.select_for_update().get(pk=request_id)
    request.assignment = assignment
    actions.check(actor, case, "decide_reassignment", target=request, units=[reassign_to])
    if reassign_to is None:
        assignment.move_to(Assignment.Status.HANDLING)
        assignment.save(update_fields=["status", "updated_at"])
        request.decision = ReassignmentRequest.Decision.CONFIRMED
    else:
        if (
            case.assignments.filter(unit=reassign_to, round=case.round)
            .exclude(status=Assignment.Status.REMOVED)
            .exists()
        ):
            raise Conflict(_("That unit already has a part of this case."), field="reassign_to")
        assignment.move_to(Assignment.Status.REMOVED)
        assignment.save(update_fields=["status", "updated_at"])
        rules = R.rules_for(case.congress)
        today = _today()
        reassign_due = R.reassign_request_due(today, rules)
        # The new unit's time runs from the re-交办 date, by the same rules as a first 交办.
        new_part = Assignment.objects.create(
            case=case,
            unit=reassign_to,
            role=assignment.role,
            round=assignment.round,
            answer_due=R.answer_due(today, rules, hard=case.is_hard, round=assignment.round),
            opinion_due=R.opinion_due(today, rules) if assignment.role == Assignment.Role.ASSISTING else None,
            reassign_request_due=reassign_due,
            reassign_request_due_provisional=reassign_due.provisional,
        )
        if new_part.answers_the_case:
            _case_answer_due_save(case)
        request.decision = ReassignmentRequest.Decision.REASSIGNED
    request.decided_by = actor
    request.decided_at = clock.now()
    checks.check_length(
        (note or "").strip(), field="note", limit=checks.limit(ReassignmentRequest, "decision_note")
    )
    request.decision_note = (note or "").strip()
    request.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor,
        "assignment.reassigned" if reassign_to else "assignment.confirmed",
        case,
        unit=assignment.unit_id,
        to=reassign_to.pk if reassign_to else None,
        **({"new_due": str(new_part.answer_due)} if reassign_to else {}),
    )
    return request


def _case_answer_due_save(case: Case) -> None:
    """The case's answer date follows its answering parts of the round (the latest of them): after a part is
    reassigned or its deadline extended."""
    dues = list(
        case.assignments.filter(round=case.round, role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT])
        .exclude(status=Assignment.Status.REMOVED)
        .values_list("answer_due", flat=True)
    )
    if dues:
        case.answer_due = max(dues)
        case.save(update_fields=["answer_due", "updated_at"])


# --- 6b. 延期: extensions of the answer deadline ------------------------------------------------------------


@transaction.atomic
def extension_request(*, actor, assignment_id: int, requested_due: dt.date, reason: str) -> ExtensionRequest:
    """延期: before its answer deadline, a unit asks for a later one, with reasons; the new date may not pass
    `rules.extension_cap` (six months from the unit's 交办). One pending request per assignment (the
    database holds it too). Locks the assignment."""
    from ..permissions import extension_cap_for

    case, assignment = _lock_part(assignment_id)
    actions.check(actor, case, "request_extension", target=assignment)
    if not (reason or "").strip():
        raise DomainError(_("Give the reasons for the extension."), field="reason")
    _check_extension_date(assignment, requested_due, extension_cap_for(assignment), field="requested_due")
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                assignment=assignment,
                reason=reason.strip(),
                previous_due=assignment.answer_due,
                requested_due=requested_due,
                requested_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("An extension request of this unit is waiting for the staff's decision.")) from None
    audit.record(
        actor,
        "assignment.extension_requested",
        assignment.case,
        unit=assignment.unit_id,
        new_due=str(requested_due),
    )
    return request


def _check_extension_date(assignment: Assignment, day, cap: dt.date, *, field: str) -> None:
    if day is None:
        raise DomainError(_("Enter the new answer date."), field=field)
    if day <= assignment.answer_due:
        raise DomainError(
            _("The new answer date must be after the present one (%(date)s).")
            % {"date": assignment.answer_due.isoformat()},
            field=field,
        )
    if day > cap:
        raise DomainError(
            _("An extension may not go beyond %(date)s (six months from the 交办 of this unit).")
            % {"date": cap.isoformat()},
            field=field,
        )


@transaction.atomic
def extension_decide(
    *, actor, request_id: int, grant: bool, new_due: dt.date | None = None, note: str = ""
) -> ExtensionRequest:
    """Staff grant an extension (the date asked for, or another within the cap) or refuse it, with a note.
    A grant moves the unit's answer date (and the case's). Locks the case, the assignment and the request."""
    from ..permissions import extension_cap_for

    found = ExtensionRequest.objects.filter(pk=request_id).values_list("assignment_id", flat=True).first()
    if found is None:
        raise DomainError(_("No such request."), code="not_found")
    case, assignment = _lock_part(found)
    request = ExtensionRequest.objects.select_for_update().get(pk=request_id)
    request.assignment = assignment
    actions.check(actor, case, "decide_extension", target=request)
    note = (note or "").strip()
    if not grant and not note:
        raise DomainError(_("Say why the extension is refused."), field="note")
    if grant:
        day = new_due or request.requested_due
        _check_extension_date(assignment, day, extension_cap_for(assignment), field="new_due")
        request.decision = ExtensionRequest.Decision.GRANTED
        request.granted_due = day
        assignment.answer_due = day
        assignment.save(update_fields=["answer_due", "updated_at"])
        _case_answer_due_save(case)
    else:
        request.decision = ExtensionRequest.Decision.REFUSED
    request.decided_by = actor
    request.decided_at = clock.now()
    request.decision_note = note
    request.save(update_fields=["decision", "granted_due", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor,
        "assignment.extension_granted" if grant else "assignment.extension_refused",
        case,
        unit=assignment.unit_id,
        **({"new_due": str(request.granted_due)} if grant else {}),
    )
    return request


@transaction.atomic
def handling_record_add(
    *, actor, assignment_id: int, kind: str, happened_on: dt.date, note: str
) -> HandlingRecord:
    """Progress, or a contact with the deputies (见面 / 电话 / 座谈)."""
    case, assignment = _lock_part(assignment_id)
    actions.check(actor, case, "record", target=assignment)
    if kind not in HandlingRecord.Kind.values:
        raise DomainError(_("Choose the kind of record."), field="kind")
    if happened_on > _today():
        raise DomainError(_("The date cannot be in the future."), field="happened_on")
    checks.check_past_date(happened_on, field="happened_on")
    if not (note or "").strip():
        raise DomainError(_("Write what happened."), field="note")
    checks.check_length(note.strip(), field="note", model=HandlingRecord)
    record = HandlingRecord.objects.create(
        assignment=assignment, kind=kind, happened_on=happened_on, note=note.strip(), recorded_by=actor
    )
    audit.record(actor, "assignment.recorded", assignment.case, kind=kind, unit=assignment.unit_id)
    return record


@transaction.atomic
def assisting_opinion_send(*, actor, assignment_id: int, opinion: str) -> Assignment:
    """An assisting unit sends its opinion to the lead unit."""
    case, assignment = _lock_part(assignment_id)
    actions.check(actor, case, "opinion", target=assignment)
    if not (opinion or "").strip():
        raise DomainError(_("Write the opinion."), field="opinion")
    checks.check_length(opinion.strip(), field="opinion", model=Assignment)
    assignment.opinion = opinion.strip()
    assignment.opinion_at = clock.now()
    assignment.move_to(Assignment.Status.ANSWERED)
    assignment.save(update_fields=["opinion", "opinion_at", "status", "updated_at"])
    audit.record(actor, "assignment.opinion_sent", assignment.case, unit=assignment.unit_id)
    return assignment


@transaction.atomic
def document_add(*, actor, case_id: int, kind: str, upload, assignment_id: int | None = None) -> Document:
    """Attach a photo or a document to a case (collecting, evidence of handling, a written withdrawal)."""
    case = _lock(case_id)
    if assignment_id is not None:
        assignment = (
            Assignment.objects.select_for_update().select_related("unit").filter(pk=assignment_id).first()
        )
        if assignment is None or assignment.case_id != case.pk:
            raise DomainError(_("The assignment is not part of this case."))
        actions.check(actor, case, "upload", target=assignment)
    else:
        # A unit handler's file is evidence of the unit's live part; anyone else's, an editor's.
        assignment = actions.check(actor, case, "upload").choices.get("assignment")
    if kind not in Document.Kind.values or kind == Document.Kind.HANDOVER:
        raise DomainError(_("Choose the kind of document."), field="kind")
    checked = check_upload(upload)
    document = Document.objects.create(
        case=case,
        assignment=assignment,
        kind=kind,
        file=checked.content,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    audit.record(actor, "case.document_added", case, kind=kind)
    return document


# --- 8. answer ---------------------------------------------------------------------------------------------


_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,22}[0-9](?:[#转][0-9]{1,6})?$")


def answer_letter_fields(*, document_number, disclosure, contact_name, contact_phone) -> dict:
    """The answer letter's fields, checked (a DomainError naming the field): 文号 and 联系人 within their
    lengths, 公开属性 one of the three, the contact person and the telephone given together, the telephone
    digits (a landline with its area code, a mobile, an extension after 转 or #)."""
    document_number = checks.clean_text(document_number, field="document_number", model=Answer)
    if disclosure not in Answer.Disclosure.values:
        raise DomainError(
            _("Choose whether the answer is published: 主动公开, 依申请公开 or 不予公开."), field="disclosure"
        )
    contact_name = checks.clean_text(contact_name, field="contact_name", model=Answer)
    contact_phone = (contact_phone or "").strip()
    if contact_name and not contact_phone:
        raise DomainError(_("Give the contact person's telephone."), field="contact_phone")
    if contact_phone and not contact_name:
        raise DomainError(_("Name the contact person for this telephone."), field="contact_name")
    if contact_phone:
        checks.check_length(contact_phone, field="contact_phone", model=Answer)
        if not _PHONE.match(contact_phone) or sum(c.isdigit() for c in contact_phone) < 7:
            raise DomainError(
                _("The telephone is digits: a landline with its area code (0750-3123456) or a mobile."),
                field="contact_phone",
            )
    return {
        "document_number": document_number,
        "disclosure": disclosure,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
    }


@transaction.atomic
def answer_submit(
    *,
    actor,
    assignment_id: int,
    answer_class: str,
    text: str,
    signed_by: str,
    document_number: str = "",
    disclosure: str = Answer.Disclosure.ACTIVE,
    contact_name: str = "",
    contact_phone: str = "",
) -> Answer:
    """答复: the lead unit (or, under split handling, each unit) answers in writing, signed by its head (签发人),
    with what the answer letter prints: its 文号 (optional: the letter leaves the line to be written by hand),
    its 公开属性, and a contact person with a telephone (both or neither)."""
    case, assignment = _lock_part(assignment_id)
    actions.check(actor, case, "answer", target=assignment)  # 协办: refused while opinions are missing
    rules = R.rules_for(case.congress)
    if answer_class not in rules.answer_class_codes:
        raise DomainError(_("Choose an answer class."), field="answer_class")
    if not (text or "").strip():
        raise DomainError(_("Write the answer."), field="text")
    checks.check_length(text.strip(), field="text", model=Answer)
    if not (signed_by or "").strip():
        raise DomainError(_("The answer is signed by the head of the unit."), field="signed_by")
    checks.check_length(signed_by.strip(), field="signed_by", model=Answer)
    letter = answer_letter_fields(
        document_number=document_number,
        disclosure=disclosure,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    now = clock.now()
    answer = Answer.objects.create(
        case=case,
        assignment=assignment,
        round=assignment.round,
        answer_class=answer_class,
        text=text.strip(),
        signed_by=signed_by.strip(),
        **letter,
        answered_by=actor,
        answered_at=now,
        on_time=clock.today() <= assignment.answer_due,
    )
    assignment.move_to(Assignment.Status.ANSWERED)
    assignment.save(update_fields=["status", "updated_at"])
    audit.record(actor, "case.answer_given", case, unit=assignment.unit_id, answer_class=answer_class)
    waiting = case.assignments.filter(
        round=case.round, role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT], status__in=Assignment.LIVE
    )
    if not waiting.exists():
        case.move_to(Case.Status.ANSWERED)
        case.answered_at = now
        # Published within 20 working days of the answer (not of closing); rated within a month of it.
        case.publish_due = R.publish_due(_today(), rules)
        case.publish_due_provisional = case.publish_due.provisional
        case.rating_due = R.rating_due(_today(), rules)
        case.save(
            update_fields=[
                "status",
                "answered_at",
                "publish_due",
                "publish_due_provisional",
                "rating_due",
                "updated_at",
            ]
        )
        audit.record(
            actor,
            "case.answered",
            case,
            round=case.round,
            publish_due=str(case.publish_due),
            rating_due=str(case.rating_due),
        )
        notices.case_answered(case)
    pages.case_changed(case)  # a further round's answer of a published case
    return answer
