"""Writes to congresses: building a region's congresses from its places, adding terms and sessions."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.common import audit
from minsheng.common.errors import Conflict, DomainError
from minsheng.common.permissions import ensure
from minsheng.places.models import Place

from .models import Congress, Session, Term

NATIONAL_NAME = "全国人民代表大会"


def congress_name(place: Place) -> str:
    return f"{place.name}人民代表大会"


@transaction.atomic
def congresses_build(*, region: str = "", actor=None) -> dict[str, int]:
    """Create the congress of every place that has one (province, cities, counties, 镇 and 乡, never a 街道)
    under `region`, plus the national congress. Idempotent."""
    national, _created = Congress.objects.get_or_create(
        level=Congress.Level.NATIONAL, defaults={"name": NATIONAL_NAME, "region_prefix": ""}
    )
    places = Place.objects.filter(level__in=list(Congress.LEVEL_OF_PLACE)).order_by("code")
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
    *, actor, congress: Congress, number: int, start_date: dt.date, end_date: dt.date | None
) -> Term:
    """Add a term (届) to a congress."""
    ensure(actor, "congresses.manage", congress)
    if end_date and end_date <= start_date:
        raise DomainError(_("A term must end after it starts."), field="end_date")
    try:
        with transaction.atomic():
            term = Term.objects.create(
                congress=congress, number=number, start_date=start_date, end_date=end_date
            )
    except IntegrityError:
        raise Conflict(_("This congress already has a term %(n)d.") % {"n": number}, field="number") from None
    audit.record(actor, "term.created", term, number=number)
    return term


@transaction.atomic
def session_create(*, actor, term: Term, number: int, start_date: dt.date, end_date: dt.date) -> Session:
    """Add a session (第N次会议) to a term."""
    ensure(actor, "congresses.manage", term.congress)
    if end_date < start_date:
        raise DomainError(_("A session must end on or after the day it starts."), field="end_date")
    if start_date < term.start_date or (term.end_date and end_date > term.end_date):
        raise DomainError(_("The session must lie within the term."), field="start_date")
    try:
        with transaction.atomic():
            session = Session.objects.create(
                term=term, number=number, start_date=start_date, end_date=end_date
            )
    except IntegrityError:
        raise Conflict(_("This term already has a session %(n)d.") % {"n": number}, field="number") from None
    audit.record(actor, "session.created", session, number=number)
    return session
