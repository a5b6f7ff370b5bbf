"""Writes to handling units (承办单位): adding a unit and changing it.

A unit's level and supervising congress follow from its place: the congress of the place, or for a 街道 (or
a development zone) the county-level congress that covers it.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.common import audit
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError
from minsheng.common.permissions import ensure
from minsheng.congresses.models import Congress
from minsheng.places.models import Place
from minsheng.places.selectors import congress_covering_place

from .models import Unit

UNSET = object()  # "leave as it is", where None means "no parent"
UPDATABLE_FIELDS = ("name", "short_name", "kind", "place", "parent", "is_active")


def _supervising_congress(place: Place) -> Congress:
    if place.level not in Unit.Level.values:
        raise DomainError(
            _("A handling unit belongs to a city, a county or a township; %(place)s is a %(level)s.")
            % {"place": place.name, "level": place.get_level_display()},
            field="place",
        )
    congress = congress_covering_place(place)
    if congress is None:
        raise DomainError(
            _("No people's congress covers %(place)s yet.") % {"place": place.name}, field="place"
        )
    return congress


def _check_name_free(name: str, *, unit_id: int | None) -> None:
    others = Unit.objects.filter(name=name).select_related("congress")
    if unit_id is not None:
        others = others.exclude(pk=unit_id)
    other = others.first()
    if other is not None:
        raise Conflict(
            _("A handling unit named “%(name)s” already exists (under %(congress)s).")
            % {"name": name, "congress": other.congress.name},
            field="name",
            code="duplicate_name",
        )


def _check_parent(parent: Unit | None, *, congress: Congress, unit_id: int | None) -> None:
    """The parent must be of the same congress or of a congress above, and not the unit or below it.
    Locks the chain of ancestors so that two concurrent moves cannot close a loop."""
    if parent is None:
        return
    parent = Unit.objects.select_for_update(of=("self",)).select_related("congress").get(pk=parent.pk)
    if unit_id is not None and parent.pk == unit_id:
        raise DomainError(_("A unit cannot be its own parent."), field="parent", code="parent_cycle")
    if not parent.congress.covers(congress):
        raise DomainError(
            _("The parent unit must belong to %(congress)s or to a congress above it.")
            % {"congress": congress.name},
            field="parent",
        )
    seen = {parent.pk}
    ancestor_id = parent.parent_id
    while ancestor_id is not None and ancestor_id not in seen:
        if ancestor_id == unit_id:
            raise DomainError(
                _("A unit cannot be placed below one of its own sub-units."),
                field="parent",
                code="parent_cycle",
            )
        seen.add(ancestor_id)
        ancestor_id = Unit.objects.select_for_update().values_list("parent_id", flat=True).get(pk=ancestor_id)


def _check_kind(kind: str) -> str:
    if kind not in Unit.Kind.values:
        raise DomainError(_("Choose the kind of unit."), field="kind")
    return kind


@transaction.atomic
def unit_create(
    *,
    actor,
    name: str,
    kind: str,
    place: Place,
    short_name: str = "",
    parent: Unit | None = None,
    is_active: bool = True,
) -> Unit:
    """Add a handling unit (staff who cover the congress of its place). The name is unique."""
    congress = _supervising_congress(place)
    ensure(actor, "units.create", congress)
    name = checks.clean_text(name, field="name", limit=100, required=True)
    short_name = checks.clean_text(short_name, field="short_name", limit=50)
    kind = _check_kind(kind)
    _check_parent(parent, congress=congress, unit_id=None)
    _check_name_free(name, unit_id=None)
    try:
        with transaction.atomic():
            unit = Unit.objects.create(
                name=name,
                short_name=short_name,
                kind=kind,
                level=place.level,
                place=place,
                congress=congress,
                parent=parent,
                is_active=is_active,
            )
    except IntegrityError:
        _check_name_free(name, unit_id=None)
        raise
    audit.record(
        actor,
        "unit.created",
        unit,
        name=name,
        kind=kind,
        place=place.code,
        congress=congress.pk,
        parent=parent.pk if parent else None,
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor,
    unit_id: int,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    place: Place | None = None,
    parent=UNSET,
    is_active: bool | None = None,
) -> Unit:
    """Change a handling unit (staff who cover its congress, and the new one if the place moves it).
    Arguments left out stay as they are; `parent=None` removes the parent. Locks the unit."""
    unit = Unit.objects.select_for_update(of=("self",)).select_related("congress", "place").get(pk=unit_id)
    ensure(actor, "units.update", unit)
    before = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "place": unit.place.code,
        "congress": unit.congress_id,
        "parent": unit.parent_id,
        "is_active": unit.is_active,
    }
    if name is not None:
        unit.name = checks.clean_text(name, field="name", limit=100, required=True)
    if short_name is not None:
        unit.short_name = checks.clean_text(short_name, field="short_name", limit=50)
    if kind is not None:
        unit.kind = _check_kind(kind)
    if place is not None and place.pk != unit.place_id:
        congress = _supervising_congress(place)
        ensure(actor, "units.create", congress)
        unit.place, unit.level, unit.congress = place, place.level, congress
        stranded = unit.children.exclude(congress__region_prefix__startswith=congress.region_prefix).first()
        if stranded is not None:
            raise DomainError(
                _("Its sub-unit %(child)s would no longer lie within %(congress)s.")
                % {"child": stranded.name, "congress": congress.name},
                field="place",
            )
    if parent is not UNSET:
        unit.parent = parent
    if is_active is not None:
        unit.is_active = is_active
    if parent is not UNSET or place is not None:
        _check_parent(unit.parent, congress=unit.congress, unit_id=unit.pk)
    if unit.name != before["name"]:
        _check_name_free(unit.name, unit_id=unit.pk)
    after = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "place": unit.place.code,
        "congress": unit.congress_id,
        "parent": unit.parent_id,
        "is_active": unit.is_active,
    }
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if not changes:
        return unit
    try:
        with transaction.atomic():
            unit.save(update_fields=[*UPDATABLE_FIELDS, "level", "congress", "updated_at"])
    except IntegrityError:
        _check_name_free(unit.name, unit_id=unit.pk)
        raise
    audit.record(actor, "unit.updated", unit, changes=changes)
    return unit
