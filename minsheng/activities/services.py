"""Writes of receptions (接待): deputies receive citizens at a liaison station; a reception may become a case
(the one arrow from activities to cases: `cases.services.case_create`).

Who may: `activities.receive` on the station (its staff, its deputies, congress staff covering its place).
Each service on an existing reception locks its row first. The audit records name the fields changed and the
ids involved, never the visitor's name or phone.
"""

import datetime as dt
from typing import cast

from django.conf import settings
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

from .models import Reception, ReceptionDay, ReceptionMatter

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
CASE_KINDS_FROM_RECEPTION = (Case.Kind.SUGGESTION, Case.Kind.WISH, Case.Kind.MICRO_PROJECT)


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
    matter: str = "",
    category: str = "",
    outcome: str = "",
    visitor_count: int = 1,
    contact_name: str = "",
    contact_phone: str = "",
    referred_to: Unit | None = None,
    outcome_note: str = "",
    matters: list[dict] | None = None,
    reception_day_id: int | None = None,
) -> Reception:
    """接待: record that deputies received visitors at a station, each matter they raised and how it is dealt
    with (`matters`: one dict a matter, see `_clean_matter_item`; or the old single `matter`, `category`,
    `outcome`), all in one transaction: a matter turned into a suggestion or a wish becomes a draft case at
    once, a matter sent on gets its answer date. Linked to the station's reception day of that date (or the
    one given). Locks the station (its deputies are checked)."""
    station = Station.objects.select_for_update(of=("self",)).select_related("place").get(pk=station_id)
    ensure(actor, "activities.receive", station)
    if not station.is_active:
        raise TransitionNotAllowed(_("The station is closed: receptions cannot be recorded there."))
    chosen = _check_deputies(actor, station, deputies)
    name, phone = _clean_contact(contact_name, contact_phone)
    received_at = _clean_received_at(received_at)
    legacy = not matters
    if legacy:
        outcome, referred_to = _clean_outcome(outcome, referred_to)
        items = [
            _matter_from_outcome(
                _clean_reception_text("matter", matter),
                _clean_category(category),
                outcome,
                referred_to,
                _clean_reception_text("outcome_note", outcome_note),
            )
        ]
    else:
        items = list(matters or [])
    if len(items) > MATTERS_MAX:
        raise DomainError(
            _("At most %(count)s matters a reception.") % {"count": MATTERS_MAX},
            field="matters",
            code="too_many",
        )
    cleaned = [
        {**_clean_matter_item(item, i, {}), "_legacy_case": item.get("_legacy_case", False), **_extra(item)}
        for i, item in enumerate(items, start=1)
    ]
    first = cleaned[0]
    if not legacy:
        outcome, referred_to = _summary_outcome(first)
        outcome_note = first["note"] if first["disposal"] == ReceptionMatter.Disposal.ANSWERED else ""
    reception_day = _reception_day_for(station, received_at, reception_day_id)
    reception = Reception.objects.create(
        station=station,
        received_at=received_at,
        visitor_count=_clean_visitor_count(visitor_count),
        contact_name=name,
        contact_phone=phone,
        matter=first["text"],
        category=first["category"],
        outcome=outcome,
        referred_to=referred_to,
        outcome_note=_clean_reception_text("outcome_note", outcome_note),
        recorded_by=actor,
        reception_day=reception_day,
    )
    reception.deputies.set(chosen)
    for position, item in enumerate(cleaned, start=1):
        _create_matter(actor, reception, position, item, make_case=not item["_legacy_case"])
    audit.record(
        actor,
        "reception.recorded",
        reception,
        station=station.pk,
        deputies=sorted(d.pk for d in chosen),
        outcome=outcome,
        matters=len(cleaned),
        day=reception_day.pk if reception_day else None,
    )
    _archive_if_done(actor, reception)
    return reception


def _extra(item: dict) -> dict:
    return {k: item[k] for k in ("deputy", "title") if item.get(k) is not None}


def _reception_day_for(station: Station, received_at: dt.datetime, day_id: int | None) -> ReceptionDay | None:
    if day_id is None:
        return _day_for(station, received_at)
    reception_day = ReceptionDay.objects.filter(pk=day_id, station=station, is_cancelled=False).first()
    if reception_day is None:
        raise DomainError(
            _("No such reception day at this station."), field="reception_day", code="not_found"
        )
    if reception_day.day != timezone.localdate(received_at):
        raise DomainError(
            _("The reception took place on another day than this reception day."),
            field="reception_day",
            code="other_day",
        )
    return reception_day


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
    if {"matter", "category"} & set(changed) and reception.matters.count() == 1:
        # The old single-matter fields mirror the first matter: a correction of one corrects the other.
        reception.matters.update(text=reception.matter, category=reception.category, updated_at=clock.now())
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
    matter_id: int | None = None,
    category: str = "",
    beneficiary: dict | None = None,
) -> Case:
    """Record the reception's matter (or the one of its matters given, by default the first without a case) as a draft case (`cases.services.case_create`): at the reception's
    station, with one of the deputies who received as its lead deputy (the actor if a receiving deputy), in
    the congress of that deputy's seat closest to the station; then link it. Refused when already linked.
    Locks the reception."""
    reception = _lock_reception(reception_id)
    ensure(actor, "activities.edit_reception", reception)
    if kind not in CASE_KINDS_FROM_RECEPTION:
        raise DomainError(
            _("A reception becomes a suggestion, a micro-wish or a micro-project."),
            field="kind",
            code="invalid_choice",
        )
    source = None
    if matter_id is not None:
        source = reception.matters.filter(pk=matter_id).first()
        if source is None:
            raise DomainError(_("No such matter."), field="matter", code="not_found")
        if source.case_id is not None:
            raise Conflict(_("This matter is already a case."), field="matter", code="already_linked")
    elif reception.case_id is not None:
        raise _already_linked(reception)
    text = source.text if source is not None else reception.matter
    lead = _case_deputy(actor, reception, deputy)
    station = reception.station
    if kind == Case.Kind.WISH:
        category = category or Case.Category.SERVICE
        beneficiary = _beneficiary(reception, beneficiary)
    case = case_create(
        actor=actor,
        kind=kind,
        title=(title or "").strip() or _case_title(text),
        content=text,
        congress=_case_congress(lead, station),
        lead_deputy=lead,
        place=station.place,
        station=station,
        category=category if kind == Case.Kind.WISH else "",
        amount=amount,
        beneficiary=beneficiary,
    )
    if source is not None and reception.case_id is not None:
        _link_matter(reception, case, source.pk)
        audit.record(actor, "reception.case_created", reception, case=case.pk, matter=source.pk)
        _archive_if_done(actor, reception)
        return case
    previous = reception.outcome
    reception.case = case
    reception.outcome, reception.referred_to = Reception.Outcome.CASE, None
    reception.save(update_fields=["case", "outcome", "referred_to", "updated_at"])
    _link_matter(reception, case, matter_id)
    audit.record(actor, "reception.case_created", reception, case=case.pk, previous_outcome=previous)
    _archive_if_done(actor, reception)
    return case


def _link_matter(reception: Reception, case: Case, matter_id: int | None) -> None:
    """The matter a case was made of (or linked to): the one named, else the first without a case. It becomes
    a suggestion or a wish (as the case's kind), closed: the case workflow follows it from there."""
    matters = reception.matters.select_for_update().filter(case__isnull=True)
    matter = (matters.filter(pk=matter_id) if matter_id else matters.order_by("position")).first()
    if matter is None:
        if matter_id:
            raise DomainError(_("No such matter."), field="matter", code="not_found")
        return
    matter.case = case
    matter.disposal = (
        ReceptionMatter.Disposal.WISH if case.kind == Case.Kind.WISH else ReceptionMatter.Disposal.SUGGESTION
    )
    matter.referred_to, matter.referred_to_name, matter.answer_due = None, "", None
    matter.status = ReceptionMatter.Status.CLOSED
    matter.save(
        update_fields=[
            "case",
            "disposal",
            "referred_to",
            "referred_to_name",
            "answer_due",
            "status",
            "updated_at",
        ]
    )


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
    _link_matter(reception, case, None)
    audit.record(actor, "reception.case_linked", reception, case=case.pk, previous_outcome=previous)
    _archive_if_done(actor, reception)
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


# ---------------------------------------------------------------------------------------------------------
# Reception days (接待日) and the matters of a reception (反映事项) followed to an answer (issue 11)
# ---------------------------------------------------------------------------------------------------------

SENT_ON = (ReceptionMatter.Disposal.TOWN, ReceptionMatter.Disposal.HIGHER)
TO_CASE: dict[str, str] = {
    ReceptionMatter.Disposal.SUGGESTION: Case.Kind.SUGGESTION,
    ReceptionMatter.Disposal.WISH: Case.Kind.WISH,
}
MATTERS_MAX = 20
FEEDBACK_NOTE_MAX = 500


def notice_days() -> int:
    return cast(int, settings.MINSHENG.get("RECEPTION_DAY_NOTICE_DAYS", 3))


def answer_working_days() -> int:
    return cast(int, settings.MINSHENG.get("RECEPTION_MATTER_ANSWER_WORKING_DAYS", 15))


def matter_answer_due(received_on: dt.date) -> dt.date:
    """The day an answer is due for a matter sent on: N working days after the reception (the project's
    working-day calendar; a year without an official schedule counts weekdays, never fails)."""
    return clock.working_deadline(received_on, answer_working_days()).date


def _check_notice(day: dt.date, *, field: str = "day") -> None:
    today = clock.today()
    if day < today:
        raise DomainError(_("The day is in the past."), field=field, code="past")
    days = notice_days()
    if day < today + dt.timedelta(days=days):
        raise DomainError(
            _(
                "A reception day is scheduled, changed or cancelled at least %(days)s days ahead "
                "(the earliest is %(earliest)s)."
            )
            % {"days": days, "earliest": (today + dt.timedelta(days=days)).isoformat()},
            field=field,
            code="notice",
        )


def _clean_day(value) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DomainError(_("Enter the day."), field="day", code="required")
    checks.check_planned_date(value, field="day")
    return value


def _clean_hours(starts_at, ends_at) -> tuple[dt.time, dt.time]:
    if not isinstance(starts_at, dt.time):
        raise DomainError(_("Enter the hour it starts."), field="starts_at", code="required")
    if not isinstance(ends_at, dt.time):
        raise DomainError(_("Enter the hour it ends."), field="ends_at", code="required")
    if ends_at <= starts_at:
        raise DomainError(_("It ends after it starts."), field="ends_at", code="invalid")
    return starts_at, ends_at


def _duty_deputies(station: Station, deputies) -> list[Deputy]:
    deputies = list({d.pk: d for d in deputies or []}.values())
    if not deputies:
        raise DomainError(_("Choose at least one deputy on duty."), field="deputies", code="required")
    attached = set(
        StationDeputy.objects.filter(station=station, deputy_id__in=[d.pk for d in deputies]).values_list(
            "deputy_id", flat=True
        )
    )
    strangers = [d.name for d in deputies if d.pk not in attached]
    if strangers:
        raise DomainError(
            _("Not attached to this station: %(names)s.") % {"names": "、".join(strangers)},
            field="deputies",
            code="not_attached",
        )
    return deputies


def _slot_taken(station: Station, day: dt.date, starts_at: dt.time, exclude: int | None = None) -> None:
    taken = ReceptionDay.objects.filter(station=station, day=day, starts_at=starts_at)
    if exclude:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise Conflict(
            _("This station already has a reception day at that hour."), field="starts_at", code="taken"
        )


@transaction.atomic
def reception_day_schedule(
    *,
    actor,
    station_id: int,
    day: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    deputies: list[Deputy],
    note: str = "",
) -> ReceptionDay:
    """接待日: schedule a day at a station with its deputies on duty, at least the notice days ahead. Locks the
    station."""
    station = Station.objects.select_for_update(of=("self",)).select_related("place").get(pk=station_id)
    ensure(actor, "activities.schedule_days", station)
    if not station.is_active:
        raise TransitionNotAllowed(_("The station is closed: no reception day can be scheduled there."))
    day = _clean_day(day)
    _check_notice(day)
    starts_at, ends_at = _clean_hours(starts_at, ends_at)
    chosen = _duty_deputies(station, deputies)
    _slot_taken(station, day, starts_at)
    reception_day = ReceptionDay.objects.create(
        station=station,
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        note=checks.clean_text(note, field="note", model=ReceptionDay),
        created_by=actor,
    )
    reception_day.deputies.set(chosen)
    audit.record(
        actor,
        "reception_day.scheduled",
        reception_day,
        station=station.pk,
        day=day.isoformat(),
        deputies=sorted(d.pk for d in chosen),
    )
    return reception_day


def _lock_day(day_id: int) -> ReceptionDay:
    try:
        return (
            ReceptionDay.objects.select_for_update(of=("self",))
            .select_related("station", "station__place")
            .get(pk=day_id)
        )
    except (ReceptionDay.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such reception day."), code="not_found") from None


RECEPTION_DAY_FIELDS = ("day", "starts_at", "ends_at", "deputies", "note")


@transaction.atomic
def reception_day_change(*, actor, day_id: int, **changes) -> ReceptionDay:
    """Move a reception day, change its hours, deputies or note: the day (old and new) at least the notice
    days ahead. Locks the day."""
    reception_day = _lock_day(day_id)
    ensure(actor, "activities.schedule_days", reception_day.station)
    unknown = set(changes) - set(RECEPTION_DAY_FIELDS)
    if unknown:
        raise ValueError(f"reception_day_change cannot change {sorted(unknown)}")
    if reception_day.is_cancelled:
        raise TransitionNotAllowed(_("This reception day was cancelled."), code="cancelled")
    _check_notice(reception_day.day)
    changed: list[str] = []
    day = _clean_day(changes["day"]) if "day" in changes else reception_day.day
    if day != reception_day.day:
        _check_notice(day)
    starts_at, ends_at = _clean_hours(
        changes.get("starts_at", reception_day.starts_at), changes.get("ends_at", reception_day.ends_at)
    )
    if (day, starts_at) != (reception_day.day, reception_day.starts_at):
        _slot_taken(reception_day.station, day, starts_at, exclude=reception_day.pk)
    for field, value in (("day", day), ("starts_at", starts_at), ("ends_at", ends_at)):
        if getattr(reception_day, field) != value:
            setattr(reception_day, field, value)
            changed.append(field)
    if "note" in changes:
        note = checks.clean_text(changes["note"], field="note", model=ReceptionDay)
        if note != reception_day.note:
            reception_day.note = note
            changed.append("note")
    if "deputies" in changes:
        chosen = _duty_deputies(reception_day.station, changes["deputies"])
        if {d.pk for d in chosen} != set(reception_day.deputies.values_list("pk", flat=True)):
            reception_day.deputies.set(chosen)
            changed.append("deputies")
    if not changed:
        return reception_day
    reception_day.save(update_fields=[*(f for f in changed if f != "deputies"), "updated_at"])
    audit.record(actor, "reception_day.changed", reception_day, fields=sorted(changed))
    return reception_day


@transaction.atomic
def reception_day_cancel(*, actor, day_id: int) -> ReceptionDay:
    """Cancel a reception day (it stays on the list, marked cancelled; the public page drops it): at least
    the notice days ahead. Locks the day."""
    reception_day = _lock_day(day_id)
    ensure(actor, "activities.schedule_days", reception_day.station)
    if reception_day.is_cancelled:
        raise TransitionNotAllowed(_("This reception day is already cancelled."), code="cancelled")
    _check_notice(reception_day.day)
    reception_day.is_cancelled = True
    reception_day.save(update_fields=["is_cancelled", "updated_at"])
    audit.record(actor, "reception_day.cancelled", reception_day, day=reception_day.day.isoformat())
    return reception_day


def _day_for(station: Station, received_at: dt.datetime) -> ReceptionDay | None:
    """The station's (not cancelled) reception day of the reception's date, if any."""
    return (
        ReceptionDay.objects.filter(station=station, day=timezone.localdate(received_at), is_cancelled=False)
        .order_by("starts_at", "id")
        .first()
    )


def _clean_matter_item(item: dict, position: int, units: dict[int, Unit]) -> dict:
    """One matter as given (a dict): text, category, disposal, referred_to (Unit or id) or referred_to_name,
    note (the on-the-spot answer); for a wish amount, case_category, beneficiary."""
    field = f"matters.{position}"
    text = (item.get("text") or "").strip()
    if not text:
        raise DomainError(
            _("Describe the matter the visitors raised."), field=f"{field}.text", code="required"
        )
    checks.check_length(text, field=f"{field}.text", limit=checks.limit(ReceptionMatter, "text"))
    category = item.get("category")
    if category not in Reception.Category.values:
        raise DomainError(_("Choose a category."), field=f"{field}.category", code="invalid_choice")
    disposal = item.get("disposal")
    if disposal not in ReceptionMatter.Disposal.values:
        raise DomainError(
            _("Choose how the matter is dealt with."), field=f"{field}.disposal", code="invalid_choice"
        )
    unit = item.get("referred_to")
    if unit is not None and not isinstance(unit, Unit):
        unit = units.get(unit) or Unit.objects.filter(pk=unit, is_active=True).first()
        if unit is None:
            raise DomainError(_("No such unit."), field=f"{field}.referred_to", code="not_found")
    name = (item.get("referred_to_name") or "").strip()[:100]
    if disposal in SENT_ON:
        if unit is None and not name:
            raise DomainError(
                _("Name the unit or authority the matter is sent to."),
                field=f"{field}.referred_to",
                code="required",
            )
    else:
        unit, name = None, ""
    note = checks.check_length(
        (item.get("note") or "").strip(), field=f"{field}.note", limit=checks.limit(ReceptionMatter, "answer")
    )
    return {
        "text": text,
        "category": category,
        "disposal": disposal,
        "referred_to": unit,
        "referred_to_name": name,
        "note": note,
        "amount": item.get("amount"),
        "case_category": item.get("case_category") or "",
        "beneficiary": item.get("beneficiary"),
        "kind": item.get("kind") or "",
    }


def _summary_outcome(first: dict) -> tuple[str, Unit | None]:
    """The old single-matter fields of a reception mirror its first matter."""
    disposal = first["disposal"]
    if disposal == ReceptionMatter.Disposal.ANSWERED:
        return Reception.Outcome.ANSWERED, None
    if disposal in SENT_ON:
        if first["referred_to"] is not None:
            return Reception.Outcome.REFERRED, first["referred_to"]
        return Reception.Outcome.NONE, None
    return Reception.Outcome.CASE, None


def _matter_from_outcome(matter, category, outcome, referred_to, outcome_note) -> dict:
    """The old call (one matter, an outcome) as a matter item."""
    disposal = {
        Reception.Outcome.ANSWERED: ReceptionMatter.Disposal.ANSWERED,
        Reception.Outcome.NONE: ReceptionMatter.Disposal.ANSWERED,
        Reception.Outcome.REFERRED: ReceptionMatter.Disposal.TOWN,
        Reception.Outcome.CASE: ReceptionMatter.Disposal.SUGGESTION,
    }.get(outcome, outcome)
    return {
        "text": matter,
        "category": category,
        "disposal": disposal,
        "referred_to": referred_to,
        "note": outcome_note,
        "_legacy_case": outcome == Reception.Outcome.CASE,  # no case made at once (reception_to_case later)
    }


def _create_matter(
    actor, reception: Reception, position: int, item: dict, *, make_case: bool
) -> ReceptionMatter:
    matter = ReceptionMatter(
        reception=reception,
        position=position,
        text=item["text"],
        category=item["category"],
        disposal=item["disposal"],
        referred_to=item["referred_to"],
        referred_to_name=item["referred_to_name"],
    )
    if item["disposal"] == ReceptionMatter.Disposal.ANSWERED:
        matter.status = ReceptionMatter.Status.CLOSED
        matter.answer = item["note"]
        matter.answered_at = reception.received_at
        matter.feedback_at = reception.received_at
        matter.feedback_how = ReceptionMatter.FeedbackHow.IN_PERSON
    elif item["disposal"] in SENT_ON:
        matter.answer_due = matter_answer_due(timezone.localdate(reception.received_at))
    matter.save()
    if make_case and item["disposal"] in TO_CASE:
        case = _matter_case(actor, reception, matter, item)
        matter.case = case
        matter.status = ReceptionMatter.Status.CLOSED
        matter.save(update_fields=["case", "status", "updated_at"])
        if reception.case_id is None:
            reception.case = case
            reception.save(update_fields=["case", "updated_at"])
    return matter


def _matter_case(actor, reception: Reception, matter: ReceptionMatter, item: dict) -> Case:
    """The case a matter becomes (代表建议 or 微心愿), through `cases.services.case_create`."""
    kind = TO_CASE[matter.disposal]
    lead = _case_deputy(actor, reception, item.get("deputy"))
    station = reception.station
    beneficiary = None
    category = ""
    amount = item.get("amount")
    if kind == Case.Kind.WISH:
        category = item.get("case_category") or Case.Category.SERVICE
        beneficiary = _beneficiary(reception, item.get("beneficiary"))
    return case_create(
        actor=actor,
        kind=kind,
        title=(item.get("title") or "").strip() or _case_title(matter.text),
        content=matter.text,
        congress=_case_congress(lead, station),
        lead_deputy=lead,
        place=station.place,
        station=station,
        category=category,
        amount=amount,
        beneficiary=beneficiary,
    )


def _beneficiary(reception: Reception, given: dict | None) -> dict:
    """A wish's beneficiary: as given, the name by default the contact visitor's (the address must be given:
    `case_create` asks for it)."""
    given = {k: v for k, v in (given or {}).items() if v}
    return {"name": reception.contact_name, **given}


def _archive_if_done(actor, reception: Reception) -> bool:
    """归档: once every matter of the reception is closed, in the caller's transaction."""
    if reception.archived_at is not None:
        return False
    if reception.matters.exclude(status=ReceptionMatter.Status.CLOSED).exists():
        return False
    if not reception.matters.exists():
        return False
    reception.archived_at = clock.now()
    reception.save(update_fields=["archived_at", "updated_at"])
    audit.record(actor, "reception.archived", reception)
    return True


def _lock_matter(matter_id: int) -> ReceptionMatter:
    try:
        matter = (
            ReceptionMatter.objects.select_for_update(of=("self",))
            .select_related("reception__station__place", "referred_to")
            .get(pk=matter_id)
        )
    except (ReceptionMatter.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such matter."), code="not_found") from None
    return matter


def _clean_when(value, *, field: str, after: dt.datetime, after_message: str) -> dt.datetime:
    """A date (or date-time) something happened: not before `after`, not in the future."""
    if isinstance(value, dt.datetime):
        when = value if timezone.is_aware(value) else timezone.make_aware(value)
    elif isinstance(value, dt.date):
        when = timezone.make_aware(dt.datetime.combine(value, dt.time(12, 0)))
        if value == clock.today():
            when = min(when, clock.now())
    else:
        raise DomainError(_("Enter the date."), field=field, code="required")
    if when > clock.now() + RECEPTION_FUTURE_SLACK:
        raise DomainError(_("The date is in the future."), field=field, code="future")
    if timezone.localdate(when) < timezone.localdate(after):
        raise DomainError(after_message, field=field, code="too_early")
    return when


@transaction.atomic
def matter_answer(*, actor, matter_id: int, answer: str, answered_on) -> ReceptionMatter:
    """办理答复: the answer to a matter sent on (open → answered). By the station's staff, congress staff
    covering its place, or a handler of the unit it was sent to. Locks the matter and its reception."""
    matter = _lock_matter(matter_id)
    ensure(actor, "activities.answer_matter", matter)
    Reception.objects.select_for_update(of=("self",)).filter(pk=matter.reception_id).first()
    if matter.disposal not in SENT_ON:
        raise TransitionNotAllowed(_("Only a matter sent on awaits an answer."), code="not_sent_on")
    if matter.status != ReceptionMatter.Status.OPEN:
        raise TransitionNotAllowed(
            _("This matter is already %(status)s.") % {"status": matter.get_status_display()},
            code="not_open",
        )
    text = (answer or "").strip()
    if not text:
        raise DomainError(_("Enter the answer."), field="answer", code="required")
    checks.check_length(text, field="answer", model=ReceptionMatter)
    when = _clean_when(
        answered_on,
        field="answered_on",
        after=matter.reception.received_at,
        after_message=_("The answer cannot come before the reception."),
    )
    matter.move_to(ReceptionMatter.Status.ANSWERED)
    matter.answer, matter.answered_at = text, when
    matter.save(update_fields=["status", "answer", "answered_at", "updated_at"])
    audit.record(actor, "reception_matter.answered", matter, reception=matter.reception_id)
    return matter


@transaction.atomic
def matter_feedback(*, actor, matter_id: int, feedback_on, how: str, note: str = "") -> ReceptionMatter:
    """反馈: the visitor was told the answer (answered → closed); archives the reception when every matter is
    closed (same transaction). Locks the matter and its reception."""
    matter = _lock_matter(matter_id)
    ensure(actor, "activities.feedback_matter", matter)
    reception = Reception.objects.select_for_update(of=("self",)).get(pk=matter.reception_id)
    if matter.status == ReceptionMatter.Status.OPEN:
        raise TransitionNotAllowed(
            _("The visitor is told once the matter is answered: record the answer first."),
            code="not_answered",
        )
    if matter.status == ReceptionMatter.Status.CLOSED:
        raise TransitionNotAllowed(_("This matter is already closed."), code="closed")
    if how not in ReceptionMatter.FeedbackHow.values:
        raise DomainError(_("Choose how the visitor was told."), field="how", code="invalid_choice")
    note = (note or "").strip()
    checks.check_length(note, field="note", limit=FEEDBACK_NOTE_MAX)
    assert matter.answered_at is not None
    when = _clean_when(
        feedback_on,
        field="feedback_on",
        after=matter.answered_at,
        after_message=_("The visitor is told after the answer came."),
    )
    matter.move_to(ReceptionMatter.Status.CLOSED)
    matter.feedback_at, matter.feedback_how, matter.feedback_note = when, how, note
    matter.save(update_fields=["status", "feedback_at", "feedback_how", "feedback_note", "updated_at"])
    audit.record(actor, "reception_matter.feedback", matter, reception=reception.pk, how=how)
    _archive_if_done(actor, reception)
    return matter
