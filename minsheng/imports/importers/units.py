"""The handling units roster: a unit is matched by its name (unique). Its supervising congress is the congress
of its place (a 街道 has none: its county's). A parent is a unit on record or one listed above the row."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.congresses.models import Congress
from minsheng.places.models import Place
from minsheng.units.models import Unit

from .. import rosters
from ..models import ImportJob
from .base import BATCH, Counts, Importer, bulk_update_grouped, fetch_in

LEVEL_OF_PLACE = {"city": "city", "county": "county", "township": "township"}
FIELDS = ("short_name", "kind", "level", "place_id", "congress_id")


def _max(name: str) -> int:
    return int(getattr(Unit._meta.get_field(name), "max_length", 0))


@dataclass
class UnitLine:
    row: int
    name: str
    parent: str
    values: dict[str, object]


def congress_prefixes(place: Place) -> list[str]:
    """The region prefixes a place's supervising congress may have, the closest first."""
    code = place.code
    return list(
        dict.fromkeys(
            p for p in (place.prefix, code[:9], code[:6], code[:4], code[:2]) if len(p) <= len(place.prefix)
        )
    )


class UnitsImporter(Importer):
    kind = ImportJob.Kind.UNITS

    def parse(self, rows: list[tuple[int, dict]]) -> None:
        places = {
            p.code: p
            for p in fetch_in(
                lambda chunk: Place.objects.filter(code__in=chunk).only(
                    "id", "code", "name", "level", "prefix"
                ),
                (str(r.get("place_code", "")) for _n, r in rows),
            )
        }
        prefixes = {prefix for place in places.values() for prefix in congress_prefixes(place)}
        congresses = {
            c.region_prefix: c
            for c in fetch_in(
                lambda chunk: Congress.objects.filter(region_prefix__in=chunk).exclude(
                    level=Congress.Level.NATIONAL
                ),
                prefixes,
            )
        }
        self.lines: list[UnitLine] = []
        seen: dict[str, int] = {}
        for done, (number, row) in enumerate(rows, start=1):
            self.tick(done)
            before = self.errors.count
            if self.refuse_example_row(number, row):
                continue
            name = self.text(number, row, "name", max_length=_max("name"), required=True)
            short_name = self.text(number, row, "short_name", max_length=_max("short_name"))
            kind = self.word(number, row, "kind", rosters.UNIT_KIND_WORDS)
            if not row.get("kind"):
                self.errors.add(number, "kind", "", _("This cell is required."))
            level = self.word(number, row, "level", rosters.UNIT_LEVEL_WORDS, rosters.UNIT_LEVEL_ALIASES)
            place, congress = self._place(number, row, places, congresses)
            parent = self.text(number, row, "parent", max_length=_max("name"))
            if parent and parent == name:
                self.errors.add(number, "parent", parent, _("A unit cannot be its own parent."))
            if self.errors.count > before or place is None or congress is None:
                continue
            if name in seen:
                self.errors.add(
                    number,
                    "name",
                    name,
                    _("Row %(row)d already lists a unit of this name.") % {"row": seen[name]},
                )
                continue
            seen[name] = number
            values: dict[str, object] = {
                "short_name": short_name,
                "kind": kind,
                "level": level or LEVEL_OF_PLACE[place.level],
                "place_id": place.pk,
                "congress_id": congress.pk,
            }
            self.lines.append(
                UnitLine(row=number, name=name, parent=parent, values={k: v for k, v in values.items() if v})
            )
        self.progress(len(rows))

    def _place(self, number: int, row: dict, places, congresses) -> tuple[Place | None, Congress | None]:
        code = str(row.get("place_code", ""))
        if not code:
            self.errors.add(number, "place_code", "", _("This cell is required."))
            return None, None
        place = places.get(code)
        if place is None:
            self.errors.add(number, "place_code", code, _("No place has the code %(code)s.") % {"code": code})
            return None, None
        if place.level not in LEVEL_OF_PLACE:
            self.errors.add(
                number,
                "place_code",
                code,
                _("A handling unit belongs to a city, a county or a township, not to %(place)s.")
                % {"place": place.name},
            )
            return None, None
        congress = next((congresses[p] for p in congress_prefixes(place) if p in congresses), None)
        if congress is None:
            self.errors.add(
                number, "place_code", code, _("No congress supervises %(place)s.") % {"place": place.name}
            )
            return place, None
        if not self.in_scope(congress):
            self.errors.add(number, "place_code", code, self.out_of_scope_message(congress))
            return place, None
        return place, congress

    def plan(self, *, write: bool) -> Counts:
        """Units are few (thousands at most): one query reads them all, which also lets the parent chains be
        followed to refuse cycles."""
        counts = Counts()
        stored = {
            u["name"]: u
            for u in Unit.objects.values("id", "name", "parent_id", "congress__region_prefix", *FIELDS)
        }
        name_of = {u["id"]: name for name, u in stored.items()}
        parent_of = {name: name_of.get(u["parent_id"]) for name, u in stored.items()}
        listed = {line.name: line.row for line in self.lines}
        known: set[str] = set()
        scope = staff_scope_prefix(self.actor)
        for line in self.lines:
            if line.parent:
                if line.parent not in stored and line.parent not in known:
                    message = (
                        _(
                            "The parent unit is listed below, in row %(row)d: list a parent above its sub-units."
                        )
                        % {"row": listed[line.parent]}
                        if line.parent in listed
                        else _("No unit named “%(name)s” is on record or listed above.")
                        % {"name": line.parent}
                    )
                    self.errors.add(line.row, "parent", line.parent, message)
                parent_of[line.name] = line.parent
            known.add(line.name)
            current = stored.get(line.name)
            if current is not None:
                prefix = current["congress__region_prefix"]
                if (
                    scope is None
                    or not prefix.startswith(self.congress.region_prefix)
                    or not prefix.startswith(scope)
                ):
                    self.errors.add(
                        line.row,
                        "name",
                        line.name,
                        _(
                            "This unit is supervised by a congress outside this import; its staff must change it."
                        ),
                    )
        for line in self.lines:
            if line.parent and self._in_cycle(line.name, parent_of):
                self.errors.add(
                    line.row, "parent", line.parent, _("This parent would make the unit its own ancestor.")
                )
        if self.errors:
            return counts

        new_units: list[tuple[UnitLine, Unit]] = []
        updates: list[tuple[UnitLine, Unit, set[str]]] = []
        outcomes: list[str] = []
        for line in self.lines:
            current = stored.get(line.name)
            if current is None:
                new_units.append((line, Unit(name=line.name, **line.values)))
                outcomes.append("created")
                continue
            fields = {k for k, v in line.values.items() if v != current[k]}
            unit = Unit(id=current["id"], **{k: line.values[k] for k in fields})
            if line.parent and name_of.get(current["parent_id"]) != line.parent:
                fields.add("parent_id")
            updates.append((line, unit, fields))
            outcomes.append("updated" if fields else "unchanged")
        if write:
            self._write(stored, new_units, updates)
        for outcome in outcomes:
            counts.add(outcome)
        return counts

    @staticmethod
    def _in_cycle(name: str, parent_of: dict[str, str | None]) -> bool:
        seen = {name}
        current = parent_of.get(name)
        while current is not None:
            if current == name:
                return True
            if current in seen:  # a loop above the unit, not through it: reported on its own rows
                return False
            seen.add(current)
            current = parent_of.get(current)
        return False

    def _write(self, stored, new_units, updates) -> None:
        ids = {name: u["id"] for name, u in stored.items()}
        if new_units:
            Unit.objects.bulk_create([u for _line, u in new_units], batch_size=BATCH)
            missing = [u for _line, u in new_units if u.pk is None]
            if missing:  # databases that cannot return ids from a bulk insert
                found = dict(
                    Unit.objects.filter(name__in=[u.name for u in missing]).values_list("name", "id")
                )
                for u in missing:
                    u.pk = u.id = found[u.name]
            ids.update({u.name: u.pk for _line, u in new_units})
        # Parents are set once every unit of the file has an id (a parent may be new in the same file).
        parented = []
        for line, unit in new_units:
            if line.parent:
                unit.parent_id = ids[line.parent]
                parented.append(unit)
        if parented:
            Unit.objects.bulk_update(parented, ["parent"], batch_size=BATCH)
        changed = []
        for line, unit, fields in updates:
            if not fields:
                continue
            if "parent_id" in fields:
                unit.parent_id = ids[line.parent]
            unit.updated_at = self.now
            changed.append((unit, frozenset({*fields, "updated_at"})))
        bulk_update_grouped(Unit, changed)
