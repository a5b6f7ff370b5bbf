"""The benchmark's duty month (issue 11): a year of receptions at the liaison stations and of deputies'
activities, and a provincial campaign for July, written in bulk over the deputies, congresses, stations and
units that `minsheng.demo.generator` made (and the cases `cases_data.py` made, when they are there).

Deterministic: one `random.Random(seed + 11)` draws everything in a fixed order (stations and congresses in id
order); every date is counted from `today` (default: today), the window a year back from it, or from the 1st
of the campaign's July when that is earlier, to yesterday (receptions; "now" is the start of today, so nothing
lies ahead of the clock) or 30 days ahead (reception days and activities already planned).

What is made (the sizes are `SIZES`; `guangdong`: 1,000,000 receptions and 500,000 activities):

- reception days (接待日): every liaison station (代表联络站) on the 15th of each month and every Wednesday of
  the campaign's July, a 代表之家 twice a month, a 联系点 on the first Wednesday; 2–4 deputies on duty, drawn
  from the deputies attached to the station (a home or contact point has none of its own: those of the
  stations of its county or town); 3% cancelled;
- receptions, shared out among the stations by kind (station 3, home 2, contact point 1), the days weighted
  (weekends 0.3, the campaign's July 2.5); six in ten on one of the station's reception days with 1–3 of its
  deputies on duty, the others with 1–3 of the station's deputies; 1–3 matters each (反映事项) with their
  disposal (answered on the spot 35%, town 30%, higher 15%, a suggestion 10%, a wish 10%), the unit or
  authority sent to, the case it became (one of the station's cases, when there are cases), the answer due,
  answered and the visitor told as the time since allows; the reception is archived when every matter is
  closed. The reception's single-matter fields (matter, category, outcome, referred_to, case) are filled from
  its first matter while the model still has them;
- activities by congress (provincial 1%, city 9%, county 25%, town 65%, by seats within a level) and kind
  (the built-in kinds, weighted by level), the same weighted days; held, cancelled or planned; a few to a few
  dozen participations each among the congress's deputies with an active seat (present 82%, on leave 10%
  with a reason, absent 8%; invited or signed up when planned), signed in by QR code or by staff;
- the campaign: 集中履职月 of the Guangdong provincial congress for the campaign's July, with targets;
- a staff account per congress (`bench_s<congress id>`, as the cases part names them) where missing.

Only the fields the skeleton has are named (see `TABLES`); a field another part removes is skipped, a field
another part adds is written with its default (null or `default=`), so a new nullable or defaulted field does
not break the build. Written as `cases_data.Writer` writes: COPY on PostgreSQL from a second thread, one
transaction per chunk, executemany on SQLite; memory stays bounded (a chunk of stations or of activities at a
time).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from .cases_data import TOPICS, Writer, _name, _pick

# (receptions, activities) per scale
SIZES = {"tiny": (2_000, 1_000), "jiangmen": (40_000, 20_000), "guangdong": (1_000_000, 500_000)}
CHUNK = 20_000  # receptions (or activities) a chunk
STATION_WEIGHT = {"station": 3.0, "home": 2.0, "contact_point": 1.0}
LEVEL_SHARE = {"provincial": 0.01, "city": 0.09, "county": 0.25, "township": 0.65}
JULY_WEIGHT, WEEKEND_WEIGHT = 2.5, 0.3
DISPOSALS = (("answered", 35), ("town", 30), ("higher", 15), ("suggestion", 10), ("wish", 10))
# kind code: weight by level (provincial, city, county, township), participants (lo, hi), hours
KINDS = {
    "research": ((14, 12, 10, 6), (5, 25), 6),
    "inspection": ((12, 12, 10, 6), (8, 40), 6),
    "group": ((4, 12, 20, 34), (4, 15), 3),
    "meet_leader": ((4, 5, 5, 3), (3, 10), 2),
    "briefing": ((10, 8, 7, 4), (10, 40), 3),
    "training": ((12, 10, 8, 6), (10, 60), 6),
    "report": ((2, 6, 10, 14), (1, 4), 2),
    "electoral_unit": ((8, 8, 8, 6), (1, 5), 3),
    "planting": ((4, 5, 6, 5), (8, 30), 3),
}
LEVEL_INDEX = {"provincial": 0, "city": 1, "county": 2, "township": 3}
DEPT_CATEGORY = {
    "交通运输局": "transport",
    "公安局": "transport",
    "民政局": "social_security",
    "人力资源和社会保障局": "social_security",
    "教育局": "education",
    "卫生健康局": "health",
    "住房和城乡建设局": "urban_rural",
    "农业农村局": "urban_rural",
    "水务局": "urban_rural",
    "城市管理和综合执法局": "urban_rural",
    "生态环境局": "environment",
}
HIGHER_NAMES = ["市信访局", "市住房和城乡建设局", "市交通运输局", "县人民法院", "市市场监督管理局"]
ANSWERS = [
    "经核实，相关部门已安排人员现场处理，问题已解决。",
    "已纳入下一年度工作计划，将分步实施。",
    "受资金限制暂不能实施，已向来访群众解释说明。",
    "已协调所在村（居）委会落实整改。",
]
OUTCOME_NOTES = {"answered": "", "referred": "已转交有关单位办理", "case": "已形成代表建议", "none": ""}
FEEDBACK_NOTES = ["", "", "", "来访群众表示满意。", "来访群众表示理解。"]
LEAVE_REASONS = ["因公出差", "身体不适", "单位有重要工作安排", "家中有事"]
LEADERS = {"provincial": "副省长", "city": "市长", "county": "县（市、区）长", "township": "镇长"}
MINUTES = "活动围绕{topic}开展，代表们实地察看并座谈交流，提出意见建议{n}条，已整理交有关部门研究办理。"

Progress = Callable[[str], None]

TABLES = {
    # key: (model path, the skeleton's fields by attname; "id" absent: the database numbers the rows)
    "day": (
        "activities.ReceptionDay",
        "id created_at updated_at station_id day starts_at ends_at note is_cancelled created_by_id",
    ),
    "day_deputy": ("activities.ReceptionDay.deputies", "receptionday_id deputy_id"),
    "reception": (
        "activities.Reception",
        "id created_at updated_at station_id received_at visitor_count contact_name contact_phone matter "
        "category outcome referred_to_id outcome_note case_id recorded_by_id reception_day_id archived_at",
    ),
    "reception_deputy": ("activities.Reception.deputies", "reception_id deputy_id"),
    "matter": (
        "activities.ReceptionMatter",
        "created_at updated_at reception_id position text category disposal referred_to_id referred_to_name "
        "case_id status answer_due answer answered_at feedback_at feedback_how feedback_note",
    ),
    "activity": (
        "activities.Activity",
        "id created_at updated_at kind_id title topic congress_id place_id location station_id starts_at "
        "ends_at leader status minutes checkin_token created_by_id",
    ),
    "activity_case": ("activities.Activity.cases", "activity_id case_id"),
    "participation": (
        "activities.Participation",
        "created_at updated_at activity_id deputy_id status checked_in_at method leave_reason in_full",
    ),
}
WITH_IDS = ("day", "reception", "activity")


@dataclass
class DutyBuilt:
    counts: dict[str, int]
    timings: dict[str, float]
    campaign_id: int | None


# --- the tables, as the models are today ------------------------------------------------------------------


def _model(path: str):
    """`app.Model`, or `app.Model.m2m_field` for the table of a many-to-many field."""
    from django.apps import apps

    app, name, *m2m = path.split(".")
    model = apps.get_model(app, name)
    return model._meta.get_field(m2m[0]).remote_field.through if m2m else model


class Table:
    """The rows of one table as the generator makes them (the skeleton's fields, in `names` order), written as
    the model has them now: a field that is gone is left out, a field that is new gets its default."""

    def __init__(self, path: str, names: str):
        from django.db import connection
        from django.db.models import NOT_PROVIDED, AutoField, BigAutoField, SmallAutoField

        self.model = _model(path)
        self.names = names.split()
        concrete = {f.attname: f for f in self.model._meta.concrete_fields}
        self.keep = [i for i, n in enumerate(self.names) if n in concrete]
        self.dropped = [n for n in self.names if n not in concrete]
        self.constants: list = []
        self.callables: list = []
        extra = []
        for attname, f in concrete.items():
            if attname in self.names or isinstance(f, AutoField | BigAutoField | SmallAutoField):
                continue
            if f.db_default is not NOT_PROVIDED:
                continue  # the database fills it
            if f.has_default() and callable(f.default):
                self.callables.append(f)
            elif f.null:
                self.constants.append(None)
            elif f.has_default():
                self.constants.append(f.get_db_prep_save(f.get_default(), connection))
            else:
                raise RuntimeError(
                    f"bench/duty_data.py does not know the new field {self.model.__name__}.{attname}: "
                    "it is neither nullable nor has a default; add it to TABLES"
                )
            extra.append(f)
        self.extra = [f for f in extra if not (f.has_default() and callable(f.default))] + self.callables
        self.columns = [concrete[self.names[i]].column for i in self.keep] + [f.column for f in self.extra]
        self.simple = len(self.keep) == len(self.names) and not self.extra

    def rows(self, rows: list[tuple]) -> list[tuple]:
        if self.simple:
            return rows
        from django.db import connection

        keep, constants, callables = self.keep, tuple(self.constants), self.callables
        out = []
        for row in rows:
            values = tuple(row[i] for i in keep) + constants
            if callables:
                values += tuple(f.get_db_prep_save(f.default(), connection) for f in callables)
            out.append(values)
        return out


def tables() -> dict[str, Table]:
    return {key: Table(path, names) for key, (path, names) in TABLES.items()}


# --- dates ----------------------------------------------------------------------------------------------------


def campaign_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last July that is over (in August 2026 and later: July 2026)."""
    year = today.year if today >= dt.date(today.year, 8, 1) else today.year - 1
    return dt.date(year, 7, 1), dt.date(year, 7, 31)


class Days:
    """The days of the window with their weights: a day a reception or an activity is drawn from."""

    def __init__(self, first: dt.date, last: dt.date, july: tuple[dt.date, dt.date], *, weekends: float):
        n = (last - first).days + 1
        self.days = [first + dt.timedelta(days=i) for i in range(n)]
        weights = []
        for day in self.days:
            w = weekends if day.weekday() >= 5 else 1.0
            if july[0] <= day <= july[1]:
                w *= JULY_WEIGHT
            weights.append(w)
        self.cum = list(accumulate(weights))

    def draw(self, rng: random.Random, k: int) -> list[dt.date]:
        return rng.choices(self.days, cum_weights=self.cum, k=k)


def _at(day: dt.date, hour: float, tz) -> dt.datetime:
    h = int(hour)
    return dt.datetime(day.year, day.month, day.day, h, int((hour - h) * 60), tzinfo=tz)


# --- the world ------------------------------------------------------------------------------------------------


@dataclass
class StationRef:
    id: int
    kind: str
    code: str  # its place's code
    name: str
    congress_id: int
    deputies: list[int]  # attached, or those of the stations around it
    gov_unit: int | None  # the unit a matter sent to the town goes to
    higher_units: list[int]  # the county's (or city's) units
    cases: list[int]


class World:
    """What the duty month refers to, read once from the database."""

    def __init__(self, region: str, progress: Progress):
        from django.db.models import Q

        from minsheng.cases.models import Case
        from minsheng.congresses.models import Congress
        from minsheng.deputies.models import Seat
        from minsheng.stations.models import Station, StationDeputy
        from minsheng.units.models import Unit

        self.congresses = {
            c[0]: c
            for c in Congress.objects.filter(
                Q(region_prefix__startswith=region) | Q(level="provincial", region_prefix=region[:2])
            )
            .exclude(level="national")
            .order_by("id")
            .values_list("id", "level", "region_prefix", "place_id", "name", "parent_id")
        }
        self.province = next(c[0] for c in self.congresses.values() if c[1] == "provincial")
        by_prefix = {c[2]: c[0] for c in self.congresses.values()}
        self.seats: dict[int, list[int]] = defaultdict(list)
        for deputy_id, congress_id in (
            Seat.objects.filter(status="active", congress_id__in=self.congresses)
            .order_by("id")
            .values_list("deputy_id", "congress_id")
            .iterator(chunk_size=20_000)
        ):
            self.seats[congress_id].append(deputy_id)

        attached: dict[int, list[int]] = defaultdict(list)
        for station_id, deputy_id in (
            StationDeputy.objects.filter(station__place__code__startswith=region)
            .order_by("id")
            .values_list("station_id", "deputy_id")
            .iterator(chunk_size=20_000)
        ):
            attached[station_id].append(deputy_id)
        rows = list(
            Station.objects.filter(place__code__startswith=region, is_active=True)
            .order_by("id")
            .values_list("id", "kind", "place__code", "name", "congress_id", "place_id")
        )
        around: dict[str, list[int]] = defaultdict(list)  # town (9) or county (6) code -> deputies
        for sid, _kind, code, *_rest in rows:
            for length in (6, 9):
                around[code[:length]].extend(attached.get(sid, ()))
        units: dict[int, list[int]] = defaultdict(list)
        gov: dict[int, int] = {}
        for uid, kind, congress_id in (
            Unit.objects.filter(congress_id__in=self.congresses, is_active=True)
            .order_by("id")
            .values_list("id", "kind", "congress_id")
        ):
            units[congress_id].append(uid)
            if kind == "government":
                gov.setdefault(congress_id, uid)
        cases: dict[int, list[int]] = defaultdict(list)
        self.congress_cases: dict[int, list[int]] = defaultdict(list)
        for cid, station_id, congress_id in (
            Case.objects.filter(status__in=["accepted", "assigned", "answered", "closed"])
            .order_by("id")
            .values_list("id", "station_id", "congress_id")
            .iterator(chunk_size=50_000)
        ):
            if station_id and len(cases[station_id]) < 50:  # a sample, to keep memory bounded
                cases[station_id].append(cid)
            if len(self.congress_cases[congress_id]) < 200:
                self.congress_cases[congress_id].append(cid)
        self.stations: list[StationRef] = []
        for sid, kind, code, name, congress_id, _place_id in rows:
            deputies = (
                attached.get(sid) or around.get(code[:9] if kind == "contact_point" else code[:6]) or []
            )
            if not deputies:
                continue
            above = None
            congress = self.congresses.get(congress_id)
            if congress and congress[1] == "township":
                above = congress[5]
            higher = units.get(above) or units.get(by_prefix.get(code[:4])) or units.get(congress_id, [])
            self.stations.append(
                StationRef(
                    sid,
                    kind,
                    code,
                    name,
                    congress_id,
                    deputies,
                    gov.get(congress_id) or (units.get(congress_id) or [None])[0],
                    higher,
                    cases.get(sid, []),
                )
            )
        # The towns' stations, for the activities' places: (place id, station id, code)
        self.town_stations = [(r[5], r[0], r[2], r[3]) for r in rows if r[1] == "station"]
        self.under: dict[int, list[int]] = defaultdict(list)  # congress -> indexes into town_stations
        for i, (_pid, _sid, code, _label) in enumerate(self.town_stations):
            for length in (2, 4, 6, 9):
                if code[:length] in by_prefix:
                    self.under[by_prefix[code[:length]]].append(i)
        progress(
            f"  duty month's world: {len(self.stations)} stations with deputies, {len(self.congresses)} "
            f"congresses, {sum(len(v) for v in self.seats.values())} active seats"
        )


def ensure_staff(world: World) -> dict[int, int]:
    """A staff account per congress (`bench_s<id>`, unusable password) where none exists: who records the
    receptions and organises the activities. Returns {congress id: user id}."""
    from django.utils import timezone

    from minsheng.accounts.models import User

    names = {f"bench_s{c}": c for c in world.congresses}
    have = dict(User.objects.filter(username__in=list(names)).values_list("username", "id"))
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                username=username,
                role="congress_staff",
                congress_id=congress_id,
                display_name=f"{world.congresses[congress_id][4]}工作人员",
                password="!",
                date_joined=now,
            )
            for username, congress_id in names.items()
            if username not in have
        ],
        batch_size=5000,
    )
    ids = dict(User.objects.filter(username__in=list(names)).values_list("username", "id"))
    return {congress_id: ids[username] for username, congress_id in names.items()}


# --- receptions -----------------------------------------------------------------------------------------------


class ReceptionFactory:
    def __init__(self, world: World, staff: dict[int, int], rng: random.Random, *, today, ids: dict):
        from django.utils import timezone

        from minsheng.common.crypto import encrypt

        self.world, self.staff, self.rng, self.ids = world, staff, rng, dict(ids)
        self.tz = timezone.get_current_timezone()
        self.today = today
        self.now = dt.datetime.combine(
            today, dt.time(0, 0), tzinfo=self.tz
        )  # nothing today yet: never ahead of the clock
        self.july = campaign_month(today)
        self.first = min(today - dt.timedelta(days=365), self.july[0])
        self.last = today + dt.timedelta(days=30)
        self.days = Days(self.first, today - dt.timedelta(days=1), self.july, weekends=WEEKEND_WEIGHT)
        self.encrypt = encrypt
        self.counts: Counter = Counter()
        self.disposal_cum = list(accumulate(w for _d, w in DISPOSALS))
        self.topics = [
            (problem, DEPT_CATEGORY.get(dept, "other")) for _t, dept, ps, _a in TOPICS for problem in ps
        ]

    def new_id(self, key: str) -> int:
        value = self.ids[key]
        self.ids[key] = value + 1
        return value

    def shares(self, total: int) -> list[int]:
        """Receptions per station: by the station's kind, the remainder spread at random."""
        rng = self.rng
        weights = [STATION_WEIGHT.get(s.kind, 1.0) for s in self.world.stations]
        scale = total / sum(weights)
        counts = [int(w * scale) for w in weights]
        for i in rng.sample(range(len(counts)), total - sum(counts)):
            counts[i] += 1
        return counts

    def reception_days(self, station: StationRef) -> list[dt.date]:
        first, last, july = self.first, self.last, self.july
        days = set()
        month = dt.date(first.year, first.month, 1)
        while month <= last:
            if station.kind == "home":
                days.update({month.replace(day=10), month.replace(day=25)})
            elif station.kind == "contact_point":
                days.add(month + dt.timedelta(days=(2 - month.weekday()) % 7))  # the first Wednesday
            else:
                days.add(month.replace(day=15))
            month = (month + dt.timedelta(days=32)).replace(day=1)
        if station.kind == "station":
            day = july[0]
            while day <= july[1]:
                if day.weekday() == 2:
                    days.add(day)
                day += dt.timedelta(days=1)
        return sorted(d for d in days if first <= d <= last)

    def station(self, rows, station: StationRef, count: int) -> None:
        rng, tz = self.rng, self.tz
        recorder = self.staff[station.congress_id]
        pool = station.deputies
        # Its reception days: 9:00-11:30 (a contact point) or 9:00-12:00.
        slots = []
        for day in self.reception_days(station):
            did = self.new_id("day")
            on_duty = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
            cancelled = rng.random() < 0.03
            created = min(_at(day - dt.timedelta(days=rng.randint(10, 30)), 10, tz), self.now)
            # Times as text: COPY and SQLite both take "09:00:00".
            ends = "11:30:00" if station.kind == "contact_point" else "12:00:00"
            july = self.july[0] <= day <= self.july[1]
            note = "因天气原因暂停接待" if cancelled else "集中履职月接待日" if july else ""
            rows["day"].append(
                (did, created, created, station.id, day, "09:00:00", ends, note, cancelled, recorder)
            )
            for d in on_duty:
                rows["day_deputy"].append((did, d))
            self.counts["reception_days"] += 1
            if not cancelled and day < self.today:
                slots.append((did, day, on_duty))
        for day in self.days.draw(rng, count):
            if slots and rng.random() < 0.6:
                day_id, day, on_duty = rng.choice(slots)
                at = _at(day, rng.uniform(9, 11.9), tz)
                deputies = rng.sample(on_duty, rng.randint(1, len(on_duty)))
            else:
                day_id = None
                at = _at(day, rng.uniform(8.5, 17.5), tz)
                deputies = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
            self.reception(rows, station, at, day_id, deputies, recorder)

    def reception(self, rows, station: StationRef, at: dt.datetime, day_id, deputies, recorder) -> None:
        rng = self.rng
        rid = self.new_id("reception")
        matters = []
        for position in range(1, rng.choices((1, 2, 3), weights=(55, 30, 15))[0] + 1):
            matters.append(self.matter(station, rid, position, at))
        rows["matter"].extend(matters)
        closed = [m[14] for m in matters if m[10] == "closed"]  # feedback_at
        archived = max(closed) + dt.timedelta(days=1) if len(closed) == len(matters) else None
        if archived is not None and (archived > self.now or rng.random() < 0.1):
            archived = None
        first = matters[0]
        disposal, referred_to, case_id = first[6], first[7], first[9]
        if disposal in ("town", "higher") and referred_to:
            outcome = "referred"
        elif disposal in ("suggestion", "wish") and case_id:
            outcome = "case"
        elif disposal == "answered":
            outcome = "answered"
        else:
            outcome = "none"
        contact = rng.random() < 0.7
        rows["reception"].append(
            (
                rid,
                at,
                archived or at,
                station.id,
                at,
                rng.choices((1, 1, 1, 2, 3, 5))[0],
                self.encrypt(_name(rng)) if contact else "",
                self.encrypt(f"1{rng.choice('35789')}{rng.randrange(10**9):09d}") if contact else "",
                first[4],
                first[5],
                outcome,
                referred_to if outcome == "referred" else None,
                OUTCOME_NOTES[outcome],
                case_id if outcome == "case" else None,
                recorder,
                day_id,
                archived,
            )
        )
        for d in deputies:
            rows["reception_deputy"].append((rid, d))
        self.counts["receptions"] += 1
        self.counts["matters"] += len(matters)

    def matter(self, station: StationRef, rid: int, position: int, at: dt.datetime) -> tuple:
        rng, now = self.rng, self.now
        problem, category = rng.choice(self.topics)
        text = f"{station.name.removesuffix('人大代表联络站').removesuffix('人大代表联系点')}群众反映：{problem}。"
        disposal = DISPOSALS[_pick(self.disposal_cum, rng.random() * self.disposal_cum[-1])][0]
        referred_to, referred_name, case_id = None, "", None
        answer, answered_at, feedback_at, feedback_how, note = "", None, None, "", ""
        age = (now - at).total_seconds() / 86400
        if disposal == "answered":
            status, due = "closed", None
            answer, answered_at, feedback_at, feedback_how = rng.choice(ANSWERS), at, at, "in_person"
        else:
            days = 15 if disposal == "town" else 30
            due = at.date() + dt.timedelta(days=days)
            if disposal == "town":
                referred_to = station.gov_unit
            elif disposal == "higher":
                if station.higher_units and rng.random() < 0.7:
                    referred_to = rng.choice(station.higher_units)
                else:
                    referred_name = rng.choice(HIGHER_NAMES)
            elif station.cases and rng.random() < 0.6:
                case_id = rng.choice(station.cases)
            p_answered = 0.9 if age > days else 0.5 * age / days
            status = "open"
            if rng.random() < p_answered:
                answered_at = at + dt.timedelta(days=rng.uniform(0.5, min(age, days * 1.3)))
                answer = rng.choice(ANSWERS)
                status = "answered"
                told = answered_at + dt.timedelta(days=rng.uniform(0.1, 5))
                if told < now and rng.random() < 0.9:
                    status, feedback_at = "closed", told
                    feedback_how = rng.choice(("phone", "phone", "sms", "visit", "letter", "in_person"))
                    note = rng.choice(FEEDBACK_NOTES)
        self.counts[f"matters_{status}"] += 1
        updated = feedback_at or answered_at or at
        return (
            at,
            updated,
            rid,
            position,
            text,
            category,
            disposal,
            referred_to,
            referred_name,
            case_id,
            status,
            due,
            answer,
            answered_at,
            feedback_at,
            feedback_how,
            note,
        )


# --- activities -----------------------------------------------------------------------------------------------


class ActivityFactory:
    def __init__(self, world: World, staff: dict[int, int], rng: random.Random, *, today, ids: dict):
        from django.utils import timezone

        from minsheng.activities.models import ActivityKind

        self.world, self.staff, self.rng, self.ids = world, staff, rng, dict(ids)
        self.tz = timezone.get_current_timezone()
        self.today = today
        self.now = dt.datetime.combine(
            today, dt.time(0, 0), tzinfo=self.tz
        )  # nothing today yet: never ahead of the clock
        july = campaign_month(today)
        first = min(today - dt.timedelta(days=365), july[0])
        self.days = Days(first, today + dt.timedelta(days=30), july, weekends=WEEKEND_WEIGHT)
        self.kinds = {
            code: (pk, name)
            for code, pk, name in ActivityKind.objects.filter(congress__isnull=True).values_list(
                "code", "id", "name"
            )
        }
        self.codes = [c for c in KINDS if c in self.kinds]
        self.counts: Counter = Counter()

    def new_id(self, key: str) -> int:
        value = self.ids[key]
        self.ids[key] = value + 1
        return value

    def plan(self, total: int) -> list[int]:
        """The organising congress of each activity (congress ids, in a random order): shared out by level,
        within a level by active seats."""
        rng, world = self.rng, self.world
        by_level: dict[str, list[int]] = defaultdict(list)
        for cid, c in world.congresses.items():
            if world.seats.get(cid):
                by_level[c[1]].append(cid)
        shares = {level: share for level, share in LEVEL_SHARE.items() if by_level.get(level)}
        scale = 1 / sum(shares.values())
        out: list[int] = []
        levels = list(shares)
        for n, level in enumerate(levels):
            k = total - len(out) if n == len(levels) - 1 else round(total * shares[level] * scale)
            congresses = by_level[level]
            out += rng.choices(congresses, weights=[len(world.seats[c]) for c in congresses], k=k)
        rng.shuffle(out)
        return out

    def activity(self, rows, congress_id: int) -> None:
        rng, world, tz = self.rng, self.world, self.tz
        _cid, level, _prefix, place_id, congress_name, _parent = world.congresses[congress_id]
        code = rng.choices(self.codes, weights=[KINDS[c][0][LEVEL_INDEX[level]] for c in self.codes])[0]
        kind_id, kind_name = self.kinds[code]
        _w, (lo, hi), hours = KINDS[code]
        aid = self.new_id("activity")
        day = self.days.draw(rng, 1)[0]
        starts = _at(day, rng.choice((9, 9, 9.5, 14.5, 15)), tz)
        ends = starts + dt.timedelta(hours=hours if starts.hour < 12 else min(hours, 3))
        topic_title, _dept, problems, _asks = rng.choice(TOPICS)
        under = world.under.get(congress_id)
        station_id = None
        if under:
            place, sid, _code, station_name = world.town_stations[rng.choice(under)]
            location = station_name
            if code in ("group", "report", "electoral_unit") or rng.random() < 0.3:
                station_id = sid
        else:
            place, location = place_id, f"{congress_name}会议室"
        if starts > self.now:
            status = "planned"
        else:
            r = rng.random()
            status = "cancelled" if r < 0.02 else "planned" if r < 0.04 else "held"
        seats = world.seats[congress_id]
        deputies = rng.sample(seats, min(len(seats), rng.randint(lo, hi)))
        present = 0
        for d in deputies:
            in_full = True
            checked_in, method, reason = None, "", ""
            if status == "held":
                r = rng.random()
                if r < 0.82:
                    p_status, present = "present", present + 1
                    checked_in = starts - dt.timedelta(minutes=rng.uniform(-10, 30))
                    method = "qr" if rng.random() < 0.7 else "staff"
                    in_full = code != "training" or rng.random() < 0.85
                elif r < 0.92:
                    p_status, reason = "leave", rng.choice(LEAVE_REASONS)
                else:
                    p_status = "absent"
            else:
                p_status = "signed_up" if rng.random() < 0.4 else "invited"
            # when the row last changed: the sign-in, or the activity's start — never after "now" (the worker's
            # incremental refresh reads these times: a row stamped in the future would count as changed forever)
            updated = min(checked_in or starts, self.now)
            rows["participation"].append(
                (
                    min(starts - dt.timedelta(days=7), self.now),
                    updated,
                    aid,
                    d,
                    p_status,
                    checked_in,
                    method,
                    reason,
                    in_full,
                )
            )
            self.counts[f"participations_{p_status}"] += 1
        created = min(starts - dt.timedelta(days=rng.randint(3, 21)), self.now)
        rows["activity"].append(
            (
                aid,
                created,
                ends if status == "held" else created,
                kind_id,
                f"{kind_name}：{topic_title}",
                rng.choice(problems),
                congress_id,
                place,
                location,
                station_id,
                starts,
                ends,
                LEADERS[level] if code == "meet_leader" else "",
                status,
                MINUTES.format(topic=topic_title, n=max(1, present // 2)) if status == "held" else "",
                f"{rng.getrandbits(144):036x}",
                self.staff[congress_id],
            )
        )
        cases = world.congress_cases.get(congress_id)
        if cases and code in ("research", "inspection") and rng.random() < 0.1:
            for case_id in rng.sample(cases, min(len(cases), rng.randint(1, 3))):
                rows["activity_case"].append((aid, case_id))
        self.counts["activities"] += 1
        self.counts[f"activities_{status}"] += 1
        self.counts["participations"] += len(deputies)


# --- the campaign ---------------------------------------------------------------------------------------------


def ensure_campaign(world: World, staff: dict[int, int], *, today: dt.date, stations: int) -> int:
    """集中履职月 of the provincial congress for the campaign's July (made once)."""
    from decimal import Decimal

    from minsheng.activities.models import Campaign

    starts, ends = campaign_month(today)
    existing = Campaign.objects.filter(congress_id=world.province, starts_on=starts).order_by("id").first()
    if existing:
        return existing.pk
    campaign = Campaign.objects.create(
        name=f"{starts.year}年广东省各级人大代表集中履职月",
        slogan="集中一个月，履职贯全年",
        theme="聚焦民生实事，五级代表进站履职，广泛听取群众意见建议。",
        congress_id=world.province,
        starts_on=starts,
        ends_on=ends,
        target_receptions_per_station=4,
        target_participation_percent=90,
        target_wishes=max(10, stations * 4),
        target_funds=Decimal(stations * 20_000),
        created_by_id=staff[world.province],
    )
    return campaign.pk


# --- the build ------------------------------------------------------------------------------------------------


def build_duty(
    *,
    scale: str,
    seed: int,
    receptions: int | None = None,
    activities: int | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> DutyBuilt:
    """Generate and store the duty month over the data `data_build` made: the receptions (with their days and
    matters) unless the database has receptions, the activities (with their participations) unless it has
    activities, the campaign unless it is there. `receptions` / `activities`: how many (default: the scale's)."""
    from django.core.management.color import no_style
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from minsheng.activities.models import Activity, Reception
    from minsheng.demo.generator import SCALES

    say = progress or (lambda _msg: None)
    today = today or timezone.localdate()
    n_receptions, n_activities = SIZES[scale]
    n_receptions = n_receptions if receptions is None else receptions
    n_activities = n_activities if activities is None else activities
    timings: dict[str, float] = {}
    counts: Counter = Counter()
    started = time.perf_counter()
    world = World(SCALES[scale].region, say)
    staff = ensure_staff(world)
    timings["prepare_s"] = round(time.perf_counter() - started, 2)
    t = tables()
    for key, table in t.items():
        if table.dropped or table.extra:
            say(
                f"  {key}: the model no longer has {table.dropped or '-'}; new fields written with their "
                f"defaults: {[f.name for f in table.extra] or '-'}"
            )
    ids = {key: (t[key].model.objects.aggregate(m=Max("id"))["m"] or 0) + 1 for key in WITH_IDS}

    def write(factory, items, make, label: str, keys: list[str]) -> None:
        writer = Writer()
        generate_s, done, t0 = 0.0, 0, time.perf_counter()
        try:
            for chunk in items:
                g = time.perf_counter()
                rows: dict[str, list[tuple]] = defaultdict(list)
                for item in chunk:
                    make(rows, item)
                generate_s += time.perf_counter() - g
                writer.put([(t[k].model, t[k].columns, t[k].rows(rows.get(k, []))) for k in keys])
                done += 1
                if done % 10 == 0:
                    say(f"  {label}: {dict(factory.counts)} ({time.perf_counter() - t0:.0f} s)")
        finally:
            writer.close()
        timings[f"{label}_generate_s"] = round(generate_s, 2)
        timings[f"{label}_write_s"] = round(writer.seconds, 2)
        timings[f"{label}_total_s"] = round(time.perf_counter() - t0, 2)
        for table, n in writer.rows_written.items():
            counts[f"rows_{table}"] += n
        counts.update(factory.counts)

    if Reception.objects.exists():
        say(f"  receptions: reusing the {Reception.objects.count()} in the database")
    elif n_receptions:
        rng = random.Random(seed + 11)
        factory = ReceptionFactory(world, staff, rng, today=today, ids=ids)
        shares = factory.shares(n_receptions)

        def station_chunks():
            chunk, size = [], 0
            for station, count in zip(world.stations, shares, strict=True):
                chunk.append((station, count))
                size += count
                if size >= CHUNK:
                    yield chunk
                    chunk, size = [], 0
            if chunk:
                yield chunk

        write(
            factory,
            station_chunks(),
            lambda rows, item: factory.station(rows, *item),
            "receptions",
            ["day", "day_deputy", "reception", "reception_deputy", "matter"],
        )
        say(f"  receptions: {factory.counts['receptions']} written in {timings['receptions_total_s']} s")
    if Activity.objects.exists():
        say(f"  activities: reusing the {Activity.objects.count()} in the database")
    elif n_activities:
        rng = random.Random(seed + 12)  # its own stream: the receptions' size changes nothing here
        factory = ActivityFactory(world, staff, rng, today=today, ids=ids)
        plan = factory.plan(n_activities)
        write(
            factory,
            (plan[i : i + CHUNK] for i in range(0, len(plan), CHUNK)),
            factory.activity,
            "activities",
            ["activity", "activity_case", "participation"],
        )
        say(f"  activities: {factory.counts['activities']} written in {timings['activities_total_s']} s")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [t[k].model for k in TABLES]):
            cursor.execute(sql)
    campaign_id = ensure_campaign(world, staff, today=today, stations=len(world.stations))
    timings["total_s"] = round(time.perf_counter() - started, 2)
    return DutyBuilt(counts=dict(sorted(counts.items())), timings=timings, campaign_id=campaign_id)
