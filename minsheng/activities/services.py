"""Writes of receptions (接待): deputies receive citizens at a liaison station; a reception may become a case
(the one arrow from activities to cases: `cases.services.case_create`).

Who may: `activities.receive` on the station (its staff, its deputies, congress staff covering its place).
Each service on an existing reception locks its row first. The audit records name the fields changed and the
ids involved, never the visitor's name or phone.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role
from minsheng.cases.models import Case
from minsheng.cases.selectors import case_scope_for
from minsheng.cases.services import case_create
from minsheng.common import audit, clock
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError, TransitionNotAllowed
from minsheng.common.permissions import ensure
from minsheng.common.phones import normalize_mobile
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy, Seat
from minsheng.stations.models import Station, StationDeputy
from minsheng.units.models import Unit

from .models import Reception

RECEPTION_FIELDS = (
    "received_at",
    "deputies",
    "visitor_count",
    "contact_name",
    "contact_phone",
    "matter",
    "category",
    "outcome",
    "referred_to",
    "outcome_note",
)
RECEPTION_FUTURE_SLACK = dt.timedelta(minutes=10)
CASE_TITLE_LENGTH = 30
CASE_KINDS_FROM_RECEPTION = (Case.Kind.SUGGESTION, Case.Kind.MICRO_PROJECT)


def _lock_reception(reception_id: int) -> Reception:
    try:
        return (
            Reception.objects.select_for_update(of=("self",))
            .select_related("station", "station__place")
            .get(pk=reception_id)
        )
    except Reception.DoesNotExist:
        raise DomainError(_("No such reception."), code="not_found") from None


def _clean_received_at(value) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(
            _("Enter the date and time of the reception."), field="received_at", code="required"
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > clock.now() + RECEPTION_FUTURE_SLACK:
        raise DomainError(
            _("A reception is recorded once it has taken place: the time is in the future."),
            field="received_at",
            code="future",
        )
    # Not before the earliest date (a few minutes ahead of the clock, tolerated above, is today).
    checks.check_past_date(min(value, clock.now()), field="received_at")
    return value


def _clean_visitor_count(value) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = 0
    if count < 1 or count > 32767:
        raise DomainError(
            _("Enter the number of visitors (at least one)."), field="visitor_count", code="invalid"
        )
    return count


def _clean_contact(name, phone) -> tuple[str, str]:
    name = checks.clean_text(name, field="contact_name", model=Reception)
    phone = (phone or "").strip()
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field="contact_phone", code="mobile") from None
    return name, phone


def _clean_reception_text(field: str, value) -> str:
    value = (value or "").strip()
    if field == "matter" and not value:
        raise DomainError(_("Describe the matter the visitors raised."), field="matter", code="required")
    return checks.check_length(value, field=field, model=Reception)


def _clean_category(value) -> str:
    if value not in Reception.Category.values:
        raise DomainError(_("Choose a category."), field="category", code="invalid_choice")
    return value


def _clean_outcome(outcome, referred_to: Unit | None) -> tuple[str, Unit | None]:
    if outcome not in Reception.Outcome.values:
        raise DomainError(_("Choose how the matter was dealt with."), field="outcome", code="invalid_choice")
    if outcome == Reception.Outcome.REFERRED:
        if referred_to is None:
            raise DomainError(
                _("Choose the unit the matter was referred to."), field="referred_to", code="required"
            )
        return outcome, referred_to
    return outcome, None


def _check_deputies(
    actor, station: Station, deputies, *, already: frozenset[int] | set[int] = frozenset()
) -> list[Deputy]:
    """At least one deputy; each newly named one attached to the station; a deputy recording is among them."""
    deputies = list({d.pk: d for d in deputies or []}.values())
    if not deputies:
        raise DomainError(
            _("Choose at least one deputy who received the visitors."), field="deputies", code="required"
        )
    new_ids = {d.pk for d in deputies} - set(already)
    if new_ids:
        attached = set(
            StationDeputy.objects.filter(station=station, deputy_id__in=new_ids).values_list(
                "deputy_id", flat=True
            )
        )
        strangers = [d.name for d in deputies if d.pk in new_ids - attached]
        if strangers:
            raise DomainError(
                _("Not attached to this station: %(names)s.") % {"names": "、".join(strangers)},
                field="deputies",
                code="not_attached",
            )
    if has_role(actor, Role.DEPUTY) and actor.deputy_id not in {d.pk for d in deputies}:
        raise DomainError(
            _("A deputy records the receptions he or she took part in."), field="deputies", code="not_present"
        )
    return deputies


@transaction.atomic
def reception_record(
    *,
    actor,
    station_id: int,
    received_at: dt.datetime,
    deputies: list[Deputy],
    matter: str,
    category: str,
    outcome: str,
    visitor_count: int = 1,
    contact_name: str = "",
    contact_phone: str = "",
    referred_to: Unit | None = None,
    outcome_note: str = "",
) -> Reception:
    """接待: record that deputies received visitors at a station, what they raised and how it was dealt with.
    Locks the station (its deputies are checked)."""
    station = Station.objects.select_for_update(of=("self",)).select_related("place").get(pk=station_id)
    ensure(actor, "activities.receive", station)
    if not station.is_active:
        raise TransitionNotAllowed(_("The station is closed: receptions cannot be recorded there."))
    chosen = _check_deputies(actor, station, deputies)
    name, phone = _clean_contact(contact_name, contact_phone)
    outcome, referred_to = _clean_outcome(outcome, referred_to)
    reception = Reception.objects.create(
        station=station,
        received_at=_clean_received_at(received_at),
        visitor_count=_clean_visitor_count(visitor_count),
        contact_name=name,
        contact_phone=phone,
        matter=_clean_reception_text("matter", matter),
        category=_clean_category(category),
        outcome=outcome,
        referred_to=referred_to,
        outcome_note=_clean_reception_text("outcome_note", outcome_note),
        recorded_by=actor,
    )
    reception.deputies.set(chosen)
    audit.record(
        actor,
        "reception.recorded",
        reception,
        station=station.pk,
        deputies=sorted(d.pk for d in chosen),
        outcome=outcome,
    )
    return reception


@transaction.atomic
def reception_update(*, actor, reception_id: int, **changes) -> Reception:
    """Correct a reception (any of `RECEPTION_FIELDS`). Deputies added must be attached to the station; those
    already named stay even if detached since. Locks the reception."""
    reception = _lock_reception(reception_id)
    ensure(actor, "activities.edit_reception", reception)
    unknown = set(changes) - set(RECEPTION_FIELDS)
    if unknown:
        raise ValueError(f"reception_update cannot change {sorted(unknown)}")
    changed: list[str] = []
    if "deputies" in changes:
        current = set(reception.deputies.values_list("pk", flat=True))
        chosen = _check_deputies(actor, reception.station, changes.pop("deputies"), already=current)
        if {d.pk for d in chosen} != current:
            reception.deputies.set(chosen)
            changed.append("deputies")
    if "contact_name" in changes or "contact_phone" in changes:
        name, phone = _clean_contact(
            changes.pop("contact_name", reception.contact_name),
            changes.pop("contact_phone", reception.contact_phone),
        )
        changes["contact_name"], changes["contact_phone"] = name, phone
    if "outcome" in changes or "referred_to" in changes:
        outcome, unit = _clean_outcome(
            changes.pop("outcome", reception.outcome), changes.pop("referred_to", reception.referred_to)
        )
        changes["outcome"], changes["referred_to"] = outcome, unit
    cleaners = {
        "received_at": _clean_received_at,
        "visitor_count": _clean_visitor_count,
        "matter": lambda v: _clean_reception_text("matter", v),
        "outcome_note": lambda v: _clean_reception_text("outcome_note", v),
        "category": _clean_category,
    }
    for field, value in changes.items():
        if field in cleaners:
            value = cleaners[field](value)
        if field == "referred_to":
            if (value.pk if value else None) != reception.referred_to_id:
                reception.referred_to = value
                changed.append(field)
            continue
        if getattr(reception, field) != value:
            setattr(reception, field, value)
            changed.append(field)
    if not changed:
        return reception
    row_fields = [f for f in changed if f != "deputies"]
    reception.save(update_fields=[*row_fields, "updated_at"])
    audit.record(actor, "reception.updated", reception, fields=sorted(changed))
    return reception


def _case_deputy(actor, reception: Reception, deputy: Deputy | None) -> Deputy:
    receivers = list(reception.deputies.order_by("name_sort", "id"))
    if deputy is None:
        if has_role(actor, Role.DEPUTY):
            deputy = next((d for d in receivers if d.pk == actor.deputy_id), None)
        deputy = deputy or (receivers[0] if receivers else None)
    if deputy is None or deputy.pk not in {d.pk for d in receivers}:
        raise DomainError(
            _("The case's deputy is one of the deputies who received the visitors."),
            field="deputy",
            code="not_a_receiver",
        )
    return deputy


def _case_congress(deputy: Deputy, station: Station) -> Congress:
    """The congress of the deputy's seat closest to the station: a seat in office in a congress covering the
    station's place, the most local first; else the deputy's most local seat in office."""
    seats = list(
        Seat.objects.filter(deputy=deputy, status=Seat.Status.ACTIVE)
        .select_related("congress")
        .order_by("id")
    )
    if not seats:
        raise DomainError(
            _("%(deputy)s holds no seat in office.") % {"deputy": deputy.name}, field="deputy", code="no_seat"
        )
    code = station.place.code
    covering = [s.congress for s in seats if code.startswith(s.congress.region_prefix)]
    pool = covering or [s.congress for s in seats]
    return max(pool, key=lambda c: len(c.region_prefix))


def _case_title(matter: str) -> str:
    first = matter.strip().splitlines()[0].strip() if matter.strip() else ""
    return first if len(first) <= CASE_TITLE_LENGTH else first[: CASE_TITLE_LENGTH - 1] + "…"


def _already_linked(reception: Reception) -> Conflict:
    return Conflict(
        _("This reception is already linked to a case: unlink it first."), field="case", code="already_linked"
    )


@transaction.atomic
def reception_to_case(
    *,
    actor,
    reception_id: int,
    kind: str = Case.Kind.SUGGESTION,
    deputy: Deputy | None = None,
    title: str = "",
    amount=None,
) -> Case:
    """Record the reception's matter as a draft case (`cases.services.case_create`): at the reception's
    station, with one of the deputies who received as its lead deputy (the actor if a receiving deputy), in
    the congress of that deputy's seat closest to the station; then link it. Refused when already linked.
    Locks the reception."""
    reception = _lock_reception(reception_id)
    ensure(actor, "activities.edit_reception", reception)
    if reception.case_id is not None:
        raise _already_linked(reception)
    if kind not in CASE_KINDS_FROM_RECEPTION:
        raise DomainError(
            _("A reception becomes a suggestion or a micro-project."), field="kind", code="invalid_choice"
        )
    lead = _case_deputy(actor, reception, deputy)
    station = reception.station
    case = case_create(
        actor=actor,
        kind=kind,
        title=(title or "").strip() or _case_title(reception.matter),
        content=reception.matter,
        congress=_case_congress(lead, station),
        lead_deputy=lead,
        place=station.place,
        station=station,
        amount=amount,
    )
    previous = reception.outcome
    reception.case = case
    reception.outcome, reception.referred_to = Reception.Outcome.CASE, None
    reception.save(update_fields=["case", "outcome", "referred_to", "updated_at"])
    audit.record(actor, "reception.case_created", reception, case=case.pk, previous_outcome=previous)
    return case


@transaction.atomic
def reception_link_case(*, actor, reception_id: int, case_id: int) -> Reception:
    """Link the reception to an existing case the actor may see (the case it became). Refused when already
    linked. Locks the reception."""
    reception = _lock_reception(reception_id)
    ensure(actor, "activities.edit_reception", reception)
    if reception.case_id is not None:
        raise _already_linked(reception)
    case = case_scope_for(actor).filter(pk=case_id).first()
    if case is None:
        raise DomainError(_("No such case."), field="case", code="not_found")
    if case.merged_into_id is not None:
        target = Case.objects.only("number").get(pk=case.merged_into_id)
        raise DomainError(
            _("This case was merged into %(number)s: link that one.") % {"number": target.number},
            field="case",
            code="merged",
        )
    previous = reception.outcome
    reception.case = case
    reception.outcome, reception.referred_to = Reception.Outcome.CASE, None
    reception.save(update_fields=["case", "outcome", "referred_to", "updated_at"])
    audit.record(actor, "reception.case_linked", reception, case=case.pk, previous_outcome=previous)
    return reception


@transaction.atomic
def reception_unlink(*, actor, reception_id: int) -> Reception:
    """Remove the link to a case (a wrong link). The case itself is untouched; the outcome stays "recorded as
    a case" until someone corrects it. Locks the reception."""
    reception = _lock_reception(reception_id)
    ensure(actor, "activities.edit_reception", reception)
    if reception.case_id is None:
        raise TransitionNotAllowed(_("This reception is not linked to a case."), code="not_linked")
    case_id = reception.case_id
    reception.case = None
    reception.save(update_fields=["case", "updated_at"])
    audit.record(actor, "reception.case_unlinked", reception, case=case_id)
    return reception
