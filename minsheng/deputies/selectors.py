"""Reads of deputies and seats, always scoped to the caller.

Scope: congress staff see the deputies who hold (or held) a seat in a congress within their congress's region
(its `region_prefix`); admins see every deputy; nobody else has a list. One deputy may be seen by more people
(the deputy, the staff of a station the deputy is attached to): `deputy_get_for` asks the `deputies.view` rule.

Performance (150,000 deputies in Guangdong): the scope and the seat filters are one `IN (SELECT deputy_id
FROM seat ...)` subquery on the `seat_congress_status_idx` index, so no join multiplies rows and no DISTINCT
is needed; a name search is an indexed prefix lookup on `name` or on `name_pinyin`; the seats shown on a
page are prefetched with their congress and term in one query.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.common.models import AuditRecord
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress, Term

from .models import Deputy, Seat, normalize_pinyin_query

# Congress levels above the township: always offered in the congress filter; township congresses are
# offered below the county chosen (a province has ~1,600 of them).
UPPER_LEVELS = (
    Congress.Level.NATIONAL,
    Congress.Level.PROVINCIAL,
    Congress.Level.CITY,
    Congress.Level.COUNTY,
)


def seats_prefetch() -> Prefetch:
    return Prefetch("seats", queryset=Seat.objects.select_related("congress", "term"))


def congresses_in_scope(actor) -> QuerySet[Congress]:
    """The congresses whose deputies the actor may list (none for anyone but staff and admins)."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Congress.objects.none()
    congresses = Congress.objects.all()
    if prefix:
        congresses = congresses.filter(region_prefix__startswith=prefix)
    return congresses


def _id_of(value) -> int | None:
    if value in (None, ""):
        return None
    return value.pk if hasattr(value, "pk") else int(value)


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`. On SQLite as a range (prefix <= field < next prefix), which its index
    serves (its LIKE is case-insensitive and cannot); SQLite compares by code point, so the range is exact.
    On PostgreSQL as LIKE 'prefix%': a range would be wrong under a linguistic collation (zh_CN sorts 曾 by
    pinyin), and the varchar_pattern_ops indexes serve LIKE under any collation."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__startswith": prefix})
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def deputy_search_q(q: str) -> Q | None:
    """A name prefix (曾丽, 曾) or a pinyin prefix, spaces and case ignored ("zengli", "zeng li", "Zeng").

    A query of Latin letters is a pinyin query (a Latin name's pinyin is its own letters); anything else is a
    name prefix. Either way one indexed range: `name_pinyin` or `name`."""
    q = (q or "").strip()
    if not q:
        return None
    pinyin = normalize_pinyin_query(q)
    if pinyin:
        return prefix_q("name_pinyin", pinyin)
    return prefix_q("name", q)


def deputy_list_for(
    actor,
    *,
    congress=None,
    level: str | None = None,
    q: str = "",
    status: str | None = None,
    station=None,
) -> QuerySet[Deputy]:
    """The deputies the actor may list, filtered and ordered by pinyin.

    `congress` (a congress or its id), `level` and `status` apply to one and the same seat: "deputies with a
    seat in office in 台山市's congress". `station` keeps the deputies attached to that station.
    """
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Deputy.objects.none()
    congress_id = _id_of(congress)
    seats = Seat.objects.all()
    by_seat = bool(prefix or congress_id is not None or level or status)
    if prefix or congress_id is not None or level:
        # The congresses concerned as a list of ids: the seat subquery is then a range scan of the
        # (congress, status) index instead of a join that reads every seat.
        congresses = congresses_in_scope(actor)
        if congress_id is not None:
            congresses = congresses.filter(pk=congress_id)
        if level:
            congresses = congresses.filter(level=level)
        seats = seats.filter(congress_id__in=list(congresses.values_list("pk", flat=True)))
    if status:
        seats = seats.filter(status=status)
    deputies = Deputy.objects.all()
    if by_seat:
        deputies = deputies.filter(pk__in=seats.values("deputy_id"))
    station_id = _id_of(station)
    if station_id is not None:
        # Through the reverse relation of `stations.StationDeputy.deputy` (stations sit above deputies): a
        # deputy is attached to a station once, so the join adds no duplicate.
        deputies = deputies.filter(station_attachments__station_id=station_id)
    ordering: list = ["name_sort", "id"]
    if (search := deputy_search_q(q)) is not None:
        deputies = deputies.filter(search)
        # The matches of a prefix are few and may all sit at the end of the pinyin order (曾 zeng): sort them
        # rather than let the database walk the name_sort index from "a" (Lower() is a no-op on the key, which
        # is lower case already, but no index serves it).
        ordering = [Lower("name_sort"), "id"]
    return deputies.prefetch_related(seats_prefetch()).order_by(*ordering)


@dataclass(frozen=True)
class StationRef:
    id: int
    name: str


def station_named(station_id: int) -> StationRef | None:
    """The id and name of a station, for the list filtered by it: one query, read through the reverse
    relation of `stations.Station.congress` (stations sit above deputies; the schema is not an import)."""
    row = (
        Congress.objects.filter(stations__pk=station_id).values_list("stations__pk", "stations__name").first()
    )
    return StationRef(*row) if row else None


def deputy_get_for(actor, pk) -> Deputy:
    """One deputy the actor may see (staff in scope, admins, the deputy, the staff of the deputy's station);
    404 for anyone else, so that another congress's deputy is simply not there."""
    try:
        deputy = Deputy.objects.prefetch_related(seats_prefetch()).get(pk=pk)
    except (Deputy.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(actor, "deputies.view", deputy):
        raise Http404
    return deputy


def seat_list_for(
    actor, *, congress=None, deputy=None, status: str | None = None, term=None
) -> QuerySet[Seat]:
    """Seats in congresses within the actor's region (staff), every seat (admins), none for others."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Seat.objects.none()
    seats = Seat.objects.select_related("congress", "term", "deputy").only(
        *(f.name for f in Seat._meta.concrete_fields),
        "congress__name",
        "congress__level",
        "term__number",
        "deputy__name",
    )
    if prefix:
        seats = seats.filter(congress_id__in=list(congresses_in_scope(actor).values_list("pk", flat=True)))
    if (congress_id := _id_of(congress)) is not None:
        seats = seats.filter(congress_id=congress_id)
    if (deputy_id := _id_of(deputy)) is not None:
        seats = seats.filter(deputy_id=deputy_id)
    if (term_id := _id_of(term)) is not None:
        seats = seats.filter(term_id=term_id)
    if status:
        seats = seats.filter(status=status)
    # Newest last, by id: any other order would sort every seat of a province for each page.
    return seats.order_by("id")


def seat_get_for(actor, pk) -> Seat:
    """A seat whose deputy the actor may see; 404 otherwise (whether the actor may *end* it is the
    service's question)."""
    try:
        seat = Seat.objects.select_related("congress", "term", "deputy").get(pk=pk)
    except (Seat.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    deputy_get_for(actor, seat.deputy_id)
    return seat


def congress_filter_choices(actor, *, selected: Congress | None = None) -> list[Congress]:
    """The congresses offered by the list's congress filter: every congress in scope above the township, and
    the township congresses below the actor's own county or below the county chosen. Tree order."""
    congresses = congresses_in_scope(actor)
    parents = set()
    own = getattr(actor, "congress", None) if staff_scope_prefix(actor) else None
    for congress in (own, selected):
        if congress is None:
            continue
        if congress.level == Congress.Level.COUNTY:
            parents.add(congress.pk)
        elif congress.level == Congress.Level.TOWNSHIP and congress.parent_id:
            parents.add(congress.parent_id)
    condition = Q(level__in=UPPER_LEVELS) | Q(parent_id__in=parents)
    return list(congresses.filter(condition).order_by("region_prefix", "id"))


def terms_manageable_by(actor) -> QuerySet[Term]:
    """Terms of the congresses the actor may add seats to (the actor's region), newest first per congress."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Term.objects.none()
    terms = Term.objects.select_related("congress")
    if prefix:
        terms = terms.filter(congress__region_prefix__startswith=prefix)
    return terms.order_by("congress__region_prefix", "-number")


def deputy_history(deputy: Deputy) -> QuerySet[AuditRecord]:
    """The audit records of a deputy and of the deputy's seats, newest first."""
    deputy_type = ContentType.objects.get_for_model(Deputy)
    seat_type = ContentType.objects.get_for_model(Seat)
    seat_ids = [str(seat.pk) for seat in deputy.seats.all()]
    return AuditRecord.objects.filter(
        Q(target_type=deputy_type, target_id=str(deputy.pk))
        | Q(target_type=seat_type, target_id__in=seat_ids)
    ).select_related("actor")
