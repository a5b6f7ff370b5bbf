"""Reads of liaison stations.

Open stations are public. What the public sees of the deputies attached to a station is their NAME and the
LEVELS of their seats in office, nothing else: `station_deputies` loads only those columns, so no ID number
or mobile number (encrypted, and never decrypted here) can reach a public page or the public API.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common import clock
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress
from minsheng.congresses.selectors import default_region
from minsheng.deputies.models import Deputy, Seat
from minsheng.deputies.selectors import deputy_search_q
from minsheng.places.models import Place
from minsheng.places.selectors import congress_covering_place, place_ancestors

from .models import Station, StationDeputy

LEVEL_ORDER = {level: i for i, level in enumerate(Congress.Level.values)}


def responsible_congress(place: Place) -> Congress | None:
    """The congress whose staff run a station at `place`: the place's own, or for a 街道 (no congress of its
    own) or a village, the nearest congress above it."""
    return congress_covering_place(place)


def counties(region: str | None = None) -> QuerySet[Place]:
    """The county-level places of the default city (江门's seven), for the public filter."""
    region = default_region() if region is None else region
    return Place.objects.filter(level=Place.Level.COUNTY, code__startswith=region).order_by("code")


def station_list(
    actor=None,
    *,
    q: str = "",
    county: str = "",
    kind: str = "",
    include_closed: bool = False,
) -> QuerySet[Station]:
    """Open stations, searched by name, place or address, filtered by county code and kind.

    `include_closed` adds the closed stations the actor manages (staff: those of congresses in their region;
    station staff: their own); the public never sees a closed station."""
    visible = Q(is_active=True)
    if include_closed and actor is not None:
        prefix = staff_scope_prefix(actor)
        if prefix is not None:
            visible |= Q(congress__region_prefix__startswith=prefix)
        elif has_role(actor, Role.STATION_STAFF):
            visible |= Q(pk=actor.station_id)
    stations = Station.objects.filter(visible)
    if q := (q or "").strip():
        stations = stations.filter(
            Q(name__icontains=q) | Q(place__name__icontains=q) | Q(address__icontains=q)
        )
    if county:
        stations = stations.filter(place__code__startswith=county[:6])
    if kind:
        stations = stations.filter(kind=kind)
    return (
        stations.select_related("place", "place__parent")
        .annotate(deputy_count=Count("attachments"))
        .order_by("place__code", "name", "id")
    )


def station_get_for(actor, pk) -> Station:
    """A station the actor may see: any open one; a closed one only for those who manage it (404 otherwise)."""
    try:
        station = Station.objects.select_related("place", "congress").get(pk=pk)
    except (Station.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(actor, "stations.view", station):
        raise Http404
    return station


@dataclass
class PublicDeputy:
    """What the public may know of an attached deputy: the name and the levels of the seats in office."""

    name: str
    levels: list[str] = field(default_factory=list)
    level_labels: list[str] = field(default_factory=list)
    id: int | None = None  # for the management page only; never rendered on public pages


def station_deputies(station: Station | int) -> list[PublicDeputy]:
    """The deputies attached to one station in pinyin order, with the levels of their seats in office."""
    station_id = station.pk if isinstance(station, Station) else station
    return stations_deputies([station_id])[station_id]


def stations_deputies(station_ids: list[int]) -> dict[int, list[PublicDeputy]]:
    """The attached deputies of a page of stations, each in pinyin order with the levels (national first) of
    the seats in office. Three queries whatever the number of stations; only id, name and name_sort of a
    deputy are read, so no personal data leaves the database."""
    attachments = list(
        StationDeputy.objects.filter(station_id__in=station_ids).values_list("station_id", "deputy_id")
    )
    deputy_ids = {d for _s, d in attachments}
    deputies = (
        Deputy.objects.filter(pk__in=deputy_ids)
        .only("id", "name", "name_sort")
        .prefetch_related(
            Prefetch(
                "seats",
                queryset=Seat.objects.filter(status=Seat.Status.ACTIVE)
                .select_related("congress")
                .only("id", "deputy_id", "congress__id", "congress__level")
                .order_by(),
                to_attr="active_seats",
            )
        )
    )
    public = {}
    for deputy in deputies:
        levels = sorted({s.congress.level for s in deputy.active_seats}, key=lambda level: LEVEL_ORDER[level])
        public[deputy.pk] = (
            deputy.name_sort,
            PublicDeputy(
                id=deputy.pk,
                name=deputy.name,
                levels=levels,
                level_labels=[str(Congress.Level(level).label) for level in levels],
            ),
        )
    result: dict[int, list] = {station_id: [] for station_id in station_ids}
    for station_id, deputy_id in attachments:
        if deputy_id in public:
            result[station_id].append(public[deputy_id])
    return {
        station_id: [p for _key, p in sorted(rows, key=lambda row: (row[0], row[1].id))]
        for station_id, rows in result.items()
    }


def area_congress_prefixes(station: Station) -> list[str]:
    """The region prefixes of the congresses above a station's place: national, province, city, county,
    township (the five levels whose deputies may be attached)."""
    place = station.place
    return list(dict.fromkeys(place.code[:n] for n in (0, 2, 4, 6, 9) if n <= len(place.prefix)))


def deputy_candidates_for(station: Station, *, q: str = "") -> QuerySet[Deputy]:
    """Deputies who may be attached to `station` ("五级代表进站"): a seat in office in a congress above the
    station's place (national … township) or within the responsible congress's region. Pinyin order."""
    congresses = Congress.objects.filter(
        Q(region_prefix__in=area_congress_prefixes(station))
        | Q(region_prefix__startswith=station.congress.region_prefix)
    )
    seats = Seat.objects.filter(
        congress_id__in=list(congresses.values_list("pk", flat=True)), status=Seat.Status.ACTIVE
    )
    deputies = Deputy.objects.filter(pk__in=seats.values("deputy_id")).only("id", "name", "name_sort")
    if (search := deputy_search_q(q)) is not None:
        deputies = deputies.filter(search)
    # Namesakes are told apart by their seats (陈国 of 台山市, 陈国 of 海宴镇): names and congresses only.
    active_seats = Prefetch(
        "seats",
        queryset=Seat.objects.filter(status=Seat.Status.ACTIVE)
        .select_related("congress")
        .only("id", "deputy_id", "congress__id", "congress__name", "congress__level")
        .order_by(),
        to_attr="active_seats",
    )
    return deputies.prefetch_related(active_seats).order_by("name_sort", "id")


def ancestors_of(station: Station) -> list[Place]:
    """The place of the station and the places above it, the province first."""
    return [*place_ancestors(station.place), station.place]


def station_receptions_this_year(station: Station) -> int:
    """The number of receptions at a station this calendar year: all a public page may say of them."""
    # Through the reverse relation of `activities.Reception.station` (the schema, not an import: activities
    # sits above stations).
    today = clock.today()
    return station.receptions.filter(
        received_at__date__gte=dt.date(today.year, 1, 1), received_at__date__lte=today
    ).count()
