"""Every write to a case: one function per step of the workflow.

Each service locks the case row before reading the state it decides on — the case first, then its parts
(assignments, claims, requests), in that order everywhere, so two services never wait on each other —, asks
`actions.check` whether the actor may take this action now (the same answer the page and the API show),
moves the state through `Case.TRANSITIONS` (`move_to`), writes its audit record in the same transaction and
enqueues jobs on commit.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.common import audit, clock, uploads
from minsheng.common import validators as checks
from minsheng.common.crypto import blind_index
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.idcard import parse_id_number
from minsheng.common.permissions import ensure
from minsheng.common.phones import normalize_mobile
from minsheng.deputies.models import Deputy, Seat

from . import actions, selectors
from . import rules as R
from .models import (
    Answer,
    Assignment,
    Beneficiary,
    Case,
    Claim,
    Cosigner,
    Document,
    ExtensionRequest,
    FollowUpVisit,
    HandlingRecord,
    HomeVerification,
    Rating,
    ReassignmentRequest,
    SupervisionAction,
)
from .search import search_text_for

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _lock(case_id: int) -> Case:
    try:
        return Case.objects.select_for_update().select_related("congress").get(pk=case_id)
    except Case.DoesNotExist:
        raise DomainError(_("No such case."), code="not_found") from None


def _today() -> dt.date:
    return clock.today()


def _lock_part(assignment_id: int) -> tuple[Case, Assignment]:
    """Lock a unit's part the one way: its case first, then the assignment (an assignment never changes case,
    so reading its case id unlocked is safe)."""
    case_id = Assignment.objects.filter(pk=assignment_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise DomainError(_("No such assignment."), code="not_found")
    case = _lock(case_id)
    assignment = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment_id)
    assignment.case = case
    return case, assignment


def _lock_claim(claim_id: int) -> tuple[Case, Claim]:
    """The wish first, then the claim."""
    case_id = Claim.objects.filter(pk=claim_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise DomainError(_("No such claim."), code="not_found")
    case = _lock(case_id)
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    claim.case = case
    return case, claim


def _amount(value, *, field: str = "amount") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter an amount in yuan, e.g. 350 or 350.50."), field=field) from None
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field=field)
    return amount


def _active_seat_congresses(deputy: Deputy) -> set[int]:
    return set(deputy.seats.filter(status=Seat.Status.ACTIVE).values_list("congress_id", flat=True))


# --- 1. collect ------------------------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    actor,
    kind: str,
    title: str,
    content: str,
    congress,
    lead_deputy: Deputy,
    place,
    station=None,
    category: str = "",
    amount=None,
    beneficiary: dict | None = None,
) -> Case:
    """Record a case (draft). A wish carries its beneficiary's personal data, encrypted."""
    ensure(actor, "cases.create")
    _ensure_staff_cover(actor, congress)
    if kind not in Case.Kind.values:
        raise DomainError(_("Unknown kind of case."), field="kind")
    title, content = (title or "").strip(), (content or "").strip()
    if not title:
        raise DomainError(_("Enter a title."), field="title")
    if not content:
        raise DomainError(_("Describe the case."), field="content")
    checks.check_length(title, field="title", model=Case)
    checks.check_length(content, field="content", model=Case)
    if congress.pk not in _active_seat_congresses(lead_deputy):
        raise DomainError(
            _(
                "%(deputy)s holds no seat in %(congress)s: a case is filed to the congress of the deputy's seat."
            )
            % {"deputy": lead_deputy.name, "congress": congress.name},
            field="congress",
        )
    _ensure_may_record_for(actor, lead_deputy, station)
    rules = R.rules_for(congress)
    kind_rules = Case(kind=kind).rules
    value = _amount(amount)
    if kind == Case.Kind.WISH:
        if category not in (Case.Category.MATERIAL, Case.Category.SERVICE):
            raise DomainError(_("Choose whether the wish is material or a service."), field="category")
        if value is None:
            raise DomainError(_("Enter the estimated value of the wish."), field="amount")
    elif kind == Case.Kind.MICRO_PROJECT and value is None:
        raise DomainError(_("Enter the budget of the micro-project."), field="amount")
    if kind_rules.cap_rule and value is not None:
        cap = getattr(rules, kind_rules.cap_rule)
        if value > cap:
            raise DomainError(
                _("The amount %(amount)s exceeds the cap of %(cap)s yuan.") % {"amount": value, "cap": cap},
                field="amount",
            )
    case = Case(
        kind=kind,
        title=title,
        content=content,
        category=category if kind == Case.Kind.WISH else "",
        amount=value,
        congress=congress,
        lead_deputy=lead_deputy,
        place=place,
        station=station,
        created_by=actor,
    )
    case.search_text = search_text_for(case)
    case.save()
    if kind_rules.has_beneficiary:
        _beneficiary_save(case, beneficiary or {}, rules)
    audit.record(actor, "case.created", case, kind=kind)
    return case


def _ensure_staff_cover(actor, congress) -> None:
    """Congress staff record cases only for the congresses they cover."""
    from minsheng.accounts.permissions import Role, has_role, staff_covers

    if has_role(actor, Role.CONGRESS_STAFF) and not staff_covers(actor, congress):
        raise PermissionDenied(_("You are not allowed to do this."))


def _ensure_may_record_for(actor, deputy: Deputy, station) -> None:
    from minsheng.accounts.permissions import Role, has_role

    if has_role(actor, Role.DEPUTY) and actor.deputy_id != deputy.pk:
        raise DomainError(_("A deputy records cases as their own lead deputy."), field="lead_deputy")
    if has_role(actor, Role.STATION_STAFF):
        if station is None or station.pk != actor.station_id:
            raise DomainError(_("Station staff record cases at their own station."), field="station")
        if not station.attachments.filter(deputy=deputy).exists():
            raise DomainError(_("The deputy is not attached to this station."), field="lead_deputy")


def _beneficiary_save(case: Case, data: dict, rules: R.Rules) -> Beneficiary:
    name = (data.get("name") or "").strip()
    address = (data.get("address") or "").strip()
    if not name:
        raise DomainError(_("Enter the beneficiary's name."), field="beneficiary_name")
    if not address:
        raise DomainError(_("Enter the beneficiary's address."), field="beneficiary_address")
    checks.check_length(name, field="beneficiary_name", limit=checks.limit(Beneficiary, "name"))
    checks.check_length(address, field="beneficiary_address", limit=checks.limit(Beneficiary, "address"))
    kind = data.get("kind") or Beneficiary.Kind.HOUSEHOLD
    group = data.get("group") or Beneficiary.Group.OTHER
    if kind not in Beneficiary.Kind.values:
        raise DomainError(_("Choose household or individual."), field="beneficiary_kind")
    if group not in Beneficiary.Group.values:
        raise DomainError(_("Choose the beneficiary's group."), field="beneficiary_group")
    id_number = ""
    if data.get("id_number"):
        try:
            id_number = parse_id_number(data["id_number"]).number
        except Exception as exc:  # ValidationError: keep its message
            raise DomainError(
                getattr(exc, "messages", [str(exc)])[0], field="beneficiary_id_number"
            ) from None
    phone = ""
    if data.get("phone"):
        try:
            phone = normalize_mobile(data["phone"])
        except Exception as exc:
            raise DomainError(getattr(exc, "messages", [str(exc)])[0], field="beneficiary_phone") from None
    household_index = blind_index(id_number) if id_number else blind_index(f"{name}|{address}")
    if rules.one_open_wish_per_household:
        clash = (
            Beneficiary.objects.select_for_update()
            .filter(
                household_index=household_index,
                case__status__in=Case.OPEN_STATUSES,
                case__kind=Case.Kind.WISH,
            )
            .exclude(case=case)
            .exists()
        )
        if clash:
            raise Conflict(
                _("This household already has an open wish; one open wish per household at a time."),
                field="beneficiary_id_number",
            )
    beneficiary, _created = Beneficiary.objects.update_or_create(
        case=case,
        defaults={
            "kind": kind,
            "group": group,
            "name": name,
            "id_number": id_number,
            "phone": phone,
            "address": address,
            "household_index": household_index,
        },
    )
    return beneficiary


@transaction.atomic
def case_update(*, actor, case_id: int, beneficiary: dict | None = None, **changes) -> Case:
    """Edit a draft, or a case returned for revision."""
    case = _lock(case_id)
    actions.check(actor, case, "edit")
    allowed = {"title", "content", "category", "amount", "place", "station"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))})
    for field, value in changes.items():
        if field == "amount":
            value = _amount(value)
        if field in ("title", "content"):
            value = (value or "").strip()
            if not value:
                raise DomainError(_("This field is required."), field=field)
            checks.check_length(value, field=field, model=Case)
        setattr(case, field, value)
    rules = R.rules_for(case.congress)
    if case.rules.cap_rule and case.amount is not None and case.amount > getattr(rules, case.rules.cap_rule):
        raise DomainError(
            _("The amount %(amount)s exceeds the cap of %(cap)s yuan.")
            % {"amount": case.amount, "cap": getattr(rules, case.rules.cap_rule)},
            field="amount",
        )
    case.search_text = search_text_for(case)
    case.save()
    if beneficiary is not None and case.rules.has_beneficiary:
        _beneficiary_save(case, beneficiary, rules)
    audit.record(actor, "case.updated", case, fields=sorted(changes))
    return case


# --- 2. verify ---------------------------------------------------------------------------------------------


@transaction.atomic
def case_verify(
    *, actor, case_id: int, visited_on: dt.date, visitors: str, findings: str, confirmed: bool
) -> HomeVerification:
    """入户核实: record the home visit; a confirmed visit makes the wish verified."""
    case = _lock(case_id)
    actions.check(actor, case, "verify")
    if visited_on > _today():
        raise DomainError(_("The visit cannot be in the future."), field="visited_on")
    if not (visitors or "").strip():
        raise DomainError(_("Say who visited."), field="visitors")
    if not (findings or "").strip():
        raise DomainError(_("Record what the visit found."), field="findings")
    checks.check_past_date(visited_on, field="visited_on")
    checks.check_length(visitors.strip(), field="visitors", model=HomeVerification)
    checks.check_length(findings.strip(), field="findings", model=HomeVerification)
    verification = HomeVerification.objects.create(
        case=case,
        visited_on=visited_on,
        visitors=visitors.strip(),
        findings=findings.strip(),
        confirmed=confirmed,
        recorded_by=actor,
    )
    case.verified_at = clock.now() if confirmed else None
    case.save(update_fields=["verified_at", "updated_at"])
    audit.record(
        actor, "case.verified" if confirmed else "case.verification_failed", case, visited_on=str(visited_on)
    )
    return verification


# --- 3. file / withdraw ------------------------------------------------------------------------------------


def _next_number(case: Case) -> str:
    prefix = {"wish": "W", "micro_project": "M", "suggestion": "S"}[case.kind]
    year = _today().year
    return f"{year}{prefix}{case.pk:07d}"


@transaction.atomic
def case_file(*, actor, case_id: int, cosigners: list[Deputy] | None = None) -> Case:
    """提交: file the case to the congress of the lead deputy's seat, with optional co-signers (附议)."""
    case = _lock(case_id)
    actions.check(actor, case, "file")
    case.move_to(Case.Status.FILED)
    for deputy in cosigners or []:
        if deputy.pk == case.lead_deputy_id:
            continue
        if case.congress_id not in _active_seat_congresses(deputy):
            raise DomainError(
                _("%(deputy)s holds no seat in %(congress)s and cannot co-sign.")
                % {"deputy": deputy.name, "congress": case.congress.name},
                field="cosigners",
            )
        Cosigner.objects.get_or_create(case=case, deputy=deputy)  # a new name is invited (to confirm)
    rules = R.rules_for(case.congress)
    case.filed_at = clock.now()
    case.assign_due = R.assign_due(_today(), rules)
    case.assign_due_provisional = case.assign_due.provisional
    case.number = case.number or _next_number(case)
    case.save(
        update_fields=["status", "filed_at", "assign_due", "assign_due_provisional", "number", "updated_at"]
    )
    audit.record(actor, "case.filed", case, cosigners=[d.pk for d in cosigners or []])
    invited = case.pk
    transaction.on_commit(lambda: _notify_cosigners(invited))
    return case


def _notify_cosigners(case_id: int) -> None:
    from .tasks import notify_cosigners

    notify_cosigners.enqueue(case_id=case_id)


@transaction.atomic
def cosign_respond(*, actor, case_id: int, confirm: bool) -> Cosigner:
    """联名: a deputy named as co-signer confirms or declines, once. Filing waits for no one; a declined
    name keeps its row (status declined, with the time) and no longer counts as a co-signer. Locks the case."""
    case = _lock(case_id)
    actions.check(actor, case, "cosign_confirm" if confirm else "cosign_decline")
    link = Cosigner.objects.select_for_update().get(case=case, deputy_id=actor.deputy_id)
    if link.status != Cosigner.Status.INVITED:
        raise TransitionNotAllowed(_("You have answered this co-signing already."))
    link.status = Cosigner.Status.CONFIRMED if confirm else Cosigner.Status.DECLINED
    link.responded_at = clock.now()
    link.save(update_fields=["status", "responded_at"])
    audit.record(
        actor,
        "case.cosign_confirmed" if confirm else "case.cosign_declined",
        case,
        deputy=actor.deputy_id,
    )
    return link


@transaction.atomic
def case_withdraw(*, actor, case_id: int, reason: str) -> Case:
    """撤回: the lead deputy withdraws the case in writing, at any time before it is closed."""
    case = _lock(case_id)
    actions.check(actor, case, "withdraw")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for withdrawing, in writing."), field="reason")
    checks.check_length(reason.strip(), field="reason", limit=checks.limit(Case, "status_note"))
    case.move_to(Case.Status.WITHDRAWN)
    case.status_note = reason.strip()
    case.on_wall_at = None
    case.save(update_fields=["status", "status_note", "on_wall_at", "updated_at"])
    live = Assignment.objects.filter(case=case, status__in=Assignment.LIVE)
    live.update(status=Assignment.Status.REMOVED)
    audit.record(actor, "case.withdrawn", case)
    return case


# --- 4. review ---------------------------------------------------------------------------------------------


@transaction.atomic
def case_accept(*, actor, case_id: int) -> Case:
    """立案."""
    case = _lock(case_id)
    actions.check(actor, case, "accept")
    case.move_to(Case.Status.ACCEPTED)
    case.save(update_fields=["status", "updated_at"])
    audit.record(actor, "case.accepted", case)
    return case


@transaction.atomic
def case_refuse(*, actor, case_id: int, reason: str, note: str = "") -> Case:
    """不予立案, with a reason from the closed list."""
    case = _lock(case_id)
    actions.check(actor, case, "refuse")
    if reason not in Case.RefuseReason.values:
        raise DomainError(_("Choose a reason from the list."), field="reason")
    checks.check_length((note or "").strip(), field="note", limit=checks.limit(Case, "status_note"))
    case.move_to(Case.Status.REFUSED)
    case.refuse_reason = reason
    case.status_note = (note or "").strip()
    case.save(update_fields=["status", "refuse_reason", "status_note", "updated_at"])
    audit.record(actor, "case.refused", case, reason=reason)
    return case


@transaction.atomic
def case_return(*, actor, case_id: int, note: str) -> Case:
    """退回修改: back to the deputy with what to change."""
    case = _lock(case_id)
    actions.check(actor, case, "return")
    if not (note or "").strip():
        raise DomainError(_("Say what should be revised."), field="note")
    checks.check_length(note.strip(), field="note", limit=checks.limit(Case, "status_note"))
    case.move_to(Case.Status.RETURNED)
    case.status_note = note.strip()
    case.save(update_fields=["status", "status_note", "updated_at"])
    audit.record(actor, "case.returned", case)
    return case


@transaction.atomic
def case_merge(*, actor, case_id: int, into_id: int) -> Case:
    """Merge a duplicate into another case: its deputies become co-signers there, so every one is answered."""
    if case_id == into_id:
        raise DomainError(_("A case cannot be merged into itself."), field="into")
    # Two cases: locked in id order, so two merges of the same pair never wait on each other.
    first, second = sorted((case_id, into_id))
    locked = {first: _lock(first), second: _lock(second)}
    case, target = locked[case_id], locked[into_id]
    actions.check(actor, case, "merge")
    ensure(actor, "cases.review", target)
    if case.pk == target.pk:
        raise DomainError(_("A case cannot be merged into itself."), field="into")
    if not target.is_open or target.status in (Case.Status.DRAFT, Case.Status.RETURNED):
        raise TransitionNotAllowed(_("Merge into a case that has been filed and is still open."))
    case.move_to(Case.Status.REFUSED)
    # The duplicate's lead deputy filed it: a confirmed co-signer there; its co-signers keep their answer
    # (a declined name is not carried over).
    carried = [(case.lead_deputy_id, Cosigner.Status.CONFIRMED)] + list(
        case.cosigner_links.exclude(status=Cosigner.Status.DECLINED).values_list("deputy_id", "status")
    )
    for deputy_id, cosign_status in carried:
        if deputy_id != target.lead_deputy_id:
            link, created = Cosigner.objects.get_or_create(
                case=target, deputy_id=deputy_id, defaults={"status": cosign_status}
            )
            if not created and cosign_status == Cosigner.Status.CONFIRMED and link.status != cosign_status:
                link.status = cosign_status
                link.responded_at = clock.now()
                link.save(update_fields=["status", "responded_at"])
    case.refuse_reason = Case.RefuseReason.DUPLICATE
    case.merged_into = target
    case.save(update_fields=["status", "refuse_reason", "merged_into", "updated_at"])
    audit.record(actor, "case.merged", case, into=target.pk)
    audit.record(actor, "case.merged_in", target, case=case.pk)
    return target


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
    case_ids = case.pk
    transaction.on_commit(lambda: _notify_assigned(case_ids))
    return case


def _notify_assigned(case_id: int) -> None:
    from .tasks import notify_assignment

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
    from .permissions import extension_cap_for

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
    from .permissions import extension_cap_for

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


def check_upload(upload, *, images_only: bool = False) -> uploads.CheckedFile:
    """A case's file: a photo (JPEG, PNG, WebP) or, unless `images_only`, a PDF, at most 10 MB; checked and
    cleaned by `minsheng.common.uploads` (the file's own bytes decide, photos lose their EXIF)."""
    return uploads.check_upload(
        upload, accept=uploads.PHOTOS if images_only else uploads.DOCUMENTS, max_bytes=MAX_UPLOAD_BYTES
    )


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


@transaction.atomic
def answer_submit(*, actor, assignment_id: int, answer_class: str, text: str, signed_by: str) -> Answer:
    """答复: the lead unit (or, under split handling, each unit) answers in writing, signed by its head."""
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
    now = clock.now()
    answer = Answer.objects.create(
        case=case,
        assignment=assignment,
        round=assignment.round,
        answer_class=answer_class,
        text=text.strip(),
        signed_by=signed_by.strip(),
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
    return answer


# --- 9. feedback -------------------------------------------------------------------------------------------


@transaction.atomic
def rating_submit(*, actor, case_id: int, value: str, comment: str = "") -> Rating:
    """The deputies rate the answer. The lead deputy's rating decides: 满意/基本满意 closes the case,
    不满意 sends it back to staff to reassign. Co-signers' ratings are recorded and counted in the rates."""
    case = _lock(case_id)
    actions.check(actor, case, "rate")
    if value not in Rating.Value.values:
        raise DomainError(_("Choose satisfied, mostly satisfied or dissatisfied."), field="value")
    if value == Rating.Value.DISSATISFIED and not (comment or "").strip():
        raise DomainError(_("Say why you are dissatisfied."), field="comment")
    checks.check_length((comment or "").strip(), field="comment", model=Rating)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case, deputy=actor.deputy, round=case.round, value=value, comment=(comment or "").strip()
            )
    except IntegrityError:
        raise Conflict(_("You have rated this answer already.")) from None
    audit.record(actor, "case.rated", case, value=value, round=case.round)
    if actor.deputy_id == case.lead_deputy_id:
        if value == Rating.Value.DISSATISFIED:
            case.move_to(Case.Status.DISSATISFIED)
            case.save(update_fields=["status", "updated_at"])
        else:
            _close(actor, case)
    return rating


def _close(actor, case: Case, *, note: str = "") -> None:
    case.move_to(Case.Status.CLOSED)
    case.closed_at = clock.now()
    if case.publish_due is None:  # answered before publication was counted from the answer
        answered_on = timezone.localdate(case.answered_at) if case.answered_at else _today()
        case.publish_due = R.publish_due(answered_on, R.rules_for(case.congress))
        case.publish_due_provisional = case.publish_due.provisional
    if note:
        case.status_note = note
    case.save(
        update_fields=[
            "status",
            "closed_at",
            "publish_due",
            "publish_due_provisional",
            "status_note",
            "updated_at",
        ]
    )
    audit.record(actor, "case.closed", case)


@transaction.atomic
def case_close(*, actor, case_id: int, note: str) -> Case:
    """Staff close a case after 不满意 without another round (a decision with its reason)."""
    case = _lock(case_id)
    actions.check(actor, case, "close")
    if not (note or "").strip():
        raise DomainError(_("Record why the case is closed without another round."), field="note")
    checks.check_length(note.strip(), field="note", limit=checks.limit(Case, "status_note"))
    _close(actor, case, note=note.strip())
    return case


@transaction.atomic
def case_close_unrated(*, actor, case_id: int, note: str = "") -> Case:
    """未反馈: staff close an answered case the lead deputy did not rate by the rating deadline
    (`rating_due`, a month after the answer by default). Locks the case; refused before the deadline and
    once the deputy has rated."""
    case = _lock(case_id)
    actions.check(actor, case, "close_unrated")
    case.closed_unrated = True
    case.save(update_fields=["closed_unrated", "updated_at"])
    _close(actor, case, note=(note or "").strip())
    audit.record(actor, "case.closed_unrated", case, rating_due=str(case.rating_due))
    return case


@transaction.atomic
def follow_up_record(
    *, actor, case_id: int, visited_on: dt.date, wish_met: bool, note: str = ""
) -> FollowUpVisit:
    """回访: ask the family whether the wish was met."""
    case = _lock(case_id)
    actions.check(actor, case, "follow_up")  # a wish, once assigned and until it is closed
    if visited_on > _today():
        raise DomainError(_("The visit cannot be in the future."), field="visited_on")
    checks.check_past_date(visited_on, field="visited_on")
    checks.check_length((note or "").strip(), field="note", model=FollowUpVisit)
    visit = FollowUpVisit.objects.create(
        case=case, visited_on=visited_on, wish_met=wish_met, note=(note or "").strip(), recorded_by=actor
    )
    audit.record(actor, "case.followed_up", case, wish_met=wish_met)
    return visit


# --- 10. supervise -----------------------------------------------------------------------------------------


@transaction.atomic
def case_mark_priority(
    *,
    actor,
    case_id: int,
    priority: bool,
    note: str = "",
    meeting_date: dt.date | None = None,
    meeting_name: str = "",
    proposed_by: str = "",
) -> Case:
    """重点督办, decided by the 主任会议: marking records the meeting (date and name, e.g. 第N次主任会议) and who
    proposed it, all required; lifting it records a note (required). Locks the case."""
    case = _lock(case_id)
    actions.check(actor, case, "priority", priority=priority)  # a filed, open case; mark or lift, as it is
    checks.check_length(note, field="note", model=SupervisionAction)
    note, meeting_name, proposed_by = (
        (note or "").strip(),
        (meeting_name or "").strip(),
        (proposed_by or "").strip(),
    )
    if priority:
        if meeting_date is None:
            raise DomainError(
                _("Enter the date of the chairpersons' meeting (主任会议)."), field="meeting_date"
            )
        if meeting_date > _today() or meeting_date.year < 2000:
            raise DomainError(
                _("The meeting's date cannot be in the future or before 2000."), field="meeting_date"
            )
        if not meeting_name:
            raise DomainError(_("Name the meeting, e.g. 第5次主任会议."), field="meeting_name")
        if not proposed_by:
            raise DomainError(_("Say who proposed the priority supervision."), field="proposed_by")
        SupervisionAction.objects.create(
            case=case,
            kind=SupervisionAction.Kind.PRIORITY,
            note=note,
            meeting_date=meeting_date,
            meeting_name=meeting_name,
            proposed_by=proposed_by,
            recorded_by=actor,
        )
    else:
        if not note:
            raise DomainError(_("Record why priority supervision is lifted."), field="note")
        SupervisionAction.objects.create(
            case=case, kind=SupervisionAction.Kind.LIFTED, note=note, recorded_by=actor
        )
    case.is_priority = priority
    case.save(update_fields=["is_priority", "updated_at"])
    if priority:
        audit.record(
            actor,
            "case.priority_marked",
            case,
            meeting_date=str(meeting_date),
            meeting=meeting_name,
            proposed_by=proposed_by,
        )
    else:
        audit.record(actor, "case.priority_lifted", case)
    return case


@transaction.atomic
def supervision_record(*, actor, case_id: int, kind: str, note: str) -> SupervisionAction:
    """督办: record a chase (催办), a visit or an inquiry (专题询问), on a filed, open case."""
    case = _lock(case_id)
    actions.check(actor, case, "supervise")
    if kind not in (
        SupervisionAction.Kind.CHASE,
        SupervisionAction.Kind.VISIT,
        SupervisionAction.Kind.INQUIRY,
    ):
        raise DomainError(_("Choose the kind of supervision."), field="kind")
    if not (note or "").strip():
        raise DomainError(_("Write what was done."), field="note")
    checks.check_length(note.strip(), field="note", model=SupervisionAction)
    action = SupervisionAction.objects.create(case=case, kind=kind, note=note.strip(), recorded_by=actor)
    audit.record(actor, "case.supervised", case, kind=kind)
    return action


# --- 11. publish -------------------------------------------------------------------------------------------


PUBLISHABLE = actions.PUBLISHABLE


@transaction.atomic
def case_publish(*, actor, case_id: int) -> Case:
    """公开: publish a case's answer on the public site (identities removed by the public views), once it is
    answered: within 20 working days of the answer (`publish_due`), whether or not the deputy has rated it.
    Not while the deputy's 不满意 waits for a decision (the answer is being handled again)."""
    case = _lock(case_id)
    actions.check(actor, case, "publish")
    case.published_at = clock.now()
    case.save(update_fields=["published_at", "updated_at"])
    audit.record(actor, "case.published", case)
    return case


# --- 7. the wish wall and claims ---------------------------------------------------------------------------


@transaction.atomic
def wish_put_on_wall(*, actor, case_id: int, public_summary: str) -> Case:
    """Staff publish a verified, accepted wish on the public wall, with the few words the wall shows
    (`public_summary`), which must not identify the family."""
    from .privacy import contains_identity

    case = _lock(case_id)
    actions.check(actor, case, "put_on_wall")
    summary = " ".join((public_summary or "").split())
    if not summary:
        raise DomainError(
            _("Write what the wish wall shows: the need in a few words."), field="public_summary"
        )
    if len(summary) > (Case._meta.get_field("public_summary").max_length or 200):
        raise DomainError(_("Keep what the wall shows to 200 characters."), field="public_summary")
    village = case.place if case.place.level == "village" else None
    if contains_identity(summary, case) or (village is not None and village.name in summary):
        raise DomainError(
            _(
                "What the wall shows must not identify the family: no name, ID number, phone, address or village."
            ),
            field="public_summary",
        )
    case.on_wall_at = clock.now()
    case.public_summary = summary
    case.save(update_fields=["on_wall_at", "public_summary", "updated_at"])
    audit.record(actor, "wish.on_wall", case)
    return case


@transaction.atomic
def claim_create(*, actor, case_id: int, kind: str, amount=None) -> Claim:
    """认领 (the whole wish) or 认捐 (a pledged share). Locks the wish: concurrent claims queue behind the lock;
    the database's unique constraint guarantees one live whole claim whatever happens."""
    case = _lock(case_id)
    actions.check(actor, case, "claim")
    if kind not in Claim.Kind.values:
        raise DomainError(_("Choose to claim the whole wish or pledge a share."), field="kind")
    taken = selectors.claimed_total(case)
    wish_value = case.amount or Decimal("0")  # a wish always has its value (case_create requires it)
    if kind == Claim.Kind.WHOLE:
        if taken > 0:
            raise Conflict(_("This wish has been claimed already."))
        value = wish_value
    else:
        pledged = _amount(amount)
        if pledged is None:
            raise DomainError(_("Enter the amount you pledge."), field="amount")
        value = pledged
        if case.claims.filter(kind=Claim.Kind.WHOLE, status__in=Claim.HOLDING).exists():
            raise Conflict(_("This wish has been claimed already."))
        if taken + value > wish_value:
            raise Conflict(
                _("Only %(left)s yuan of this wish is still open.") % {"left": wish_value - taken},
                field="amount",
            )
    try:
        with transaction.atomic():
            claim = Claim.objects.create(case=case, donor=actor, kind=kind, amount=value)
    except IntegrityError:
        raise Conflict(_("This wish has been claimed already.")) from None
    audit.record(actor, "claim.created", case, kind=kind, amount=str(value))
    return claim


@transaction.atomic
def claim_withdraw(*, actor, claim_id: int, reason: str) -> Claim:
    """A donor withdraws a claim before delivery; the wish returns to the wall."""
    case, claim = _lock_claim(claim_id)
    actions.check(actor, case, "claim_withdraw", target=claim)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for withdrawing."), field="reason")
    checks.check_length(reason.strip(), field="reason", limit=checks.limit(Claim, "withdraw_reason"))
    claim.move_to(Claim.Status.WITHDRAWN)
    claim.withdraw_reason = reason.strip()
    claim.save(update_fields=["status", "withdraw_reason", "updated_at"])
    audit.record(actor, "claim.withdrawn", case, claim=claim.pk)
    return claim


@transaction.atomic
def claim_deliver(*, actor, claim_id: int, photos: list) -> Claim:
    """The donor has handed the wish over and uploads 1–9 photos of it."""
    case, claim = _lock_claim(claim_id)
    actions.check(actor, case, "deliver", target=claim)
    if not 1 <= len(photos) <= 9:
        raise DomainError(_("Upload between 1 and 9 photos of the hand-over."), field="photos")
    checked = [check_upload(upload, images_only=True) for upload in photos]
    claim.move_to(Claim.Status.DELIVERED)
    claim.delivered_at = clock.now()
    claim.save(update_fields=["status", "delivered_at", "updated_at"])
    for photo in checked:
        Document.objects.create(
            case=case,
            claim=claim,
            kind=Document.Kind.HANDOVER,
            file=photo.content,
            original_name=photo.original_name,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=actor,
        )
    audit.record(actor, "claim.delivered", case, claim=claim.pk, photos=len(photos))
    return claim


@transaction.atomic
def claim_confirm(*, actor, claim_id: int) -> Claim:
    """Station staff or the deputy confirm the delivery; a wish whose value is covered is realised (已实现)."""
    case, claim = _lock_claim(claim_id)
    actions.check(actor, case, "confirm_delivery", target=claim)
    claim.move_to(Claim.Status.CONFIRMED)
    claim.confirmed_at = clock.now()
    claim.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit.record(actor, "claim.confirmed", case, claim=claim.pk)
    confirmed = case.claims.filter(status=Claim.Status.CONFIRMED).aggregate(total=Sum("amount"))["total"] or 0
    if case.realised_at is None and confirmed >= (case.amount or Decimal("0")):
        case.realised_at = clock.now()
        case.save(update_fields=["realised_at", "updated_at"])
        audit.record(actor, "wish.realised", case)
    return claim


@transaction.atomic
def wish_fulfil_by_unit(*, actor, assignment_id: int, photos: list, note: str = "") -> Case:
    """政府兜底 / 部门实现: the unit that answers a wish delivers it itself, with 1–9 photos as proof (the same
    checks as a donor's hand-over); the wish is realised (已实现) at once, as after a confirmed delivery, and
    leaves the wall as realised. Refused while a donor holds a live or delivered claim. Locks the case."""
    case, assignment = _lock_part(assignment_id)
    actions.check(actor, case, "fulfil_wish", target=assignment)
    if not 1 <= len(photos) <= 9:
        raise DomainError(_("Upload between 1 and 9 photos of the hand-over."), field="photos")
    checked = [check_upload(upload, images_only=True) for upload in photos]
    for photo in checked:
        Document.objects.create(
            case=case,
            assignment=assignment,
            kind=Document.Kind.HANDOVER,
            file=photo.content,
            original_name=photo.original_name,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=actor,
        )
    if note.strip():
        HandlingRecord.objects.create(
            assignment=assignment,
            kind=HandlingRecord.Kind.PROGRESS,
            happened_on=_today(),
            note=note.strip(),
            recorded_by=actor,
        )
    case.realised_at = clock.now()
    case.realised_by_unit = assignment.unit
    case.save(update_fields=["realised_at", "realised_by_unit", "updated_at"])
    audit.record(actor, "wish.fulfilled_by_unit", case, unit=assignment.unit_id, photos=len(photos))
    audit.record(actor, "wish.realised", case)
    return case
