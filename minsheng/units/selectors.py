"""Reads of handling units. The units are public; their handlers are not (see permissions.py)."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from minsheng.accounts.models import User
from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.congresses.models import Congress
from minsheng.places.models import Place

from .models import Unit

# Within a place: the government first, then its departments, then the other bodies (一府一委两院).
KIND_ORDER = Case(
    *[When(kind=kind, then=Value(i)) for i, kind in enumerate(Unit.Kind.values)],
    default=Value(len(Unit.Kind.values)),
    output_field=IntegerField(),
)


def unit_list(
    *,
    level: str = "",
    kind: str = "",
    congress_id: int | None = None,
    region: str = "",
    parent_id: int | None = None,
    q: str = "",
    active: bool | None = None,
) -> QuerySet[Unit]:
    """Units filtered for the public list. `region` keeps the units of congresses within that code prefix;
    `q` searches the name and short name. Each row carries `child_count`."""
    units = Unit.objects.all()
    if level:
        units = units.filter(level=level)
    if kind:
        units = units.filter(kind=kind)
    if congress_id is not None:
        units = units.filter(congress_id=congress_id)
    if region:
        units = units.filter(congress__region_prefix__startswith=region)
    if parent_id is not None:
        units = units.filter(parent_id=parent_id)
    if active is not None:
        units = units.filter(is_active=active)
    q = (q or "").strip()
    if q:
        units = units.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return (
        units.select_related("place", "congress", "parent")
        .annotate(child_count=Count("children"))
        .order_by("place__code", KIND_ORDER, "name", "id")
    )


def unit_get(*, unit_id: int) -> Unit:
    return Unit.objects.select_related("place", "congress", "parent").get(pk=unit_id)


def unit_children(unit: Unit) -> QuerySet[Unit]:
    return unit.children.select_related("place").order_by(KIND_ORDER, "name")


def unit_handlers(unit: Unit) -> QuerySet[User]:
    """The unit's handlers (accounts with the unit-handler role). Callers check `units.view_handlers`."""
    return User.objects.filter(unit=unit, role=User.Role.UNIT_HANDLER, is_active=True).order_by(
        "display_name", "username"
    )


def unit_place_choices(actor) -> QuerySet[Place]:
    """Places where this actor may add units: city, county and township places within their region."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Place.objects.none()
    return Place.objects.filter(
        code__startswith=prefix,
        level__in=[Place.Level.CITY, Place.Level.COUNTY, Place.Level.TOWNSHIP],
    ).order_by("code")


def unit_parent_choices(actor) -> QuerySet[Unit]:
    """Units that may stand above a unit this actor manages: those of congresses within their region and of
    the congresses above it."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Unit.objects.none()
    above = [prefix[:n] for n in (2, 4, 6, 9) if n < len(prefix)]
    return (
        Unit.objects.filter(
            Q(congress__region_prefix__startswith=prefix) | Q(congress__region_prefix__in=above)
        )
        .exclude(congress__level=Congress.Level.NATIONAL)
        .select_related("congress")
        .order_by("congress__region_prefix", "kind", "name")
    )
