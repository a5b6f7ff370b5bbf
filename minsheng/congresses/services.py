"""Writes to congresses: building a region's congresses from its places, adding terms and sessions."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.common import audit
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError
from minsheng.common.permissions import ensure
from minsheng.places.models import Place

from .models import Congress, Session, Term

NATIONAL_NAME = "全国人民代表大会"


def congress_name(place: Place) -> str:
    return f"{place.name}人民代表大会"


def congress_follow_place_rename(sender, *, place, old_name: str, actor=None, **kwargs) -> bool:
    """A congress still called after its place's old name (“<old>人民代表大会”) takes the new one (the receiver
    of `places.signals.place_renamed`, connected in apps.py). True when one was renamed."""
    return bool(
        Congress.objects.filter(place=place, name=f"{old_name}人民代表大会").update(name=congress_name(place))
    )


@transaction.atomic
def congresses_build(*, region: str = "", actor=None) -> dict[str, int]:
    """Create the congress of every place that has one (province, cities, counties, 镇 and 乡, never a 街道)
    under `region`, plus the national congress. Idempotent."""
    national, _created = Congress.objects.get_or_create(
        level=Congress.Level.NATIONAL, defaults={"name": NATIONAL_NAME, "region_prefix": ""}
    )
    places = list(Place.objects.filter(level__in=list(Congress.LEVEL_OF_PLACE)).order_by("code"))
    if region:
        places = [p for p in places if p.code.startswith(region) or region.startswith(p.prefix)]
    existing = {c.place_id: c for c in Congress.objects.exclude(place=None)}
    by_prefix = {c.region_prefix: c for c in existing.values()}
    created = 0
    for place in places:
        if not place.has_congress or place.pk in existing:
            continue
        parent = national
        for length in (9, 6, 4, 2):
            if length < len(place.prefix) and place.prefix[:length] in by_prefix:
                parent = by_prefix[place.prefix[:length]]
                break
        congress = Congress.objects.create(
            level=Congress.LEVEL_OF_PLACE[place.level],
            place=place,
            parent=parent,
            name=congress_name(place),
            region_prefix=place.prefix,
        )
        existing[place.pk] = congress
        by_prefix[place.prefix] = congress
        created += 1
    audit.record(actor, "congresses.built", None, region=region, created=created)
    return {"created": created}


@transaction.atomic
def term_create(
    *, actor, congress: Congress, number: int, start_date: dt.date, end_date: dt.date | None = None
) -> Term:
    """Add a term (届) to a congress (staff who cover it). Locks the congress row so that two terms added at
    once cannot overlap. A term number is positive and unique; terms follow each other without overlapping,
    and an open-ended previous term is closed the day before the new one starts."""
    congress = Congress.objects.select_for_update().get(pk=congress.pk)
    ensure(actor, "congresses.manage", congress)
    if not isinstance(number, int) or number < 1:
        raise DomainError(_("A term number is a whole number from 1 up."), field="number")
    checks.check_planned_date(start_date, field="start_date")
    checks.check_planned_date(end_date, field="end_date")
    if end_date and end_date <= start_date:
        raise DomainError(_("A term must end after it starts."), field="end_date")
    if congress.terms.filter(number=number).exists():
        raise Conflict(_("This congress already has a term %(n)d.") % {"n": number}, field="number")
    # Terms follow each other in the order of their numbers. An open-ended previous term ends the day
    # before the new one starts (a term lasts until the next congress is elected).
    previous = congress.terms.select_for_update().filter(number__lt=number).order_by("-number").first()
    following = congress.terms.filter(number__gt=number).order_by("number").first()
    closed_previous = None
    if previous is not None:
        if start_date <= previous.start_date + dt.timedelta(days=1):
            raise DomainError(
                _("Term %(n)d must start after term %(prev)d, which started on %(start)s.")
                % {"n": number, "prev": previous.number, "start": previous.start_date},
                field="start_date",
            )
        if previous.end_date is None:
            if previous.sessions.filter(end_date__gte=start_date).exists():
                raise Conflict(
                    _("Term %(prev)d still has sessions on or after %(start)s.")
                    % {"prev": previous.number, "start": start_date},
                    field="start_date",
                )
            previous.end_date = start_date - dt.timedelta(days=1)
            previous.save(update_fields=["end_date", "updated_at"])
            closed_previous = previous.number
        elif previous.end_date > start_date:
            raise Conflict(
                _("The dates overlap term %(n)d (%(start)s – %(end)s).")
                % {"n": previous.number, "start": previous.start_date, "end": previous.end_date},
                field="start_date",
            )
    if following is not None and (end_date is None or end_date > following.start_date):
        raise Conflict(
            _("Term %(n)d must end by %(start)s, when term %(next)d starts.")
            % {"n": number, "start": following.start_date, "next": following.number},
            field="end_date",
        )
    try:
        with transaction.atomic():
            term = Term.objects.create(
                congress=congress, number=number, start_date=start_date, end_date=end_date
            )
    except IntegrityError:
        raise Conflict(_("This congress already has a term %(n)d.") % {"n": number}, field="number") from None
    audit.record(
        actor,
        "term.created",
        term,
        number=number,
        start_date=start_date.isoformat(),
        end_date=end_date.isoformat() if end_date else None,
        closed_previous=closed_previous,
    )
    return term


@transaction.atomic
def session_create(*, actor, term: Term, number: int, start_date: dt.date, end_date: dt.date) -> Session:
    """Add a session (第N次会议) to a term (staff who cover its congress). Locks the term row. A session lies
    within its term, its number is positive and unique in the term, and sessions do not overlap."""
    term = Term.objects.select_for_update(of=("self",)).select_related("congress").get(pk=term.pk)
    ensure(actor, "congresses.manage", term.congress)
    if not isinstance(number, int) or number < 1:
        raise DomainError(_("A session number is a whole number from 1 up."), field="number")
    checks.check_planned_date(start_date, field="start_date")
    checks.check_planned_date(end_date, field="end_date")
    if end_date < start_date:
        raise DomainError(_("A session must end on or after the day it starts."), field="end_date")
    if start_date < term.start_date or (term.end_date and end_date > term.end_date):
        raise DomainError(
            _("The session must lie within the term (%(start)s – %(end)s).")
            % {"start": term.start_date, "end": term.end_date or "…"},
            field="start_date",
        )
    if term.sessions.filter(number=number).exists():
        raise Conflict(_("This term already has a session %(n)d.") % {"n": number}, field="number")
    other = (
        term.sessions.filter(start_date__lte=end_date, end_date__gte=start_date).order_by("number").first()
    )
    if other is not None:
        raise Conflict(
            _("The dates overlap session %(n)d (%(start)s – %(end)s).")
            % {"n": other.number, "start": other.start_date, "end": other.end_date},
            field="start_date",
        )
    try:
        with transaction.atomic():
            session = Session.objects.create(
                term=term, number=number, start_date=start_date, end_date=end_date
            )
    except IntegrityError:
        raise Conflict(_("This term already has a session %(n)d.") % {"n": number}, field="number") from None
    audit.record(
        actor,
        "session.created",
        session,
        term=term.number,
        number=number,
        start_date=start_date.isoformat(),
        end_date=end_date.isoformat(),
    )
    return session
