"""Writes to deputies and their seats: add a deputy, correct a deputy, add a seat, end a seat.

Permission: `deputies.manage` on the congress of the seat concerned (for a deputy: on any congress where the
deputy holds a seat). Audit records carry field names and ids, never an ID number or a mobile number.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.common import audit, clock
from minsheng.common import validators as checks
from minsheng.common.crypto import blind_index
from minsheng.common.errors import Conflict, DomainError, PermissionDenied
from minsheng.common.idcard import IdNumber, normalize_id_number, parse_id_number
from minsheng.common.permissions import can, ensure
from minsheng.common.phones import normalize_mobile
from minsheng.congresses.models import Congress, Term

from .models import Deputy, Seat

# Fields of a deputy that `deputy_update` may change; personal ones are never written into audit data.
EDITABLE_FIELDS = ("name", "id_number", "mobile", "ethnicity", "party", "occupation", "is_leading_cadre")


def max_length(model, field: str) -> int:
    return int(getattr(model._meta.get_field(field), "max_length", 0) or 0)


def _domain_error(exc: ValidationError, field: str) -> DomainError:
    return DomainError(exc.messages[0], field=field, code=getattr(exc, "code", None) or "invalid")


def _clean_id_number(value: str) -> IdNumber:
    if not normalize_id_number(value):
        raise DomainError(_("Enter the ID number."), field="id_number", code="required")
    try:
        return parse_id_number(value, today=clock.today())
    except ValidationError as exc:
        raise _domain_error(exc, "id_number") from None


def _clean_mobile(value: str) -> str:
    if not (value or "").strip():
        return ""
    try:
        return normalize_mobile(value)
    except ValidationError as exc:
        raise _domain_error(exc, "mobile") from None


def _clean_name(value: str) -> str:
    name = (value or "").strip()
    if not name:
        raise DomainError(_("Enter the deputy's name."), field="name", code="required")
    if len(name) > max_length(Deputy, "name"):
        raise DomainError(_("The name is too long."), field="name", code="max_length")
    return name


def _duplicate_id_error(actor, existing: Deputy | None) -> Conflict:
    # Name the existing deputy only to someone who may see that deputy anyway.
    if existing is not None and can(actor, "deputies.view", existing):
        message = _(
            "A deputy with this ID number is already registered: %(name)s. Add a seat to that deputy instead."
        ) % {"name": existing.name}
    else:
        message = _(
            "A deputy with this ID number is already registered (in another congress's roster). "
            "Ask that congress's staff, or the city's, to add the seat."
        )
    return Conflict(message, field="id_number", code="duplicate_id_number")


def _check_seat_dates(term: Term, start_date: dt.date) -> None:
    if start_date is None:
        raise DomainError(_("Enter the date the seat starts."), field="start_date", code="required")
    checks.check_planned_date(start_date, field="start_date")
    if start_date < term.start_date or (term.end_date and start_date > term.end_date):
        raise DomainError(
            _("The seat must start within the term (%(start)s to %(end)s).")
            % {
                "start": term.start_date.isoformat(),
                "end": term.end_date.isoformat() if term.end_date else "…",
            },
            field="start_date",
            code="outside_term",
        )


@transaction.atomic
def deputy_create(
    *,
    actor,
    congress: Congress,
    name: str,
    id_number: str,
    mobile: str = "",
    ethnicity: str = "",
    party: str = "",
    occupation: str = "",
    is_leading_cadre: bool = False,
    term: Term | None = None,
    delegation: str = "",
    constituency: str = "",
    start_date: dt.date | None = None,
) -> Deputy:
    """Add a deputy with a first seat in `congress` (in `term`, or the congress's current term).

    Birth date and gender come from the ID number. A person is one deputy: an ID number already registered
    is refused (Conflict); a further seat of the same person is added with `seat_add`.
    """
    ensure(actor, "deputies.manage", congress)
    name = _clean_name(name)
    parsed = _clean_id_number(id_number)
    mobile = _clean_mobile(mobile)
    term = term or congress.current_term
    if term is None:
        raise DomainError(
            _("%(congress)s has no term yet: add a term first.") % {"congress": congress.name},
            field="term",
            code="no_term",
        )
    if term.congress_id != congress.pk:
        raise DomainError(_("The term belongs to another congress."), field="term", code="wrong_term")
    start_date = start_date or term.start_date
    _check_seat_dates(term, start_date)

    existing = Deputy.objects.filter(id_number_index=blind_index(parsed.number)).first()
    if existing is not None:
        raise _duplicate_id_error(actor, existing)
    deputy = Deputy(
        name=name,
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        id_number=parsed.number,
        mobile=mobile,
        ethnicity=(ethnicity or "").strip() or "汉族",
        party=(party or "").strip(),
        occupation=(occupation or "").strip(),
        is_leading_cadre=bool(is_leading_cadre),
    )
    try:
        with transaction.atomic():
            deputy.save()
    except IntegrityError:  # a concurrent registration of the same person won the race
        raise _duplicate_id_error(actor, None) from None
    seat = Seat.objects.create(
        deputy=deputy,
        congress=congress,
        term=term,
        delegation=(delegation or "").strip(),
        constituency=(constituency or "").strip(),
        start_date=start_date,
    )
    audit.record(actor, "deputy.created", deputy, congress=congress.pk, seat=seat.pk)
    audit.record(actor, "seat.created", seat, deputy=deputy.pk, congress=congress.pk, term=term.pk)
    return deputy


def _ensure_manages_deputy(actor, deputy: Deputy) -> None:
    if not any(
        can(actor, "deputies.manage", seat.congress) for seat in deputy.seats.select_related("congress")
    ):
        raise PermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def deputy_update(*, actor, deputy_id: int, **changes) -> Deputy:
    """Correct a deputy's record (name, ID number, mobile, ethnicity, party, occupation, the leading-cadre
    flag 党员领导干部). Locks the deputy.

    Allowed to staff who manage one of the deputy's seats. A new ID number is checked like a new deputy's
    and also sets birth date and gender.
    """
    deputy = Deputy.objects.select_for_update().get(pk=deputy_id)
    _ensure_manages_deputy(actor, deputy)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"deputy_update cannot change {sorted(unknown)}")
    changed: list[str] = []
    if "name" in changes:
        name = _clean_name(changes["name"])
        if name != deputy.name:
            deputy.name = name
            changed.append("name")
    if "id_number" in changes:
        parsed = _clean_id_number(changes["id_number"])
        if parsed.number != deputy.id_number:
            clash = (
                Deputy.objects.filter(id_number_index=blind_index(parsed.number))
                .exclude(pk=deputy.pk)
                .first()
            )
            if clash is not None:
                raise _duplicate_id_error(actor, clash)
            deputy.id_number = parsed.number
            deputy.birth_date = parsed.birth_date
            deputy.gender = parsed.gender
            changed += ["id_number", "birth_date", "gender"]
    if "mobile" in changes:
        mobile = _clean_mobile(changes["mobile"])
        if mobile != deputy.mobile:
            deputy.mobile = mobile
            changed.append("mobile")
    if "is_leading_cadre" in changes and bool(changes["is_leading_cadre"]) != deputy.is_leading_cadre:
        deputy.is_leading_cadre = bool(changes["is_leading_cadre"])
        changed.append("is_leading_cadre")
    for field in ("ethnicity", "party", "occupation"):
        if field in changes:
            value = (changes[field] or "").strip()
            if value != getattr(deputy, field):
                setattr(deputy, field, value)
                changed.append(field)
    if not changed:
        return deputy
    try:
        with transaction.atomic():
            deputy.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        raise _duplicate_id_error(actor, None) from None
    audit.record(actor, "deputy.updated", deputy, fields=changed)
    return deputy


@transaction.atomic
def seat_add(
    *,
    actor,
    deputy: Deputy,
    term: Term,
    delegation: str = "",
    constituency: str = "",
    start_date: dt.date | None = None,
) -> Seat:
    """Add a seat to a deputy in `term`'s congress. One seat per deputy per term (Conflict otherwise).

    Locks the deputy row so that two clerks adding the same seat cannot both succeed.
    """
    congress = term.congress
    ensure(actor, "deputies.manage", congress)
    deputy = Deputy.objects.select_for_update().only("id", "name").get(pk=deputy.pk)
    start_date = start_date or term.start_date
    _check_seat_dates(term, start_date)
    if Seat.objects.filter(deputy=deputy, term=term).exists():
        raise Conflict(
            _("%(name)s already has a seat in %(term)s.") % {"name": deputy.name, "term": term},
            field="term",
            code="duplicate_seat",
        )
    try:
        with transaction.atomic():
            seat = Seat.objects.create(
                deputy=deputy,
                congress=congress,
                term=term,
                delegation=(delegation or "").strip(),
                constituency=(constituency or "").strip(),
                start_date=start_date,
            )
    except IntegrityError:
        raise Conflict(
            _("%(name)s already has a seat in %(term)s.") % {"name": deputy.name, "term": term},
            field="term",
            code="duplicate_seat",
        ) from None
    audit.record(actor, "seat.created", seat, deputy=deputy.pk, congress=congress.pk, term=term.pk)
    return seat


@transaction.atomic
def seat_end(*, actor, seat_id: int, status: str, end_date: dt.date, reason: str = "") -> Seat:
    """End a seat: terminated (终止) or resigned (辞职). Locks the seat; an ended seat cannot end again
    (TransitionNotAllowed)."""
    seat = Seat.objects.select_for_update().get(pk=seat_id)
    ensure(actor, "deputies.manage", seat.congress)
    if status not in (Seat.Status.ENDED, Seat.Status.RESIGNED):
        raise DomainError(_("Choose how the seat ends: terminated or resigned."), field="status")
    seat.move_to(status)  # raises TransitionNotAllowed for a seat that has already ended
    if end_date is None:
        raise DomainError(_("Enter the date the seat ends."), field="end_date", code="required")
    if end_date < seat.start_date:
        raise DomainError(
            _("A seat cannot end before it starts (%(start)s).") % {"start": seat.start_date.isoformat()},
            field="end_date",
            code="before_start",
        )
    if end_date > clock.today():
        raise DomainError(_("A seat cannot end in the future."), field="end_date", code="future")
    checks.check_past_date(end_date, field="end_date")
    reason = (reason or "").strip()
    if len(reason) > max_length(Seat, "end_reason"):
        raise DomainError(_("The reason is too long."), field="reason", code="max_length")
    seat.end_date = end_date
    seat.end_reason = reason
    seat.save(update_fields=["status", "end_date", "end_reason", "updated_at"])
    audit.record(
        actor,
        "seat.ended",
        seat,
        deputy=seat.deputy_id,
        status=status,
        end_date=end_date.isoformat(),
        reason=reason,
    )
    return seat
