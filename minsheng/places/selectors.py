"""Reads of places. The divisions are public: nothing here is scoped to the caller."""

from django.db.models import Count, QuerySet

from .models import Place


def place_get(*, code: str) -> Place:
    """One place by its code (raises Place.DoesNotExist), with its congress if it has one."""
    return Place.objects.select_related("congress", "parent").get(code=code)


def place_root() -> Place | None:
    """The place a drill-down starts from: the only place without a parent (the province), if there is one."""
    roots = list(Place.objects.filter(parent=None)[:2])
    return roots[0] if len(roots) == 1 else None


def place_ancestors(place: Place) -> list[Place]:
    """The places above `place`, the province first (one query, read off the code)."""
    codes = place.ancestor_codes()
    if not codes:
        return []
    found = {p.code: p for p in Place.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def congress_covering_place(place: Place):
    """The congress whose region holds `place` most closely: its own, or for a 街道, a development zone or a
    village the nearest congress above it (a 街道 is covered by its county-level congress). Read through the
    places' own congress (`Place.congress`), so that places need not know the congresses' code."""
    code = place.code
    candidates = {c for c in (code[:9], code[:6], code[:4], code[:2]) if len(c) <= len(place.prefix)}
    holders = (
        Place.objects.filter(congress__region_prefix__in=candidates)
        .exclude(congress__level="national")
        .select_related("congress")
    )
    return max((p.congress for p in holders), key=lambda c: len(c.region_prefix), default=None)


def place_list(
    *,
    parent: Place | None = None,
    children_only: bool = True,
    level: str = "",
    kind: str = "",
    q: str = "",
) -> QuerySet[Place]:
    """Places below `parent`: its children (`children_only`), or every place beneath it; without a parent,
    the top places (`children_only`) or all places.

    `q` is a code prefix if it is all digits, otherwise part of the name. Each row carries `child_count`
    and its congress (if any)."""
    q = (q or "").strip()
    places = Place.objects.all()
    if parent is not None and children_only:
        places = places.filter(parent=parent)
    elif parent is not None:
        places = places.filter(code__startswith=parent.child_code_start).exclude(pk=parent.pk)
    elif children_only:
        places = places.filter(parent=None)
    if level:
        places = places.filter(level=level)
    if kind:
        places = places.filter(kind=kind)
    if q:
        places = places.filter(code__startswith=q) if q.isdigit() else places.filter(name__icontains=q)
    return places.select_related("congress").annotate(child_count=Count("children")).order_by("code")
