"""The deputies roster: one row per seat. A person is matched by the blind index of the ID number; a seat by
(person, term). New people and seats are created, changed fields updated, unchanged rows not touched."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from minsheng.common.crypto import blind_index
from minsheng.common.idcard import parse_id_number
from minsheng.common.phones import normalize_mobile
from minsheng.congresses.models import Term
from minsheng.deputies.models import Deputy, Seat

from .. import rosters
from ..models import ImportJob
from .base import (
    BATCH,
    CongressResolver,
    Counts,
    Importer,
    batched,
    bulk_update_grouped,
    id_number_message,
    mobile_message,
    parse_date,
    parse_term_number,
)

# Personal fields a row may set; an empty cell leaves the stored value as it is.
OPTIONAL_PERSONAL = ("ethnicity", "party", "occupation", "mobile")
DEFAULT_ETHNICITY = "汉族"


def _max(model, name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0))


@dataclass
class SeatLine:
    row: int
    congress_id: int
    term_id: int
    term_start: dt.date
    term_end: dt.date | None
    delegation: str
    constituency: str
    start_date: dt.date | None
    status: str


@dataclass
class Person:
    index: str
    id_number: str
    birth_date: dt.date
    gender: str
    name: str
    first_row: int
    values: dict[str, str] = field(default_factory=dict)  # optional personal fields given in the file
    sources: dict[str, int] = field(default_factory=dict)  # which row gave each value
    seats: list[SeatLine] = field(default_factory=list)
    # Set by each plan: the stored person's id, or the new Deputy about to be created.
    deputy_id: int | None = None
    new_deputy: Deputy | None = None


def name_derived_fields() -> tuple[str, ...]:
    """The columns `Deputy.fill_derived_fields` computes from the name (the sort key, the compact pinyin)."""
    names = {f.name for f in Deputy._meta.get_fields()}
    return tuple(n for n in ("name_sort", "name_pinyin") if n in names)


class DeputiesImporter(Importer):
    kind = ImportJob.Kind.DEPUTIES

    # --- parse ----------------------------------------------------------------------------------------

    def parse(self, rows: list[tuple[int, dict]]) -> None:
        resolver = CongressResolver(str(r.get("congress", "")) for _n, r in rows)
        terms = {
            (t.congress_id, t.number): t
            for t in Term.objects.filter(congress_id__in=list(resolver.by_id)).only(
                "id", "congress_id", "number", "start_date", "end_date"
            )
        }
        self.persons: dict[str, Person] = {}
        self._mobile_segments: dict[str, bool] = {}
        seat_rows: dict[tuple[str, int], int] = {}
        for done, (number, row) in enumerate(rows, start=1):
            self.tick(done)
            before = self.errors.count
            if self.refuse_example_row(number, row):
                continue
            name = self.text(number, row, "name", max_length=_max(Deputy, "name"), required=True)
            ident = self._id_number(number, row)
            gender = self._gender(number, row, ident)
            values = {
                key: self.text(number, row, key, max_length=_max(Deputy, key))
                for key in ("ethnicity", "party", "occupation")
            }
            values["mobile"] = self._mobile(number, row)
            congress = self.congress_of(number, row, "congress", resolver)
            term = self._term(number, row, congress, terms)
            delegation = self.text(number, row, "delegation", max_length=_max(Seat, "delegation"))
            constituency = self.text(number, row, "constituency", max_length=_max(Seat, "constituency"))
            start_date = self._start_date(number, row, term)
            status = self.word(number, row, "status", rosters.SEAT_STATUS_WORDS)
            if self.errors.count > before or ident is None or term is None or congress is None:
                continue
            index = blind_index(ident.number)
            person = self.persons.get(index)
            if person is None:
                person = self.persons[index] = Person(
                    index=index,
                    id_number=ident.number,
                    birth_date=ident.birth_date,
                    gender=gender,
                    name=name,
                    first_row=number,
                    sources={"name": number},
                )
            elif not self._same_person(number, row, person, name, values):
                continue
            for key, value in values.items():
                if value and key not in person.values:
                    person.values[key] = value
                    person.sources[key] = number
            first = seat_rows.get((index, term.pk))
            if first is not None:
                self.errors.add(
                    number,
                    "id_number",
                    ident.number,
                    _("Row %(row)d already gives this person a seat in this term.") % {"row": first},
                )
                continue
            seat_rows[(index, term.pk)] = number
            person.seats.append(
                SeatLine(
                    row=number,
                    congress_id=congress.pk,
                    term_id=term.pk,
                    term_start=term.start_date,
                    term_end=term.end_date,
                    delegation=delegation,
                    constituency=constituency,
                    start_date=start_date,
                    status=status,
                )
            )
        self.progress(len(rows))

    def _id_number(self, number: int, row: dict):
        value = row.get("id_number", "")
        if not value:
            self.errors.add(number, "id_number", "", _("This cell is required."))
            return None
        try:
            return parse_id_number(value, today=self.today)
        except ValidationError as exc:
            message = id_number_message(exc)
            if "id_number" in row.get(rosters.NUMERIC_CELLS, ()):
                message = _(
                    "Excel stored this ID number as a number and dropped its last digits: format the column "
                    "as text and type the number again."
                )
            self.errors.add(number, "id_number", value, message)
            return None

    def _gender(self, number: int, row: dict, ident) -> str:
        gender = self.word(number, row, "gender", rosters.GENDER_WORDS)
        if ident is None:
            return gender
        if gender and gender != ident.gender:
            self.errors.add(
                number,
                "gender",
                row.get("gender", ""),
                _("The gender does not match the ID number, whose 17th digit says %(gender)s.")
                % {"gender": Deputy.Gender(ident.gender).label},
            )
        return ident.gender

    def _mobile(self, number: int, row: dict) -> str:
        value = row.get("mobile", "")
        if not value:
            return ""
        # Whether an 11-digit number is a valid mobile depends on its first seven digits (the 号段): ask
        # normalize_mobile once per 号段 instead of once per row (phonenumbers takes ~0.1 ms a call).
        if len(value) == 11 and value.isascii() and value.isdigit():
            valid = self._mobile_segments.get(value[:7])
            if valid is None:
                valid = self._mobile_segments[value[:7]] = _is_mobile(value)
            if valid:
                return value
            self.errors.add(number, "mobile", value, mobile_message())
            return ""
        try:
            return normalize_mobile(value)
        except ValidationError:
            self.errors.add(number, "mobile", value, mobile_message())
            return ""

    def _term(self, number: int, row: dict, congress, terms) -> Term | None:
        value = row.get("term", "")
        if not value:
            self.errors.add(number, "term", "", _("This cell is required."))
            return None
        try:
            term_number = parse_term_number(str(value))
        except ValueError as exc:
            self.errors.add(number, "term", value, str(exc))
            return None
        if congress is None:
            return None
        term = terms.get((congress.pk, term_number))
        if term is None:
            self.errors.add(
                number,
                "term",
                value,
                _("%(congress)s has no term %(n)d on record: add the term first.")
                % {"congress": congress.name, "n": term_number},
            )
        return term

    def _start_date(self, number: int, row: dict, term: Term | None) -> dt.date | None:
        value = row.get("start_date", "")
        if value in ("", None):
            return None
        try:
            day = parse_date(value)
        except ValueError as exc:
            self.errors.add(number, "start_date", value, str(exc))
            return None
        if term is not None and (day < term.start_date or (term.end_date and day > term.end_date)):
            self.errors.add(
                number,
                "start_date",
                value,
                _("The seat must start within the term (%(start)s to %(end)s).")
                % {
                    "start": term.start_date.isoformat(),
                    "end": term.end_date.isoformat() if term.end_date else "…",
                },
            )
            return None
        return day

    def _same_person(self, number: int, row: dict, person: Person, name: str, values: dict) -> bool:
        """A person on several rows (several seats) must be described alike on each."""
        same = True
        if name != person.name:
            self.errors.add(
                number,
                "name",
                name,
                _("Row %(row)d gives this ID number the name “%(name)s”.")
                % {"row": person.first_row, "name": person.name},
            )
            same = False
        for key, value in values.items():
            if value and key in person.values and person.values[key] != value:
                self.errors.add(
                    number,
                    key,
                    row.get(key, value),
                    _("Row %(row)d gives this person a different value here.") % {"row": person.sources[key]},
                )
                same = False
        return same

    # --- plan and write -------------------------------------------------------------------------------

    def plan(self, *, write: bool) -> Counts:
        counts = Counts()
        name_fields = name_derived_fields()
        for batch in batched(list(self.persons.values()), BATCH):
            existing = {
                d["id_number_index"]: d
                for d in Deputy.objects.filter(id_number_index__in=[p.index for p in batch]).values(
                    "id",
                    "id_number_index",
                    "name",
                    "gender",
                    "birth_date",
                    "ethnicity",
                    "party",
                    "occupation",
                    "mobile_index",
                )
            }
            seats = {
                (s["deputy_id"], s["term_id"]): s
                for s in Seat.objects.filter(deputy_id__in=[d["id"] for d in existing.values()]).values(
                    "id",
                    "deputy_id",
                    "term_id",
                    "delegation",
                    "constituency",
                    "start_date",
                    "end_date",
                    "status",
                )
            }
            new_deputies: list[Deputy] = []
            deputy_updates: list[tuple[Deputy, frozenset[str]]] = []
            new_seats: list[tuple[Person, Seat]] = []
            seat_updates: list[tuple[Seat, frozenset[str]]] = []
            outcomes: list[str] = []
            for person in batch:
                current = existing.get(person.index)
                person_changed = False
                if current is None:
                    # Building the row (pinyin, blind indexes) costs: only when it is about to be written.
                    deputy = self._new_deputy(person) if write else None
                    if deputy is not None:
                        new_deputies.append(deputy)
                    person.new_deputy, person.deputy_id = deputy, None
                    deputy_id = None
                else:
                    deputy_id = current["id"]
                    person.new_deputy, person.deputy_id = None, deputy_id
                    deputy_change = self._deputy_changes(person, current, name_fields, write=write)
                    if deputy_change:
                        deputy_updates.append(deputy_change)
                        person_changed = True
                for i, line in enumerate(person.seats):
                    seat_now = seats.get((deputy_id, line.term_id)) if deputy_id else None
                    if seat_now is None:
                        if write:
                            new_seats.append((person, self._new_seat(line)))
                        outcomes.append("created")
                        continue
                    changed = self._seat_changes(line, seat_now)
                    if changed is None:  # an error was recorded
                        continue
                    if changed:
                        seat_updates.append(changed)
                    outcomes.append("updated" if changed or (i == 0 and person_changed) else "unchanged")
            if write and not self.errors:
                self._write(new_deputies, deputy_updates, new_seats, seat_updates)
            for outcome in outcomes:
                counts.add(outcome)
        return counts

    def _new_deputy(self, person: Person) -> Deputy:
        deputy = Deputy(
            name=person.name,
            gender=person.gender,
            birth_date=person.birth_date,
            ethnicity=person.values.get("ethnicity") or DEFAULT_ETHNICITY,
            party=person.values.get("party", ""),
            occupation=person.values.get("occupation", ""),
            id_number=person.id_number,
            mobile=person.values.get("mobile", ""),
        )
        deputy.fill_derived_fields()
        return deputy

    def _deputy_changes(
        self, person: Person, current: Mapping[str, Any], name_fields, *, write: bool
    ) -> tuple[Deputy, frozenset[str]] | None:
        """(the changed fields on an unsaved Deputy, their names), or None if nothing changed. Compared on
        plain values; a model instance is built only for a person who changed."""
        changes: dict[str, object] = {}
        if person.name != current["name"]:
            changes["name"] = person.name
        if person.gender != current["gender"]:
            changes["gender"] = person.gender
        if person.birth_date != current["birth_date"]:
            changes["birth_date"] = person.birth_date
        for key in ("ethnicity", "party", "occupation"):
            value = person.values.get(key)
            if value and value != current[key]:
                changes[key] = value
        mobile = person.values.get("mobile")
        # The mobile is encrypted with a random nonce: compare its blind index, never the ciphertext.
        if mobile and blind_index(mobile) != current["mobile_index"]:
            changes["mobile"] = mobile
        if not changes:
            return None
        fields = set(changes) | {"updated_at"}
        if "name" in changes:
            fields.update(name_fields)
        if "mobile" in changes:
            fields.add("mobile_index")
        deputy = Deputy(id=current["id"], id_number=person.id_number, updated_at=self.now, **changes)
        if write:
            deputy.fill_derived_fields()
        return deputy, frozenset(fields)

    def _new_seat(self, line: SeatLine) -> Seat:
        status = line.status or Seat.Status.ACTIVE
        start = line.start_date or line.term_start
        return Seat(
            congress_id=line.congress_id,
            term_id=line.term_id,
            delegation=line.delegation,
            constituency=line.constituency,
            start_date=start,
            status=status,
            end_date=None if status == Seat.Status.ACTIVE else max(self.today, start),
        )

    def _seat_changes(self, line: SeatLine, current: Mapping[str, Any]) -> tuple | None:
        """(an unsaved Seat with the changes, their names); () if nothing changed; None after recording
        an error."""
        changes: dict[str, object] = {}
        for key in ("delegation", "constituency"):
            value = getattr(line, key)
            if value and value != current[key]:
                changes[key] = value
        end_date = current["end_date"]
        if line.status and line.status != current["status"]:
            if line.status not in Seat.TRANSITIONS[Seat.Status(current["status"])]:
                self.errors.add(
                    line.row,
                    "status",
                    _status_word(line.status),
                    _("This seat is “%(current)s” on record and cannot become “%(target)s”.")
                    % {
                        "current": Seat.Status(current["status"]).label,
                        "target": Seat.Status(line.status).label,
                    },
                )
                return None
            changes["status"] = line.status
            if end_date is None:
                # The roster has no end-date column: the day of the import stands in until corrected.
                end_date = changes["end_date"] = max(self.today, line.start_date or current["start_date"])
        if line.start_date and line.start_date != current["start_date"]:
            if end_date and line.start_date > end_date:
                self.errors.add(
                    line.row,
                    "start_date",
                    line.start_date,
                    _("The seat ended on %(end)s on record; it cannot start after that.")
                    % {"end": end_date.isoformat()},
                )
                return None
            changes["start_date"] = line.start_date
        if not changes:
            return ()
        return Seat(id=current["id"], updated_at=self.now, **changes), frozenset({*changes, "updated_at"})

    def _write(self, new_deputies, deputy_updates, new_seats, seat_updates) -> None:
        if new_deputies:
            Deputy.objects.bulk_create(new_deputies, batch_size=BATCH)
            missing = [d for d in new_deputies if d.pk is None]
            if missing:  # databases that cannot return ids from a bulk insert
                ids = dict(
                    Deputy.objects.filter(
                        id_number_index__in=[d.id_number_index for d in missing]
                    ).values_list("id_number_index", "id")
                )
                for d in missing:
                    d.pk = d.id = ids[d.id_number_index]
        bulk_update_grouped(Deputy, deputy_updates)
        seats_to_create = []
        for person, seat in new_seats:
            seat.deputy_id = person.new_deputy.pk if person.new_deputy is not None else person.deputy_id
            seats_to_create.append(seat)
        if seats_to_create:
            Seat.objects.bulk_create(seats_to_create, batch_size=BATCH)
        bulk_update_grouped(Seat, seat_updates)


def _is_mobile(value: str) -> bool:
    try:
        return normalize_mobile(value) == value
    except ValidationError:
        return False


def _status_word(status: str) -> str:
    return next((w for w, s in rosters.SEAT_STATUS_WORDS.items() if s == status), status)
