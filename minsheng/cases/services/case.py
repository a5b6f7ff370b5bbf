"""The Case state machine: collect, verify, file / withdraw / co-sign, review, feedback and closing,
supervision, publication (`Case.TRANSITIONS`)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role, staff_covers
from minsheng.common import audit, clock
from minsheng.common import validators as checks
from minsheng.common.crypto import blind_index
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.idcard import parse_id_number
from minsheng.common.permissions import ensure
from minsheng.common.phones import normalize_mobile
from minsheng.deputies.models import Deputy

from .. import actions, notices, pages
from .. import rules as R
from ..models import (
    Assignment,
    Beneficiary,
    Case,
    Cosigner,
    FollowUpVisit,
    HomeVerification,
    Rating,
    SupervisionAction,
)
from ..search import search_text_for
from ._base import _active_seat_congresses, _amount, _lock, _today

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
    if has_role(actor, Role.CONGRESS_STAFF) and not staff_covers(actor, congress):
        raise PermissionDenied(_("You are not allowed to do this."))


def _ensure_may_record_for(actor, deputy: Deputy, station) -> None:
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
    pages.case_changed(case)
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
    from ..tasks import notify_cosigners

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
    pages.case_changed(case)  # while it is still on the wall
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
    notices.case_accepted(case)
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
    pages.case_changed(case)
    notices.case_refused(case)
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
    notices.case_returned(case)
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
    pages.case_changed(case)
    audit.record(actor, "case.merged_in", target, case=case.pk)
    return target


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
    pages.case_changed(case)


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
    pages.case_changed(case)
    return case
