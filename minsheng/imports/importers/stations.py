"""The liaison stations roster: a station is matched by (place, name). The deputies column, when filled,
becomes the station's list of attached deputies (each must be a deputy on record)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.common.crypto import blind_index
from minsheng.common.idcard import parse_id_number
from minsheng.common.privacy import mask_id_number
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place
from minsheng.stations.models import Station, StationDeputy

from .. import rosters
from ..models import ImportJob
from .base import (
    BATCH,
    CongressResolver,
    Counts,
    Importer,
    batched,
    bulk_update_grouped,
    fetch_in,
    id_number_message,
)

FIELDS = ("kind", "congress_id", "address", "opening_hours", "phone")


def _max(name: str) -> int:
    return int(getattr(Station._meta.get_field(name), "max_length", 0))


@dataclass
class StationLine:
    row: int
    name: str
    place_id: int
    congress_id: int
    values: dict[str, object]  # the fields the row sets (empty cells left out)
    deputy_ids_given: bool
    deputy_numbers: dict[str, str] = field(default_factory=dict)  # blind index → ID number


class StationsImporter(Importer):
    kind = ImportJob.Kind.STATIONS

    def parse(self, rows: list[tuple[int, dict]]) -> None:
        resolver = CongressResolver(str(r.get("congress", "")) for _n, r in rows)
        places = {
            p.code: p
            for p in fetch_in(
                lambda chunk: Place.objects.filter(code__in=chunk).only(
                    "id", "code", "name", "level", "prefix"
                ),
                (str(r.get("place_code", "")) for _n, r in rows),
            )
        }
        self.lines: list[StationLine] = []
        seen: dict[tuple[int, str], int] = {}
        for done, (number, row) in enumerate(rows, start=1):
            self.tick(done)
            before = self.errors.count
            if self.refuse_example_row(number, row):
                continue
            name = self.text(number, row, "name", max_length=_max("name"), required=True)
            kind = self.word(number, row, "kind", rosters.STATION_KIND_WORDS, rosters.STATION_KIND_ALIASES)
            place = self._place(number, row, places)
            congress = self.congress_of(number, row, "congress", resolver)
            if (
                place is not None
                and congress is not None
                and not place.code.startswith(congress.region_prefix)
            ):
                self.errors.add(
                    number,
                    "place_code",
                    row.get("place_code"),
                    _("The place %(place)s is not in the region of %(congress)s.")
                    % {"place": place.name, "congress": congress.name},
                )
            values: dict[str, object] = {
                "address": self.text(number, row, "address", max_length=_max("address"), required=True),
                "opening_hours": self.text(number, row, "opening_hours", max_length=_max("opening_hours")),
                "phone": self.text(number, row, "phone", max_length=_max("phone")),
            }
            if kind:
                values["kind"] = kind
            deputy_numbers = self._deputy_numbers(number, row)
            if self.errors.count > before or place is None or congress is None:
                continue
            key = (place.pk, name)
            if key in seen:
                self.errors.add(
                    number,
                    "name",
                    name,
                    _("Row %(row)d already lists a station of this name here.") % {"row": seen[key]},
                )
                continue
            seen[key] = number
            values["congress_id"] = congress.pk
            self.lines.append(
                StationLine(
                    row=number,
                    name=name,
                    place_id=place.pk,
                    congress_id=congress.pk,
                    values={k: v for k, v in values.items() if v},
                    deputy_ids_given=bool(row.get("deputies")),
                    deputy_numbers=deputy_numbers,
                )
            )
        self.progress(len(rows))

    def _place(self, number: int, row: dict, places: dict[str, Place]) -> Place | None:
        code = str(row.get("place_code", ""))
        if not code:
            self.errors.add(number, "place_code", "", _("This cell is required."))
            return None
        place = places.get(code)
        if place is None:
            self.errors.add(number, "place_code", code, _("No place has the code %(code)s.") % {"code": code})
        return place

    def _deputy_numbers(self, number: int, row: dict) -> dict[str, str]:
        numbers: dict[str, str] = {}
        for value in rosters.split_id_list(str(row.get("deputies", ""))):
            try:
                ident = parse_id_number(value, today=self.today)
            except ValidationError as exc:
                self.errors.add(
                    number,
                    "deputies",
                    row.get("deputies"),
                    _("%(number)s: %(message)s")
                    % {"number": mask_id_number(value.upper()), "message": id_number_message(exc)},
                )
                continue
            numbers[blind_index(ident.number)] = ident.number
        return numbers

    def plan(self, *, write: bool) -> Counts:
        counts = Counts()
        for batch in batched(self.lines, BATCH):
            stored = {
                (s["place_id"], s["name"]): s
                for s in Station.objects.filter(
                    place_id__in={line.place_id for line in batch}, name__in={line.name for line in batch}
                ).values("id", "place_id", "name", "congress__region_prefix", *FIELDS)
            }
            wanted = {index for line in batch for index in line.deputy_numbers}
            deputies = (
                dict(Deputy.objects.filter(id_number_index__in=wanted).values_list("id_number_index", "id"))
                if wanted
                else {}
            )
            attached: dict[int, dict[int, int]] = {}  # station → {deputy: link id}
            station_ids = [s["id"] for s in stored.values()]
            if station_ids:
                for link_id, station_id, deputy_id in StationDeputy.objects.filter(
                    station_id__in=station_ids
                ).values_list("id", "station_id", "deputy_id"):
                    attached.setdefault(station_id, {})[deputy_id] = link_id
            new_stations: list[tuple[StationLine, Station]] = []
            updates: list[tuple[Station, frozenset[str]]] = []
            links_to_add: list[tuple[StationLine, Station | None, int | None, int]] = []
            links_to_remove: list[int] = []
            outcomes: list[str] = []
            for line in batch:
                current = stored.get((line.place_id, line.name))
                deputy_ids = self._deputy_ids(line, deputies)
                if deputy_ids is None:
                    continue
                if current is None:
                    station = Station(place_id=line.place_id, name=line.name, **line.values)
                    new_stations.append((line, station))
                    links_to_add.extend((line, station, None, d) for d in sorted(deputy_ids))
                    outcomes.append("created")
                    continue
                if not self._manages(current["congress__region_prefix"]):
                    self.errors.add(
                        line.row,
                        "name",
                        line.name,
                        _("This station is run by a congress outside this import; its staff must change it."),
                    )
                    continue
                fields = {k for k, v in line.values.items() if v != current[k]}
                link_changed = False
                if line.deputy_ids_given:
                    have = attached.get(current["id"], {})
                    add, remove = deputy_ids - set(have), set(have) - deputy_ids
                    links_to_add.extend((line, None, current["id"], d) for d in sorted(add))
                    links_to_remove.extend(have[d] for d in remove)
                    link_changed = bool(add or remove)
                if fields or link_changed:
                    station = Station(
                        id=current["id"], updated_at=self.now, **{k: line.values[k] for k in fields}
                    )
                    updates.append((station, frozenset({*fields, "updated_at"})))
                    outcomes.append("updated")
                else:
                    outcomes.append("unchanged")
            if write and not self.errors:
                self._write(new_stations, updates, links_to_add, links_to_remove)
            for outcome in outcomes:
                counts.add(outcome)
        return counts

    def _manages(self, region_prefix: str) -> bool:
        """The stored station's congress lies within the job's congress and the uploader's scope."""
        scope = staff_scope_prefix(self.actor)
        return (
            scope is not None
            and region_prefix.startswith(self.congress.region_prefix)
            and region_prefix.startswith(scope)
        )

    def _deputy_ids(self, line: StationLine, deputies: dict[str, int]) -> set[int] | None:
        missing = [n for index, n in line.deputy_numbers.items() if index not in deputies]
        for id_number in missing:
            self.errors.add(
                line.row,
                "deputies",
                id_number,
                _("No deputy with the ID number %(number)s is on record: import the deputies first.")
                % {"number": mask_id_number(id_number)},
            )
        if missing:
            return None
        return {deputies[index] for index in line.deputy_numbers}

    def _write(self, new_stations, updates, links_to_add, links_to_remove) -> None:
        if new_stations:
            Station.objects.bulk_create([s for _line, s in new_stations], batch_size=BATCH)
            missing = [s for _line, s in new_stations if s.pk is None]
            if missing:  # databases that cannot return ids from a bulk insert
                ids = {
                    (s["place_id"], s["name"]): s["id"]
                    for s in Station.objects.filter(
                        place_id__in={s.place_id for s in missing}, name__in={s.name for s in missing}
                    ).values("id", "place_id", "name")
                }
                for s in missing:
                    s.pk = s.id = ids[(s.place_id, s.name)]
        bulk_update_grouped(Station, updates)
        if links_to_remove:
            StationDeputy.objects.filter(id__in=links_to_remove).delete()
        links = [
            StationDeputy(
                station_id=station.pk if station is not None else station_id,
                deputy_id=deputy_id,
                since=self.today,
            )
            for _line, station, station_id, deputy_id in links_to_add
        ]
        if links:
            StationDeputy.objects.bulk_create(links, batch_size=BATCH)
