"""Reads of congresses, terms and sessions. The structure of the congresses is public: nothing here is scoped
to the caller (who may *change* a congress is decided by `congresses.manage`)."""

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from minsheng.places.models import Place

from .models import Congress, Session, Term


def default_region() -> str:
    """The region prefix of the default city (江门: 4407), from settings.MINSHENG["DEFAULT_CITY_CODE"]."""
    code = str(settings.MINSHENG["DEFAULT_CITY_CODE"])
    return Place.prefix_of(code, Place.Level.CITY) if len(code) == 6 else code


# The deputies' seats point at their congress (`Seat.congress`, related name "seats"); congresses sit below the
# deputies and read them through that relation. `deputies.Seat.Status.ACTIVE` (a test there holds them equal).
SEAT_IN_OFFICE = "active"


def congress_list(
    *, level: str = "", region: str = "", parent_id: int | None = None, q: str = ""
) -> QuerySet[Congress]:
    """Congresses in tree order (ordering by region prefix visits each congress before those below it).

    `region` keeps the congresses whose region lies within that code prefix; each row carries
    `active_seats` (seats in office), its place and its terms (newest first)."""
    congresses = Congress.objects.all()
    if level:
        congresses = congresses.filter(level=level)
    if region:
        congresses = congresses.filter(region_prefix__startswith=region)
    if parent_id is not None:
        congresses = congresses.filter(parent_id=parent_id)
    q = (q or "").strip()
    if q:
        congresses = congresses.filter(
            Q(name__icontains=q) | Q(place__name__icontains=q) | Q(place__code__startswith=q)
        )
    return (
        congresses.select_related("place")
        .prefetch_related(Prefetch("terms", queryset=Term.objects.order_by("-number")))
        .annotate(active_seats=Count("seats", filter=Q(seats__status=SEAT_IN_OFFICE), distinct=True))
        .order_by("region_prefix", "id")
    )


def congress_get(*, congress_id: int) -> Congress:
    """One congress with its place, the congress above, and its terms and their sessions."""
    return (
        Congress.objects.select_related("place", "parent", "parent__place")
        .prefetch_related(
            Prefetch(
                "terms",
                queryset=Term.objects.order_by("-number").prefetch_related(
                    Prefetch("sessions", queryset=Session.objects.order_by("number"))
                ),
            )
        )
        .get(pk=congress_id)
    )


def congress_children(congress: Congress) -> QuerySet[Congress]:
    return congress.children.select_related("place").order_by("region_prefix")


def congress_active_seat_count(congress: Congress) -> int:
    return congress.seats.filter(status=SEAT_IN_OFFICE).count()


def congress_streets(congress: Congress) -> QuerySet[Place]:
    """The 街道 a county-level congress covers through its 人大街道工作委员会 (street working committees).

    A 街道 has no congress of its own. The congress of a county (or of 东莞/中山, whose streets hang directly
    below the city) covers the streets of its place; other congresses cover none."""
    place = congress.place
    if place is None or not (
        congress.level == Congress.Level.COUNTY
        or (congress.level == Congress.Level.CITY and not place.has_county_level)
    ):
        return Place.objects.none()
    return Place.objects.filter(parent=place, level=Place.Level.TOWNSHIP, kind=Place.Kind.STREET).order_by(
        "code"
    )


def term_list(*, congress_id: int | None = None, region: str = "") -> QuerySet[Term]:
    terms = Term.objects.select_related("congress").annotate(session_count=Count("sessions"))
    if congress_id is not None:
        terms = terms.filter(congress_id=congress_id)
    if region:
        terms = terms.filter(congress__region_prefix__startswith=region)
    return terms.order_by("congress__region_prefix", "-number")


def session_list(
    *, term_id: int | None = None, congress_id: int | None = None, region: str = ""
) -> QuerySet[Session]:
    sessions = Session.objects.select_related("term", "term__congress")
    if term_id is not None:
        sessions = sessions.filter(term_id=term_id)
    if congress_id is not None:
        sessions = sessions.filter(term__congress_id=congress_id)
    if region:
        sessions = sessions.filter(term__congress__region_prefix__startswith=region)
    return sessions.order_by("term__congress__region_prefix", "-term__number", "number")
