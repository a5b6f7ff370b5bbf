"""Writes to places: loading the divisions, adding and renaming a place."""

import csv
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from minsheng.common import audit
from minsheng.common.errors import Conflict, DomainError
from minsheng.common.permissions import ensure

from .models import Place
from .signals import place_renamed

DIVISIONS_CSV = Path(__file__).parent / "data" / "guangdong_divisions.csv"
NAME_MAX_LENGTH = 100  # Place.name


def read_divisions(*, region: str = "") -> list[dict]:
    """Rows of the shipped divisions file, ancestors first; `region` limits them to codes under a prefix
    (the ancestors of the region are always included)."""
    with DIVISIONS_CSV.open(encoding="utf-8") as fh:
        # 东莞 and 中山 have no county level: the file repeats each as a "county" whose parent is itself.
        # The city row stands for both; its towns hang directly below it.
        rows = [r for r in csv.DictReader(fh) if r["code"] != r["parent_code"]]
    if region:
        rows = [
            r
            for r in rows
            if r["code"].startswith(region) or region.startswith(Place.prefix_of(r["code"], r["level"]))
        ]
    return rows


def places_load(*, region: str = "", actor=None) -> dict[str, int]:
    """Load (or refresh) the administrative divisions. Idempotent: existing codes are updated in place."""
    rows = read_divisions(region=region)
    order = list(Place.PREFIX_LENGTH)
    rows.sort(key=lambda r: (order.index(r["level"]), r["code"]))
    created = updated = 0
    with transaction.atomic():
        existing = {p.code: p for p in Place.objects.all()}
        for level in order:
            new, changed = [], []
            for r in (r for r in rows if r["level"] == level):
                kind = r["kind"] or ""
                parent = existing.get(r["parent_code"]) if r["parent_code"] else None
                place = existing.get(r["code"])
                if place is None:
                    place = Place(code=r["code"], name=r["name"], parent=parent, level=level, kind=kind)
                    place.prefix = Place.prefix_of(place.code, level)
                    place.is_administrative = kind != Place.Kind.OTHER
                    new.append(place)
                elif (place.name, place.parent_id, place.kind) != (
                    r["name"],
                    parent.pk if parent else None,
                    kind,
                ):
                    place.name, place.parent, place.kind = r["name"], parent, kind
                    place.is_administrative = kind != Place.Kind.OTHER
                    place.fill_derived_fields()
                    changed.append(place)
            Place.objects.bulk_create(new, batch_size=2000)
            Place.objects.bulk_update(
                changed,
                ["name", "parent", "kind", "is_administrative", "name_pinyin", "name_initials"],
                batch_size=2000,
            )
            created += len(new)
            updated += len(changed)
            if new:
                existing.update(
                    {p.code: p for p in Place.objects.filter(level=level, code__in=[p.code for p in new])}
                )
        audit.record(actor, "places.loaded", None, region=region, created=created, updated=updated)
    return {"created": created, "updated": updated}


@transaction.atomic
def place_create(*, actor, code: str, name: str, parent: Place, kind: str = "") -> Place:
    """Add a place below `parent` (staff who cover the parent). The code must be new, have the length of its
    level and continue the parent's code; the kind must fit the level. Duplicates answer Conflict."""
    ensure(actor, "places.create", parent)
    level = parent.child_level
    if level is None:
        raise DomainError(_("A village has no places below it."), field="parent")
    code = (code or "").strip()
    name = (name or "").strip()
    kind = (kind or "").strip()
    if not name:
        raise DomainError(_("Enter the name of the place."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(_("The name is too long."), field="name")
    length = Place.CODE_LENGTH[level]
    if not code.isdigit() or len(code) != length:
        raise DomainError(
            _("%(level)s codes have %(n)d digits.") % {"level": Place.Level(level).label, "n": length},
            field="code",
        )
    start = parent.child_code_start
    if not code.startswith(start) or code == parent.code:
        raise DomainError(
            _("The code must continue the code of %(parent)s (start with %(prefix)s).")
            % {"parent": parent.name, "prefix": start},
            field="code",
        )
    if kind not in Place.KINDS_OF_LEVEL[level]:
        raise DomainError(_("This kind of place does not exist at this level."), field="kind")
    duplicate = Conflict(_("The code %(code)s is already used.") % {"code": code}, field="code")
    if Place.objects.filter(code=code).exists():
        raise duplicate
    try:
        with transaction.atomic():
            place = Place.objects.create(code=code, name=name, parent=parent, level=level, kind=kind)
    except IntegrityError:
        raise duplicate from None
    audit.record(actor, "place.created", place, code=code, name=name, parent=parent.code, kind=kind)
    return place


@transaction.atomic
def place_rename(*, actor, place_id: int, name: str) -> Place:
    """Rename a place (staff who cover it); the code never changes. Locks the place. A congress still
    called after the old name (“<old>人民代表大会”) follows the new one (`signals.place_renamed`)."""
    place = Place.objects.select_for_update().get(pk=place_id)
    ensure(actor, "places.rename", place)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the name of the place."), field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(_("The name is too long."), field="name")
    old = place.name
    if old == name:
        return place
    place.name = name
    place.save(update_fields=["name"])
    answers = place_renamed.send(sender=Place, place=place, old_name=old, actor=actor)
    renamed = any(changed for _receiver, changed in answers)
    audit.record(actor, "place.renamed", place, old=old, new=name, congress_renamed=bool(renamed))
    return place
