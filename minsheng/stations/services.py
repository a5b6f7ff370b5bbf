"""Writes to liaison stations: add and edit a station, attach and detach deputies ("五级代表进站"). The receptions
(接待) at a station are written by `minsheng.activities.services`.

Rules: `stations.create` on the responsible congress, `stations.manage` on the station. Locks the station
row before deciding on its deputies.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.common import audit
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError
from minsheng.common.permissions import ensure
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place

from .models import Station, StationDeputy
from .selectors import deputy_candidates_for, responsible_congress

EDITABLE_FIELDS = ("name", "kind", "place", "address", "opening_hours", "phone", "description", "is_active")
_TEXT_FIELDS = ("name", "address", "opening_hours", "phone", "description")


def _clean_text(field: str, value) -> str:
    """A station's text: stripped, its name and address required, no longer than the model allows."""
    return checks.clean_text(
        value,
        field=field,
        required=field in ("name", "address"),
        message=_("Enter the name of the station.")
        if field == "name"
        else _("Enter the address of the station."),
        model=Station,
    )


def _clean_kind(kind: str) -> str:
    if kind not in Station.Kind.values:
        raise DomainError(_("Choose the kind of station."), field="kind", code="invalid_choice")
    return kind


def _congress_for(place: Place, congress: Congress | None) -> Congress:
    congress = congress or responsible_congress(place)
    if congress is None:
        raise DomainError(_("No people's congress covers this place."), field="place", code="no_congress")
    if not place.code.startswith(congress.region_prefix):
        raise DomainError(
            _("%(place)s lies outside the region of %(congress)s.")
            % {"place": place.name, "congress": congress.name},
            field="place",
            code="outside_region",
        )
    return congress


def _name_taken() -> Conflict:
    return Conflict(
        _("A station of this name already exists at this place."), field="name", code="duplicate_name"
    )


@transaction.atomic
def station_create(
    *,
    actor,
    name: str,
    place: Place,
    address: str,
    kind: str = Station.Kind.STATION,
    congress: Congress | None = None,
    opening_hours: str = "",
    phone: str = "",
    description: str = "",
) -> Station:
    """Add a liaison station (代表联络站 / 代表之家 / 联系点). The responsible congress defaults to the one
    covering the place (a 街道's station: its county-level congress)."""
    congress = _congress_for(place, congress)
    ensure(actor, "stations.create", congress)
    station = Station(
        name=_clean_text("name", name),
        kind=_clean_kind(kind),
        place=place,
        congress=congress,
        address=_clean_text("address", address),
        opening_hours=_clean_text("opening_hours", opening_hours),
        phone=_clean_text("phone", phone),
        description=_clean_text("description", description),
    )
    if Station.objects.filter(place=place, name=station.name).exists():
        raise _name_taken()
    try:
        with transaction.atomic():
            station.save()
    except IntegrityError:
        raise _name_taken() from None
    audit.record(actor, "station.created", station, place=place.pk, congress=congress.pk, kind=station.kind)
    return station


@transaction.atomic
def station_update(*, actor, station_id: int, **changes) -> Station:
    """Edit a station: name, kind, place (within the responsible congress's region), address, opening hours,
    telephone, description, open or closed. Locks the station."""
    station = Station.objects.select_for_update().get(pk=station_id)
    ensure(actor, "stations.manage", station)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"station_update cannot change {sorted(unknown)}")
    changed: list[str] = []
    for field, value in changes.items():
        if field in _TEXT_FIELDS:
            value = _clean_text(field, value)
        elif field == "kind":
            value = _clean_kind(value)
        elif field == "place":
            _congress_for(value, station.congress)
            if value.pk != station.place_id:
                station.place = value
                changed.append("place")
            continue
        elif field == "is_active":
            value = bool(value)
        if getattr(station, field) != value:
            setattr(station, field, value)
            changed.append(field)
    if not changed:
        return station
    if {"name", "place"} & set(changed) and Station.objects.filter(
        place_id=station.place_id, name=station.name
    ).exclude(pk=station.pk).exists():
        raise _name_taken()
    try:
        with transaction.atomic():
            station.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        raise _name_taken() from None
    audit.record(actor, "station.updated", station, fields=changed)
    return station


@transaction.atomic
def station_attach_deputy(
    *, actor, station_id: int, deputy: Deputy, since: dt.date | None = None
) -> StationDeputy:
    """Attach a deputy of any of the five levels whose congress covers the station's area ("五级代表进站").
    Attaching the same deputy twice is a Conflict. Locks the station."""
    station = (
        Station.objects.select_for_update(of=("self",)).select_related("place", "congress").get(pk=station_id)
    )
    ensure(actor, "stations.manage", station)
    checks.check_past_date(since, field="since")
    if StationDeputy.objects.filter(station=station, deputy_id=deputy.pk).exists():
        raise Conflict(
            _("%(name)s is already attached to this station.") % {"name": deputy.name},
            field="deputy",
            code="already_attached",
        )
    if not deputy_candidates_for(station).filter(pk=deputy.pk).exists():
        raise DomainError(
            _("This deputy holds no seat in office in a congress of this station's area."),
            field="deputy",
            code="not_a_candidate",
        )
    try:
        with transaction.atomic():
            attachment = StationDeputy.objects.create(station=station, deputy_id=deputy.pk, since=since)
    except IntegrityError:
        raise Conflict(
            _("%(name)s is already attached to this station.") % {"name": deputy.name},
            field="deputy",
            code="already_attached",
        ) from None
    audit.record(actor, "station.deputy_attached", station, deputy=deputy.pk)
    return attachment


@transaction.atomic
def station_detach_deputy(*, actor, station_id: int, deputy_id: int) -> None:
    """Detach a deputy from a station. Locks the station."""
    station = Station.objects.select_for_update().get(pk=station_id)
    ensure(actor, "stations.manage", station)
    deleted, _rows = StationDeputy.objects.filter(station=station, deputy_id=deputy_id).delete()
    if not deleted:
        raise DomainError(
            _("This deputy is not attached to this station."), field="deputy", code="not_attached"
        )
    audit.record(actor, "station.deputy_detached", station, deputy=deputy_id)
