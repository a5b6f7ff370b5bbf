"""What every roster import shares: errors by row and column, cell parsing, congress look-ups, batching.

An importer runs in two phases over the same parsed rows:

- `check(rows)` (outside any transaction): parse every row, then compare the rows with the stored data in
  batches, collecting every error. Nothing is written.
- `apply()` (inside the one transaction of the import): compare again with the stored data, read afresh,
  and write in bulk, batch by batch. If the fresh comparison finds an error (the data changed since the
  check), it raises `ApplyConflict` and the transaction rolls back.

Look-ups are one query per batch of rows, never one per row, so an import of 150,000 rows runs in a few
hundred queries.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import staff_covers
from minsheng.common import clock
from minsheng.common.idcard import normalize_id_number
from minsheng.common.privacy import mask_id_number, mask_mobile
from minsheng.congresses.models import Congress

from .. import rosters

# Rows per batch of look-ups and writes.
BATCH = 500
# Rows between two progress updates of the job.
PROGRESS_EVERY = 1000
# Errors kept for the report; beyond this only the count grows (a file wrong everywhere).
MAX_REPORTED_ERRORS = 100_000

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class ApplyConflict(Exception):
    """The stored data changed between the check and the apply: the transaction must roll back."""

    def __init__(self, errors: "RowErrors"):
        first = errors.items[0] if errors.items else None
        super().__init__(first.message if first else "conflict")
        self.errors = errors


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    field: str
    value: str  # masked where the column holds personal data
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "value": self.value,
            "message": self.message,
        }


def mask_value(column: rosters.Column | None, value) -> str:
    text = rosters.cell_text(value)
    if column is None or not text:
        return text
    if column.personal == "id_number":
        return mask_id_number(normalize_id_number(text))
    if column.personal == "mobile":
        return mask_mobile(text.replace(" ", "").replace("-", ""))
    if column.personal == "id_list":
        return "；".join(mask_id_number(normalize_id_number(p)) for p in rosters.split_id_list(text))
    return text


class RowErrors:
    """The errors of one run, in row order of discovery; personal values are masked on the way in."""

    def __init__(self, kind: str, headers: dict[str, str] | None = None):
        self.kind = kind
        self.headers = headers or {}
        self.items: list[RowError] = []
        self.count = 0
        self.rows: set[int] = set()
        self._columns = {c.key: c for c in rosters.columns_of(kind)}

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, row: int, key: str, value, message) -> None:
        self.count += 1
        self.rows.add(row)
        if len(self.items) >= MAX_REPORTED_ERRORS:
            return
        column = self._columns.get(key)
        header = self.headers.get(key) or (column.header if column else "")
        self.items.append(
            RowError(row=row, column=header, field=key, value=mask_value(column, value), message=str(message))
        )

    def sorted(self) -> list[RowError]:
        return sorted(self.items, key=lambda e: (e.row, self._order(e.field)))

    def _order(self, key: str) -> int:
        keys = list(self._columns)
        return keys.index(key) if key in keys else len(keys)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def batched(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fetch_in(make_queryset: Callable[[list], Iterable], values: Iterable, size: int = BATCH) -> list:
    """Run `make_queryset(chunk)` for chunks of `values` (IN lists stay below every database's limit)."""
    values = list(dict.fromkeys(v for v in values if v not in (None, "")))
    found: list = []
    for chunk in batched(values, size):
        found.extend(make_queryset(chunk))
    return found


def first_message(exc: ValidationError) -> str:
    return str(exc.messages[0]) if exc.messages else str(exc)


def id_number_message(exc: ValidationError) -> str:
    """The ID number check's message, without the birth date it may quote (the report masks the number)."""
    if getattr(exc, "code", None) == "id_birth_date":
        return _("The birth date in the ID number does not exist or is impossible.")
    return first_message(exc)


def mobile_message() -> str:
    """The mobile check's message, without the number (the report masks it)."""
    return _("Not a valid mainland mobile number (11 digits, e.g. 13800138000).")


def parse_date(value) -> dt.date:
    """A date cell or YYYY-MM-DD text (also 2021/10/1, 2021.10.1, 2021年10月1日)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = DATE_TEXT.match(str(value).strip())
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise ValueError(
        _("“%(value)s” is not a date: enter it as YYYY-MM-DD, e.g. 2021-10-01.") % {"value": value}
    )


def parse_term_number(text: str) -> int:
    """'17', '第17届', '第十七届', '十七' → 17."""
    core = text.strip().removeprefix("第").removesuffix("届").strip()
    if core.isdigit():
        number = int(core)
    elif core and all(ch in CHINESE_DIGITS or ch == "十" for ch in core):
        number = _chinese_number(core)
    else:
        number = 0
    if not 0 < number < 1000:
        raise ValueError(
            _("“%(value)s” is not a term number: enter it as e.g. 17 or 第十七届.") % {"value": text}
        )
    return number


def _chinese_number(text: str) -> int:
    if "十" not in text:
        return int("".join(str(CHINESE_DIGITS[ch]) for ch in text))
    tens, _sep, ones = text.partition("十")
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)


class CongressResolver:
    """Finds the congresses a roster names (place code, 全国, or full name) in one query."""

    def __init__(self, values: Iterable[str]):
        values = {v for v in values if v}
        national = Q(level=Congress.Level.NATIONAL) if values & set(rosters.NATIONAL_WORDS) else Q(pk__in=[])
        found = fetch_in(
            lambda chunk: Congress.objects.filter(
                Q(place__code__in=[v for v in chunk if v.isdigit()])
                | Q(name__in=[v for v in chunk if not v.isdigit()])
                | national
            ).select_related("place"),
            sorted(values),
        )
        self.by_value: dict[str, Congress] = {}
        for congress in found:
            if congress.place is not None:
                self.by_value[congress.place.code] = congress
            self.by_value.setdefault(congress.name, congress)
            if congress.level == Congress.Level.NATIONAL:
                for word in rosters.NATIONAL_WORDS:
                    self.by_value[word] = congress
        self.by_id = {c.pk: c for c in found}

    def get(self, value: str) -> Congress | None:
        return self.by_value.get(value)


class Importer:
    """The shared state of one import run. Subclasses implement `parse` and `plan`."""

    kind: str = ""

    def __init__(self, *, job, actor, headers: dict[str, str] | None = None, progress=None):
        self.job = job
        self.actor = actor
        self.headers = headers or {}
        self.progress: Callable[[int], None] = progress or (lambda n: None)
        self.congress: Congress = job.congress
        self.errors = RowErrors(self.kind, self.headers)
        self.today = clock.today()
        self.now = clock.now()
        self._scope: dict[int, bool] = {}
        self._example = rosters.example_row(self.kind)

    # --- the two phases -------------------------------------------------------------------------------

    def check(self, rows: list[tuple[int, dict]]) -> RowErrors:
        """Parse and check every row against the stored data; write nothing."""
        self.parse(rows)
        if not self.errors:
            self.plan(write=False)
        return self.errors

    def apply(self) -> Counts:
        """Compare with the stored data afresh and write. Call inside a transaction, after `check`."""
        self.errors = RowErrors(self.kind, self.headers)
        counts = self.plan(write=True)
        if self.errors:
            raise ApplyConflict(self.errors)
        return counts

    def parse(self, rows: list[tuple[int, dict]]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def plan(self, *, write: bool) -> Counts:  # pragma: no cover - abstract
        raise NotImplementedError

    # --- helpers for the subclasses -------------------------------------------------------------------

    def tick(self, done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            self.progress(done)

    def in_scope(self, congress: Congress) -> bool:
        """The job's congress covers it, and so does the uploader (who may have lost rights meanwhile)."""
        if congress.pk not in self._scope:
            self._scope[congress.pk] = self.congress.covers(congress) and staff_covers(self.actor, congress)
        return self._scope[congress.pk]

    def out_of_scope_message(self, congress: Congress) -> str:
        return _(
            "%(congress)s is outside this import, which is for %(job)s and the congresses within it."
        ) % {
            "congress": congress.name,
            "job": self.congress.name,
        }

    def text(self, number: int, row: dict, key: str, *, max_length: int, required: bool = False) -> str:
        """The trimmed text of a cell ('' if empty); records an error if required and empty or too long."""
        value = row.get(key, "")
        if isinstance(value, dt.date):
            value = value.isoformat()
        if not value:
            if required:
                self.errors.add(number, key, "", _("This cell is required."))
            return ""
        if len(value) > max_length:
            self.errors.add(
                number,
                key,
                value,
                _("At most %(n)d characters; this has %(len)d.") % {"n": max_length, "len": len(value)},
            )
            return ""
        return value

    def word(
        self, number: int, row: dict, key: str, words: dict[str, str], aliases: dict | None = None
    ) -> str:
        """A fixed word ('在任') → its stored value ('active'); '' if empty; an error if unknown."""
        value = row.get(key, "")
        if not value:
            return ""
        found = words.get(value) or (aliases or {}).get(value)
        if found is None:
            self.errors.add(
                number,
                key,
                value,
                _("“%(value)s” is not allowed here; use one of: %(words)s.")
                % {"value": value, "words": "、".join(words)},
            )
            return ""
        return found

    def congress_of(self, number: int, row: dict, key: str, resolver: CongressResolver) -> Congress | None:
        value = row.get(key, "")
        if not value:
            self.errors.add(number, key, "", _("This cell is required."))
            return None
        congress = resolver.get(str(value))
        if congress is None:
            self.errors.add(
                number,
                key,
                value,
                _(
                    "No congress is known by “%(value)s”: give the code of its place (e.g. 440781), 全国, "
                    "or its full name."
                )
                % {"value": value},
            )
            return None
        if not self.in_scope(congress):
            self.errors.add(number, key, value, self.out_of_scope_message(congress))
            return None
        return congress

    def is_example_row(self, row: dict) -> bool:
        return all(str(row.get(k, "")) == v or (k not in row) for k, v in self._example.items()) and any(
            k in row for k in self._example
        )

    def refuse_example_row(self, number: int, row: dict) -> bool:
        if self.is_example_row(row):
            first = rosters.columns_of(self.kind)[0].key
            self.errors.add(
                number, first, row.get(first, ""), _("This is the example row of the template: delete it.")
            )
            return True
        return False


def group_updates(updates: list[tuple[object, frozenset[str]]]) -> dict[frozenset[str], list]:
    """Objects to bulk_update, grouped by the set of fields that changed (each group is one UPDATE per
    batch that writes only those fields)."""
    groups: dict[frozenset[str], list] = {}
    for obj, fields in updates:
        groups.setdefault(fields, []).append(obj)
    return groups


def bulk_update_grouped(model, updates: list[tuple[object, frozenset[str]]]) -> None:
    for fields, objs in group_updates(updates).items():
        names = sorted({model._meta.get_field(f).name for f in fields})  # "place_id" → "place"
        model.objects.bulk_update(objs, names, batch_size=BATCH)
