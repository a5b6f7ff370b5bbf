"""China's working days, for every year: the official schedule where the office has it, a provisional one by rule
where it has not yet been published.

- **Official**: the State Council's 放假安排 of a year — its days off and its 调休 working weekends — stored in
  `WorkCalendarYear`/`WorkCalendarDay`. The years the chinese-calendar package knows are loaded into the table at
  migrate time (`seed_from_library`, re-runnable: `manage.py calendar_seed`); the office enters each new year when
  the notice comes out (the calendar page, a pasted notice or an Excel file).
- **Provisional**: a year with no official schedule is weekends plus the seven statutory festivals by rule (New
  Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day: the `holidays` package
  computes their dates and observed days for any year), and no 调休 working weekend. Never an exception.

A deadline counted in working days is *provisional* when any day it counts lies in a provisional year
(`working_deadline`). When a year's official schedule is entered, the apps that keep such deadlines recompute the
open ones (`on_schedule_entered` registry; the task is `minsheng.common.tasks.deadlines_recompute`).

The calendar is read from the database once per process and year, and checked again for changes at most every
`settings.MINSHENG["WORKDAYS_RECHECK_SECONDS"]` seconds (one tiny query), so a loop over a million deadlines costs
no query per day.
"""

import datetime as dt
import functools
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import holidays as holidays_lib
from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError

FIRST_YEAR = 2000  # the calendar answers from here on; earlier dates are nonsense in this product
LAST_YEAR = 2200


class Festival(models.TextChoices):
    NEW_YEAR = "new_year", gettext_lazy("New Year's Day (元旦)")
    SPRING = "spring", gettext_lazy("Spring Festival (春节)")
    QINGMING = "qingming", gettext_lazy("Qingming (清明节)")
    LABOUR = "labour", gettext_lazy("Labour Day (劳动节)")
    DRAGON_BOAT = "dragon_boat", gettext_lazy("Dragon Boat Festival (端午节)")
    MID_AUTUMN = "mid_autumn", gettext_lazy("Mid-Autumn Festival (中秋节)")
    NATIONAL = "national", gettext_lazy("National Day (国庆节)")
    OTHER = "other", gettext_lazy("Other day off")


STATUTORY = [f for f in Festival if f != Festival.OTHER]

# How the festivals are named in a State Council notice (and in an Excel file), in the order they appear.
FESTIVAL_WORDS = {
    Festival.NEW_YEAR: ("元旦",),
    Festival.SPRING: ("春节",),
    Festival.QINGMING: ("清明",),
    Festival.LABOUR: ("劳动节", "五一"),
    Festival.DRAGON_BOAT: ("端午",),
    Festival.MID_AUTUMN: ("中秋",),
    Festival.NATIONAL: ("国庆",),
    Festival.OTHER: ("其他", "其它"),
}

# chinese-calendar's names, and the holidays package's, of the same festivals.
_LIBRARY_NAMES = {
    "New Year's Day": Festival.NEW_YEAR,
    "Spring Festival": Festival.SPRING,
    "Tomb-sweeping Day": Festival.QINGMING,
    "Labour Day": Festival.LABOUR,
    "Dragon Boat Festival": Festival.DRAGON_BOAT,
    "National Day": Festival.NATIONAL,
    "Mid-autumn Festival": Festival.MID_AUTUMN,
}
_RULE_NAMES = [  # "Chinese New Year" before "New Year"
    ("Chinese New Year", Festival.SPRING),
    ("New Year", Festival.NEW_YEAR),
    ("Tomb-Sweeping", Festival.QINGMING),
    ("Labor Day", Festival.LABOUR),
    ("Dragon Boat", Festival.DRAGON_BOAT),
    ("Mid-Autumn", Festival.MID_AUTUMN),
    ("National Day", Festival.NATIONAL),
]


class DayKind(models.TextChoices):
    OFF = "off", gettext_lazy("Day off")
    WORK = "work", gettext_lazy("Working weekend (调休)")


@dataclass(frozen=True)
class Schedule:
    """One year's exceptions to "Monday to Friday": days off (with their festival) and working weekends."""

    year: int
    off: dict[dt.date, str]
    work: frozenset[dt.date]
    official: bool

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.work:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5


class Deadline(dt.date):
    """A due date that knows whether it was counted (in part) on a provisional year's calendar. It is a date:
    stored, compared and shown as one; `.provisional` says whether to mark it."""

    provisional: bool

    def __new__(cls, year: int, month: int, day: int, provisional: bool = False) -> "Deadline":
        self = super().__new__(cls, year, month, day)
        self.provisional = provisional
        return self

    @classmethod
    def of(cls, day: dt.date, provisional: bool) -> "Deadline":
        return cls(day.year, day.month, day.day, provisional)

    @property
    def date(self) -> dt.date:
        return dt.date(self.year, self.month, self.day)

    def __reduce__(self):
        return (Deadline, (self.year, self.month, self.day, self.provisional))


# --- provisional years: the festivals by rule -----------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def provisional_schedule(year: int) -> Schedule:
    """Weekends plus the statutory festivals of `year` and their observed days, as the `holidays` package computes
    them; no 调休 working weekend (only the official notice says which weekends are worked)."""
    off: dict[dt.date, str] = {}
    for day, name in holidays_lib.China(years=year).items():
        if day.year != year:
            continue
        off[day] = _festival_of_rule_name(name)
    return Schedule(year=year, off=off, work=frozenset(), official=False)


def _festival_of_rule_name(name: str) -> str:
    for words, festival in _RULE_NAMES:
        if words in name:
            return festival
    return Festival.OTHER


def festival_dates(year: int) -> dict[str, list[dt.date]]:
    """The days off of each statutory festival of `year` by rule (for the grid's hints and for naming days)."""
    result: dict[str, list[dt.date]] = {f: [] for f in STATUTORY}
    for day, festival in sorted(provisional_schedule(year).off.items()):
        result.setdefault(festival, []).append(day)
    return result


# --- the library's official years (the seed) ------------------------------------------------------------------


def library_schedules() -> dict[int, Schedule]:
    """The official schedules chinese-calendar knows (2004 up to its last year), as `Schedule`s."""
    from chinese_calendar import constants

    years: dict[int, dict] = {}
    for day, name in constants.holidays.items():
        years.setdefault(day.year, {"off": {}, "work": set()})["off"][day] = _LIBRARY_NAMES.get(
            name, Festival.OTHER
        )
    for day in constants.workdays:
        years.setdefault(day.year, {"off": {}, "work": set()})["work"].add(day)
    return {
        y: Schedule(year=y, off=v["off"], work=frozenset(v["work"]), official=True) for y, v in years.items()
    }


# --- the calendar of this process -----------------------------------------------------------------------------


class _Calendar:
    """The official years read from the database, kept in memory and checked again for changes now and then."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._years: dict[int, Schedule] | None = None
        self._stamp: tuple | None = None
        self._checked_at = 0.0

    def invalidate(self) -> None:
        with self._lock:
            self._years = None
            self._stamp = None
            self._checked_at = 0.0

    def _db_stamp(self) -> tuple:
        from .models import WorkCalendarYear

        agg = WorkCalendarYear.objects.aggregate(n=models.Count("id"), last=models.Max("changed_at"))
        return (agg["n"], agg["last"])

    def official_years(self) -> dict[int, Schedule]:
        recheck = settings.MINSHENG.get("WORKDAYS_RECHECK_SECONDS", 30)
        with self._lock:
            if self._years is not None:
                if time.monotonic() - self._checked_at < recheck:
                    return self._years
                self._checked_at = time.monotonic()
                if self._db_stamp() == self._stamp:
                    return self._years
            self._years, self._stamp = self._load()
            self._checked_at = time.monotonic()
            return self._years

    def _load(self) -> tuple[dict[int, Schedule], tuple]:
        """Every official day in one query; the stamp (years, last change) read off the same rows."""
        from .models import WorkCalendarDay

        years: dict[int, dict] = {}
        last = None
        for year, changed_at, day, kind, festival in WorkCalendarDay.objects.values_list(
            "calendar__year", "calendar__changed_at", "day", "kind", "festival"
        ):
            entry = years.setdefault(year, {"off": {}, "work": set()})
            last = changed_at if last is None or changed_at > last else last
            if kind == DayKind.WORK:
                entry["work"].add(day)
            else:
                entry["off"][day] = festival
        schedules = {
            y: Schedule(year=y, off=v["off"], work=frozenset(v["work"]), official=True)
            for y, v in years.items()
        }
        return schedules, (len(schedules), last)


_calendar = _Calendar()


def invalidate() -> None:
    """Forget what this process read (after a year is entered, and before each test)."""
    _calendar.invalidate()


def schedule(year: int) -> Schedule:
    """The schedule of `year`: the official one if entered, else the provisional one by rule."""
    official = _calendar.official_years().get(year)
    return official if official is not None else provisional_schedule(year)


def is_official(year: int) -> bool:
    return year in _calendar.official_years()


def official_years() -> list[int]:
    return sorted(_calendar.official_years())


def is_working_day(day: dt.date) -> bool:
    return schedule(day.year).is_working_day(day)


def working_deadline(start: dt.date, days: int) -> Deadline:
    """The date `days` working days after `start` (start itself does not count), and whether any day counted lies
    in a provisional year."""
    years = _calendar.official_years()
    day = start
    counted = 0
    provisional = False
    current = None
    while counted < days:
        day += dt.timedelta(days=1)
        if current is None or current.year != day.year:
            current = years.get(day.year) or provisional_schedule(day.year)
            provisional = provisional or not current.official
        if current.is_working_day(day):
            counted += 1
    return Deadline.of(day, provisional)


def add_working_days(start: dt.date, days: int) -> dt.date:
    return working_deadline(start, days).date


def next_year_needs_schedule(today: dt.date) -> int | None:
    """The year to enter, from 1 November on while next year is still provisional (the homes' notice)."""
    start = settings.MINSHENG.get("WORKDAYS_NOTICE_FROM", (11, 1))
    if (today.month, today.day) >= tuple(start) and not is_official(today.year + 1):
        return today.year + 1
    if not is_official(today.year):
        return today.year
    return None


# --- apps that keep deadlines counted in working days ---------------------------------------------------------

Recomputer = Callable[[int], dict]
_RECOMPUTERS: dict[str, Recomputer] = {}


def on_schedule_entered(name: str) -> Callable[[Recomputer], Recomputer]:
    """Register `fn(year) -> {"checked": n, "changed": m}`: recompute the open deadlines that count days of
    `year`. Each app registers its own in its AppConfig.ready(); `common` imports none of them."""

    def register(fn: Recomputer) -> Recomputer:
        _RECOMPUTERS[name] = fn
        return fn

    return register


def recomputers() -> dict[str, Recomputer]:
    return dict(_RECOMPUTERS)


# --- checking and reading a schedule the office enters --------------------------------------------------------


@dataclass
class DayEntry:
    day: dt.date
    kind: str
    festival: str = ""


def check_schedule(year: int, entries: Iterable[DayEntry]) -> list[DayEntry]:
    """The entries of one year's official schedule, checked; raises DomainError with every problem in words.

    A schedule names days off and 调休 working weekends of its year only; each day once; a working day is a
    Saturday or Sunday; each of the seven statutory festivals has at least one day off."""
    errors: list[str] = []
    seen: dict[dt.date, DayEntry] = {}
    result = []
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            _("The year must lie between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    for entry in entries:
        if entry.day.year != year:
            errors.append(
                _("%(day)s is not in %(year)d: enter it with its own year.")
                % {"day": entry.day, "year": year}
            )
            continue
        if entry.day in seen:
            if seen[entry.day].kind != entry.kind:
                errors.append(_("%(day)s is both a day off and a working day.") % {"day": entry.day})
            continue
        if entry.kind == DayKind.WORK:
            if entry.day.weekday() < 5:
                errors.append(
                    _("%(day)s is a weekday: only a Saturday or Sunday can be a 调休 working day.")
                    % {"day": entry.day}
                )
            entry = DayEntry(entry.day, DayKind.WORK, "")
        elif entry.kind == DayKind.OFF:
            festival = entry.festival or guess_festival(entry.day)
            if festival not in Festival.values:
                errors.append(
                    _("%(day)s: unknown festival “%(name)s”.") % {"day": entry.day, "name": festival}
                )
                continue
            entry = DayEntry(entry.day, DayKind.OFF, festival)
        else:
            errors.append(
                _("%(day)s: unknown kind of day “%(kind)s”.") % {"day": entry.day, "kind": entry.kind}
            )
            continue
        seen[entry.day] = entry
        result.append(entry)
    named = {e.festival for e in result if e.kind == DayKind.OFF}
    missing = [str(f.label) for f in STATUTORY if f.value not in named]
    if missing:
        errors.append(
            _("The schedule of %(year)d has no day off for: %(festivals)s. A year has all seven festivals.")
            % {"year": year, "festivals": "、".join(missing)}
        )
    if errors:
        raise DomainError(" ".join(errors), field="days")
    return sorted(result, key=lambda e: e.day)


def guess_festival(day: dt.date) -> str:
    """The statutory festival a day off belongs to: the festival by rule nearest to it within 10 days."""
    best, best_gap = Festival.OTHER.value, 11
    for year in (day.year - 1, day.year, day.year + 1):
        for festival, days in festival_dates(year).items():
            for d in days:
                gap = abs((d - day).days)
                if gap < best_gap:
                    best, best_gap = festival, gap
    return best


_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_RANGE = re.compile(
    r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:[^至到\d]*)?(?:[至到—-](?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日)?"
)


def parse_notice(text: str, year: int) -> list[DayEntry]:
    """The days of a State Council 放假安排 notice, pasted as its lines (one festival a line):

        一、元旦：1月1日（周五）放假1天，不调休。
        二、春节：2月5日（农历腊月二十九）至13日（农历正月初七）放假调休，共9天。2月14日（周日）、2月20日（周六）上班。
        七、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（周六）、10月8日（周日）上班。

    In each line the range before 放假 is days off, and every date in a sentence with 上班 is a working day. A line
    that names two festivals gives its first day to the first and the rest to the second. Raises DomainError
    naming each line it cannot read."""
    entries: list[DayEntry] = []
    errors = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        head, _sep, body = line.partition("：") if "：" in line else line.partition(":")
        if not body:
            head, body = line, line
        festivals = [f for f, words in FESTIVAL_WORDS.items() if any(w in head for w in words)]
        if not festivals:
            errors.append(_("Line %(n)d names no festival: “%(line)s”.") % {"n": number, "line": line[:40]})
            continue
        festivals.sort(key=lambda f: min(head.find(w) for w in FESTIVAL_WORDS[f] if w in head))
        found_off = False
        for sentence in re.split(r"[。；;]", body):
            if "上班" in sentence:
                for m in _DATE.finditer(sentence):
                    day = _date_of(m.group(1), m.group(2), m.group(3), year, None)
                    if day is None:
                        errors.append(
                            _("Line %(n)d: a date I cannot read in “%(s)s”.") % {"n": number, "s": sentence}
                        )
                        continue
                    entries.append(DayEntry(day, DayKind.WORK))
            elif "放假" in sentence and not found_off:
                m = _RANGE.search(sentence)
                if m is None:
                    errors.append(
                        _("Line %(n)d: no dates before 放假 in “%(s)s”.") % {"n": number, "s": sentence}
                    )
                    continue
                first = _date_of(m.group(1), m.group(2), m.group(3), year, None)
                last = (
                    _date_of(m.group(4), m.group(5), m.group(6), first.year if first else year, first)
                    if m.group(6)
                    else first
                )
                if first is None or last is None or last < first or (last - first).days > 15:
                    errors.append(
                        _("Line %(n)d: a date range I cannot read in “%(s)s”.") % {"n": number, "s": sentence}
                    )
                    continue
                found_off = True
                day = first
                while day <= last:
                    festival = festivals[0] if day == first or len(festivals) == 1 else festivals[-1]
                    entries.append(DayEntry(day, DayKind.OFF, festival))
                    day += dt.timedelta(days=1)
        if not found_off:
            errors.append(
                _("Line %(n)d gives no days off (… 放假): “%(line)s”.") % {"n": number, "line": line[:40]}
            )
    if errors:
        raise DomainError(" ".join(errors), field="notice")
    # Days of a festival that fall in the next or previous year (元旦 from 12-31) belong to that year's
    # schedule; a weekend there is off anyway.
    return [e for e in entries if e.day.year == year or e.day.weekday() < 5 or e.kind == DayKind.WORK]


def _date_of(y: str | None, m: str | None, d: str, year: int, after: dt.date | None) -> dt.date | None:
    month = int(m) if m else (after.month if after else None)
    if month is None:
        return None
    try:
        day = dt.date(int(y) if y else (after.year if after else year), month, int(d))
    except ValueError:
        return None
    if after is not None and not y and day < after:  # 12月31日至1月2日
        day = day.replace(year=day.year + 1)
    return day


def seed_from_library(year_model=None, day_model=None) -> list[int]:
    """Load the years chinese-calendar knows into the table: a year the office entered is left as it is, a year
    loaded before is loaded again (a newer package may correct it). Returns the years written. Used by the data
    migration (with its historical models) and by `manage.py calendar_seed`."""
    from django.db import transaction

    if year_model is None or day_model is None:
        from .models import WorkCalendarDay, WorkCalendarYear

        year_model, day_model = WorkCalendarYear, WorkCalendarDay
    written = []
    with transaction.atomic():
        office = set(year_model.objects.filter(source="office").values_list("year", flat=True))
        for year, sched in sorted(library_schedules().items()):
            if year in office:
                continue
            row, _created = year_model.objects.update_or_create(
                year=year, defaults={"source": "library", "notice_number": "", "notice_date": None}
            )
            day_model.objects.filter(calendar=row).delete()
            day_model.objects.bulk_create(
                [day_model(calendar=row, day=d, kind="off", festival=f) for d, f in sorted(sched.off.items())]
                + [day_model(calendar=row, day=d, kind="work", festival="") for d in sorted(sched.work)]
            )
            written.append(year)
    invalidate()
    return written


KIND_WORDS = {
    "放假": DayKind.OFF,
    "休": DayKind.OFF,
    "off": DayKind.OFF,
    "上班": DayKind.WORK,
    "班": DayKind.WORK,
    "work": DayKind.WORK,
}


def festival_of_word(word: str) -> str | None:
    word = (word or "").strip()
    if not word:
        return ""
    if word in Festival.values:
        return word
    for festival, words in FESTIVAL_WORDS.items():
        if any(w in word for w in words):
            return festival
    return None


def parse_day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.fullmatch(
        r"(\d{4})年(\d{1,2})月(\d{1,2})日", text
    )
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_rows(rows: Iterable[tuple[int, object, object, object]]) -> list[DayEntry]:
    """Days given as rows (line or Excel row number, date, 放假/上班, festival): the grid's lines and an Excel
    sheet's rows. Raises DomainError naming every row it cannot read."""
    entries, errors = [], []
    for number, day_value, kind_value, festival_value in rows:
        day = parse_day(day_value)
        kind = KIND_WORDS.get(str(kind_value or "").strip())
        festival = festival_of_word(str(festival_value or ""))
        if day is None:
            errors.append(_("Row %(n)d: “%(v)s” is not a date (YYYY-MM-DD).") % {"n": number, "v": day_value})
        elif kind is None:
            errors.append(
                _("Row %(n)d: the kind must be 放假 or 上班, not “%(v)s”.") % {"n": number, "v": kind_value}
            )
        elif festival is None:
            errors.append(_("Row %(n)d: unknown festival “%(v)s”.") % {"n": number, "v": festival_value})
        else:
            entries.append(DayEntry(day, kind, festival if kind == DayKind.OFF else ""))
    if errors:
        raise DomainError(" ".join(errors), field="days")
    return entries


def parse_day_lines(text: str) -> list[DayEntry]:
    """The grid's form of a schedule, one day a line: `2027-02-06 放假 春节` or `2027-02-20 上班`."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace("，", " ").replace(",", " ").split()
        if parts:
            rows.append(
                (number, parts[0], parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")
            )
    return parse_rows(rows)


def day_lines(sched: Schedule) -> str:
    """A schedule in the grid's form (the inverse of `parse_day_lines`)."""
    words = {f: FESTIVAL_WORDS[f][0] for f in Festival}
    lines = []
    for day in sorted(set(sched.off) | set(sched.work)):
        if day in sched.work:
            lines.append(f"{day.isoformat()} 上班")
        else:
            lines.append(f"{day.isoformat()} 放假 {words.get(sched.off[day], '其他')}")
    return "\n".join(lines)
