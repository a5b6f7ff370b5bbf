"""The data generator shared by the demo and the benchmarks: a realistic Jiangmen (or all of Guangdong).

Deterministic: everything random comes from one `random.Random(seed)` and the places are read from the
shipped divisions file in code order, so the same scale and seed give the same people, ID numbers, mobiles,
seats, stations and units on any machine and database. `Generator.plan()` only computes; `write()` stores a
plan with bulk inserts (5,000 deputies in a second or two on SQLite, 150,000 in a few minutes on PostgreSQL).

What is made, per scale (see `SCALES`):

- terms for every congress of the region (city 16th 2022-01-01..2026-12-31, county 17th and town 18th from
  2021-10-01, the provincial and national 14th) and the sessions of each local term;
- deputies with valid ID numbers (region code = the county of their home, births 1955–2000, the 17th digit
  matching the gender) and valid mobiles, and their seats at five levels: city deputies in a 代表团 per county,
  county deputies in a 代表团 per town or street, town deputies in a 代表小组 per village; about one person in
  ten holds seats at two levels (a city deputy also a county or town deputy, a county deputy also a town
  deputy, a provincial or national deputy also a city deputy);
- a 代表联络站 in every town and street (a street's station is run by its county-level congress), a 代表之家 in
  every county, 联系点 in some villages, and every deputy attached to the station of his or her home
  ("五级代表进站");
- handling units: each city's government, its departments, supervisory commission, court and procuratorate;
  the same for each county; each town's government and each street's office.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate

from django.db import transaction
from django.db.models import Q

from minsheng.common.idcard import with_check_digit
from minsheng.places.services import read_divisions

from . import vocab

NATIONAL = "全国"  # the roster's congress column for the National People's Congress
PROVINCE_CODE = "440000"
HOME_KINDS = ("town", "township", "street")  # township-level places where people live and stations stand
CONGRESS_KINDS = ("town", "township")  # a 街道 has no congress
BATCH = 1000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Scale:
    """Seat totals for the region; in a region of several cities they are shared out by the number of
    township-level places (towns and streets) of each city."""

    name: str
    region: str
    national: int
    provincial: int
    city: int
    county: int
    town: int
    contact_point_rate: float
    roster_rows: int  # K, the size of the benchmark's roster import

    @property
    def seats(self) -> int:
        return self.national + self.provincial + self.city + self.county + self.town


SCALES = {
    # About 1% of Jiangmen's deputies: for tests and CI.
    "tiny": Scale("tiny", "4407", 1, 2, 6, 16, 45, 0.05, 200),
    # Jiangmen as it is: ~400 city, ~1,500 county, ~4,000 town deputies, and the provincial and national
    # deputies who live there.
    "jiangmen": Scale("jiangmen", "4407", 8, 20, 400, 1500, 4000, 0.42, 5000),
    # All 21 cities of Guangdong: ~150,000 seats, ~12,800 stations.
    "guangdong": Scale("guangdong", "44", 160, 790, 10_000, 37_000, 102_000, 0.42, 20_000),
}

TERMS = {
    # level: (number, start, end)
    "national": (14, dt.date(2023, 3, 5), dt.date(2028, 3, 4)),
    "provincial": (14, dt.date(2023, 1, 12), dt.date(2028, 1, 11)),
    "city": (16, dt.date(2022, 1, 1), dt.date(2026, 12, 31)),
    "county": (17, dt.date(2021, 10, 1), None),
    "township": (18, dt.date(2021, 10, 1), None),
}
SESSIONS = {
    # level: [(start, end)] of 第一次, 第二次 … 会议
    "city": [
        (dt.date(2022, 1, 10), dt.date(2022, 1, 13)),
        (dt.date(2023, 1, 9), dt.date(2023, 1, 12)),
        (dt.date(2024, 1, 15), dt.date(2024, 1, 18)),
        (dt.date(2025, 1, 13), dt.date(2025, 1, 16)),
        (dt.date(2026, 1, 12), dt.date(2026, 1, 15)),
    ],
    "county": [
        (dt.date(2021, 10, 20), dt.date(2021, 10, 22)),
        (dt.date(2022, 12, 27), dt.date(2022, 12, 29)),
        (dt.date(2023, 12, 26), dt.date(2023, 12, 28)),
        (dt.date(2024, 12, 24), dt.date(2024, 12, 26)),
        (dt.date(2025, 12, 23), dt.date(2025, 12, 25)),
    ],
    "township": [
        (dt.date(2021, 10, 12), dt.date(2021, 10, 12)),
        (dt.date(2022, 3, 8), dt.date(2022, 3, 8)),
        (dt.date(2023, 3, 7), dt.date(2023, 3, 7)),
        (dt.date(2024, 3, 5), dt.date(2024, 3, 5)),
        (dt.date(2025, 3, 4), dt.date(2025, 3, 4)),
        (dt.date(2026, 3, 3), dt.date(2026, 3, 3)),
    ],
}

# How often a person seated at one level also holds a seat below (tuned so ~10% of people hold two).
P_UPPER_ALSO_CITY = 0.5  # a provincial or national deputy is also a city deputy
P_CITY_ALSO_COUNTY = 0.35
P_CITY_ALSO_TOWN = 0.08
P_COUNTY_ALSO_TOWN = 0.3
P_ENDED = 0.012
P_RESIGNED = 0.008
P_FEMALE = 0.32


@dataclass(frozen=True, slots=True)
class PlaceRec:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str

    @property
    def has_congress(self) -> bool:
        return self.level in ("province", "city", "county") or self.kind in CONGRESS_KINDS


@dataclass(slots=True)
class Person:
    name: str
    gender: str  # "M" / "F"
    birth_date: dt.date
    ethnicity: str
    party: str
    occupation: str
    id_number: str
    mobile: str
    home: str  # code of the township-level place where the person lives
    village: str  # short name of the home village or community ('' if none)


@dataclass(slots=True)
class SeatPlan:
    person: int  # index into Plan.persons
    congress: str  # place code of the congress, or NATIONAL
    delegation: str
    constituency: str
    status: str = "active"
    end_date: dt.date | None = None
    end_reason: str = ""


@dataclass(slots=True)
class StationPlan:
    name: str
    kind: str
    place: str
    congress: str
    address: str
    opening_hours: str
    phone: str
    description: str


@dataclass(slots=True)
class UnitPlan:
    name: str
    short_name: str
    kind: str
    level: str
    place: str
    congress: str
    parent: str  # name of the parent unit ('' for none)


@dataclass
class Plan:
    scale: Scale
    seed: int
    persons: list[Person] = field(default_factory=list)
    seats: list[SeatPlan] = field(default_factory=list)
    stations: list[StationPlan] = field(default_factory=list)
    units: list[UnitPlan] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        per_person = Counter(s.person for s in self.seats)
        levels = Counter(_level_of_key(s.congress) for s in self.seats)
        return {
            "people": len(self.persons),
            "seats": len(self.seats),
            "people_with_two_seats": sum(1 for n in per_person.values() if n > 1),
            **{f"seats_{level}": n for level, n in sorted(levels.items())},
            "stations": len(self.stations),
            **{f"stations_{k}": n for k, n in sorted(Counter(s.kind for s in self.stations).items())},
            "units": len(self.units),
        }


def _level_of_key(key: str) -> str:
    if key == NATIONAL:
        return "national"
    if key == PROVINCE_CODE:
        return "provincial"
    if len(key) == 6:
        return "city" if key.endswith("00") else "county"
    return "township"


def allocate(total: int, weights: list[float]) -> list[int]:
    """Share `total` out in proportion to `weights` (largest remainder), deterministically."""
    if not weights or total <= 0:
        return [0] * len(weights)
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def short_village_name(name: str) -> str:
    """'五丰村委会' → '五丰村', '澳村村委会' → '澳村', '海宴圩居委会' → '海宴圩社区'."""
    for suffix in ("村民委员会", "村委会"):
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            return base if base.endswith("村") else base + "村"
    for suffix in ("居民委员会", "居委会"):
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            return base if base.endswith("社区") else base + "社区"
    return name


def short_county_name(name: str) -> str:
    """'台山市' → '台山', '蓬江区' → '蓬江' (for '台山代表团'); one-character stems keep their suffix."""
    stem = name[:-1] if name[-1:] in "市区县" else name
    return stem if len(stem) >= 2 else name


class Generator:
    """Plans the data of one scale from one seed. Every random draw happens in a fixed order."""

    def __init__(self, scale: Scale | str, seed: int):
        self.scale = SCALES[scale] if isinstance(scale, str) else scale
        self.seed = seed
        self.rng = random.Random(seed)
        self._id_numbers: set[str] = set()
        self._mobiles: set[str] = set()
        self._surnames, self._surname_cum = self._cumulative(vocab.SURNAMES)
        self._ethnicities, self._ethnicity_cum = self._cumulative(vocab.ETHNICITIES)
        self._parties, self._party_cum = self._cumulative(vocab.PARTIES)
        self._prefixes, self._prefix_cum = self._cumulative(vocab.MOBILE_PREFIXES)
        self._load_places()

    # --- places ------------------------------------------------------------------------------------------

    def _load_places(self) -> None:
        region = self.scale.region
        rows = read_divisions(region=region)
        self.places: dict[str, PlaceRec] = {
            r["code"]: PlaceRec(r["code"], r["name"], r["level"], r["kind"] or "", r["parent_code"] or "")
            for r in sorted(rows, key=lambda r: r["code"])
        }
        inside = [p for p in self.places.values() if p.code.startswith(region)]
        self.cities = [p for p in inside if p.level == "city"]
        self.counties = [p for p in inside if p.level == "county"]
        self.children: dict[str, list[PlaceRec]] = defaultdict(list)
        for p in inside:
            self.children[p.parent_code].append(p)
        # Homes: towns, townships and streets (development zones, farms and prisons are not homes).
        self.homes = [p for p in inside if p.level == "township" and p.kind in HOME_KINDS]
        self.towns = [p for p in self.homes if p.kind in CONGRESS_KINDS]
        self.villages: dict[str, list[str]] = {
            t.code: [short_village_name(v.name) for v in self.children[t.code] if v.kind != "other"]
            for t in self.homes
        }
        township_names = Counter(t.name for t in self.homes)
        self._repeated_township_names = {n for n, c in township_names.items() if c > 1}
        self._homes_under: dict[str, list[PlaceRec]] = {}

    def city_of(self, place: PlaceRec) -> PlaceRec:
        return self.places[place.code[:4] + "00"]

    def county_of(self, township: PlaceRec) -> PlaceRec:
        """The county-level place above a township (the city itself in 东莞 and 中山, which have none)."""
        return self.places[township.parent_code]

    def homes_under(self, place: PlaceRec) -> list[PlaceRec]:
        """The towns and streets in a city or county (a township: itself)."""
        if place.level == "township":
            return [place] if place.kind in HOME_KINDS else []
        prefix = place.code[: 4 if place.level == "city" else 6]
        if prefix not in self._homes_under:
            self._homes_under[prefix] = [h for h in self.homes if h.code.startswith(prefix)]
        return self._homes_under[prefix]

    def delegation_units(self, city: PlaceRec) -> list[PlaceRec]:
        """The city congress's delegations: one per county, or one per town in a city without counties."""
        counties = [c for c in self.counties if c.parent_code == city.code]
        return counties or self.homes_under(city)

    # --- people ------------------------------------------------------------------------------------------

    @staticmethod
    def _cumulative(pairs):
        values = [v for v, _w in pairs]
        return values, list(accumulate(w for _v, w in pairs))

    def _pick(self, values, cum):
        return self.rng.choices(values, cum_weights=cum)[0]

    def person_name(self, gender: str) -> str:
        surname = self._pick(self._surnames, self._surname_cum)
        chars = vocab.GIVEN_FEMALE if gender == "F" else vocab.GIVEN_MALE
        size = 1 if self.rng.random() < 0.25 else 2
        return surname + "".join(self.rng.choice(chars) for _ in range(size))

    def id_number(self, region_code: str, birth: dt.date, gender: str) -> tuple[str, dt.date]:
        """A new valid ID number, and the birth date it encodes (moved a day on if that day is full)."""
        while True:
            for _ in range(20):
                station = self.rng.randrange(100)
                digit = self.rng.choice("13579" if gender == "M" else "02468")
                number = with_check_digit(f"{region_code}{birth:%Y%m%d}{station:02d}{digit}")
                if number not in self._id_numbers:
                    self._id_numbers.add(number)
                    return number, birth
            birth += dt.timedelta(days=1)

    def mobile(self) -> str:
        while True:
            number = self._pick(self._prefixes, self._prefix_cum) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._mobiles:
                self._mobiles.add(number)
                return number

    def birth_date(self) -> dt.date:
        year = int(self.rng.triangular(1955, 2001, 1972))
        year = min(max(year, 1955), 2000)
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def occupation(self, level: str, home: PlaceRec, village: str) -> str:
        rng = self.rng
        county = self.county_of(home)
        city = self.city_of(home)
        county_name = county.name if county.level == "county" else ""
        company = f"{short_county_name(city.name)}{rng.choice(vocab.COMPANY_WORDS)}{rng.choice(vocab.INDUSTRIES)}有限公司"
        head = "镇长" if home.kind == "town" else ("乡长" if home.kind == "township" else "街道办事处主任")
        options = {
            "village": (f"{county_name}{home.name}{village or home.name}党总支书记、主任", 30),
            "farmer": (f"{county_name}{home.name}{village or ''}村民", 12),
            "teacher": (f"{county_name}{home.name}中心小学教师", 8),
            "doctor": (f"{county.name}人民医院{rng.choice(['内科', '外科', '儿科', '妇产科'])}医生", 7),
            "chair": (f"{company}董事长", 12),
            "worker": (f"{company}{rng.choice(['车间主任', '技术员', '工人'])}", 10),
            "town": (f"{county_name}{home.name}{rng.choice(['党委书记', head, '人大主席'])}", 8),
            "county": (f"{county.name}{rng.choice(vocab.COUNTY_DEPARTMENTS)}局长", 6),
            "city": (f"{city.name}{rng.choice(vocab.CITY_DEPARTMENTS)}局长", 3),
            "trader": ("个体工商户", 4),
        }
        bias = {
            "national": {"city": 10, "chair": 10, "county": 4},
            "provincial": {"city": 8, "chair": 8, "county": 6},
            "city": {"city": 4, "county": 4, "chair": 4},
            "county": {"county": 2, "town": 2},
            "township": {"village": 10, "farmer": 8, "county": -5, "city": -3},
        }[level]
        keys = list(options)
        weights = [options[k][1] + bias.get(k, 0) for k in keys]
        return options[rng.choices(keys, weights=weights)[0]][0]

    def new_person(
        self, home: PlaceRec, level: str, *, name: str = "", gender: str = "", village: str = ""
    ) -> Person:
        rng = self.rng
        gender = gender or ("F" if rng.random() < P_FEMALE else "M")
        name = name or self.person_name(gender)
        villages = self.villages.get(home.code) or [""]
        village = village or rng.choice(villages)
        county = self.county_of(home)
        id_number, birth = self.id_number(county.code, self.birth_date(), gender)
        return Person(
            name=name,
            gender=gender,
            birth_date=birth,
            ethnicity=self._pick(self._ethnicities, self._ethnicity_cum),
            party=self._pick(self._parties, self._party_cum),
            occupation=self.occupation(level, home, village),
            id_number=id_number,
            mobile=self.mobile(),
            home=home.code,
            village=village,
        )

    def _status(self, seat: SeatPlan, level: str) -> None:
        r = self.rng.random()
        if r >= P_ENDED + P_RESIGNED:
            return
        seat.status = "ended" if r < P_ENDED else "resigned"
        _number, start, end = TERMS[level]
        last = min(end or dt.date(2026, 9, 30), dt.date(2026, 9, 30))
        seat.end_date = start + dt.timedelta(days=self.rng.randrange(200, (last - start).days))
        seat.end_reason = self.rng.choice(vocab.END_REASONS[seat.status])

    # --- the plan ----------------------------------------------------------------------------------------

    def _weight(self, place: PlaceRec) -> int:
        return len(self.homes_under(place))

    def plan(self, progress: Progress | None = None) -> Plan:
        scale = self.scale
        plan = Plan(scale=scale, seed=self.seed)
        persons, seats, rng = plan.persons, plan.seats, self.rng

        def seat(person: int, congress: str, delegation: str, constituency: str, level: str) -> None:
            s = SeatPlan(person, congress, delegation, constituency)
            self._status(s, level)
            seats.append(s)

        def fresh(home: PlaceRec, level: str) -> int:
            persons.append(self.new_person(home, level))
            return len(persons) - 1

        to_city: dict[str, list[int]] = defaultdict(list)  # delegation unit code -> people
        to_county: dict[str, list[int]] = defaultdict(list)  # home code -> people
        to_town: dict[str, list[int]] = defaultdict(list)  # home code -> people

        def delegation_unit_of(home: PlaceRec) -> str:
            county = self.county_of(home)
            return county.code if county.level == "county" else home.code

        # National and provincial deputies living in the region; half of them are also city deputies.
        city_weights = [self._weight(c) for c in self.cities]
        for level, total, congress in (
            ("national", scale.national, NATIONAL),
            ("provincial", scale.provincial, PROVINCE_CODE),
        ):
            for city, n in zip(self.cities, allocate(total, city_weights), strict=True):
                homes = self.homes_under(city)
                for _ in range(n):
                    p = fresh(rng.choice(homes), level)
                    if level == "national":
                        seat(p, congress, "广东代表团", "广东省", level)
                    else:
                        seat(p, congress, f"{short_county_name(city.name)}代表团", city.name, level)
                    if rng.random() < P_UPPER_ALSO_CITY:
                        to_city[delegation_unit_of(self.places[persons[p].home])].append(p)

        # City deputies, in one delegation per county (or per town in 东莞 and 中山).
        for city, total in zip(self.cities, allocate(scale.city, city_weights), strict=True):
            units = self.delegation_units(city)
            for unit, n in zip(units, allocate(total, [max(1, self._weight(u)) for u in units]), strict=True):
                name = f"{short_county_name(unit.name)}代表团"
                carried = to_city[unit.code][:n]
                for p in carried:
                    seat(p, city.code, name, unit.name, "city")
                homes = self.homes_under(unit) if unit.level == "county" else [unit]
                for _ in range(n - len(carried)):
                    home = rng.choice(homes)
                    p = fresh(home, "city")
                    seat(p, city.code, name, unit.name, "city")
                    r = rng.random()
                    if r < P_CITY_ALSO_COUNTY and unit.level == "county":
                        to_county[home.code].append(p)
                    elif r < P_CITY_ALSO_COUNTY + P_CITY_ALSO_TOWN and home.has_congress:
                        to_town[home.code].append(p)
        if progress:
            progress(f"  planned national, provincial and city seats: {len(seats)}")

        # County deputies, in one delegation per town or street.
        county_weights = [self._weight(c) + 2 for c in self.counties]
        for county, total in zip(self.counties, allocate(scale.county, county_weights), strict=True):
            homes = self.homes_under(county)
            weights = [len(self.villages[h.code]) + 5 for h in homes]
            for home, n in zip(homes, allocate(total, weights), strict=True):
                name = f"{home.name}代表团"
                districts = max(1, n // 3)
                carried = to_county[home.code][:n]
                for p in carried:
                    seat(p, county.code, name, f"{home.name}第{rng.randint(1, districts)}选区", "county")
                for _ in range(n - len(carried)):
                    p = fresh(home, "county")
                    seat(p, county.code, name, f"{home.name}第{rng.randint(1, districts)}选区", "county")
                    if home.has_congress and rng.random() < P_COUNTY_ALSO_TOWN:
                        to_town[home.code].append(p)
        if progress:
            progress(f"  planned county seats: {len(seats)}")

        # Town deputies, in one group per village.
        town_weights = [len(self.villages[t.code]) + 5 for t in self.towns]
        for town, n in zip(self.towns, allocate(scale.town, town_weights), strict=True):
            districts = max(1, n // 3)
            carried = to_town[town.code][:n]
            for p in carried:
                group = f"{persons[p].village or town.name}代表小组"
                seat(p, town.code, group, f"第{rng.randint(1, districts)}选区", "township")
            for _ in range(n - len(carried)):
                p = fresh(town, "township")
                group = f"{persons[p].village or town.name}代表小组"
                seat(p, town.code, group, f"第{rng.randint(1, districts)}选区", "township")
        if progress:
            progress(f"  planned town seats: {len(seats)} seats of {len(persons)} people")

        plan.stations = self.plan_stations()
        plan.units = self.plan_units()
        return plan

    def _phone(self, place: PlaceRec) -> str:
        area, digits = vocab.AREA_CODES.get(place.code[:4] + "00", ("0750", 7))
        first = self.rng.choice("2345678")
        return f"{area}-{first}{self.rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"

    def _station_congress(self, township: PlaceRec) -> str:
        """A town's station is run by the town congress, a street's by its county-level congress."""
        if township.has_congress:
            return township.code
        county = self.county_of(township)
        return county.code

    def plan_stations(self) -> list[StationPlan]:
        rng = self.rng
        stations: list[StationPlan] = []
        weekdays = "周一至周五 9:00-12:00，14:30-17:30"
        for county in self.counties:
            stations.append(
                StationPlan(
                    name=f"{county.name}人大代表之家",
                    kind="home",
                    place=county.code,
                    congress=county.code,
                    address=f"{county.name}{rng.choice(vocab.ROADS)}{rng.randint(1, 200)}号",
                    opening_hours=weekdays,
                    phone=self._phone(county),
                    description=f"{county.name}人大常委会设立的代表之家，各级人大代表定期在此接待群众。",
                )
            )
        for home in self.homes:
            county = self.county_of(home)
            stations.append(
                StationPlan(
                    name=f"{home.name}人大代表联络站",
                    kind="station",
                    place=home.code,
                    congress=self._station_congress(home),
                    address=f"{county.name}{home.name}{rng.choice(vocab.ROADS)}{rng.randint(1, 300)}号",
                    opening_hours=weekdays + "；每月15日为代表接待日",
                    phone=self._phone(home),
                    description=f"{home.name}的五级人大代表在此进站履职，听取和反映群众意见。",
                )
            )
            for village in self.children[home.code]:
                if village.kind == "other" or rng.random() >= self.scale.contact_point_rate:
                    continue
                short = short_village_name(village.name)
                stations.append(
                    StationPlan(
                        name=f"{short}人大代表联系点",
                        kind="contact_point",
                        place=village.code,
                        congress=self._station_congress(home),
                        address=f"{county.name}{home.name}{short}党群服务中心",
                        opening_hours="每月第一个星期三 9:00-11:30",
                        phone="",
                        description="",
                    )
                )
        return stations

    def plan_units(self) -> list[UnitPlan]:
        units: list[UnitPlan] = []
        for city in self.cities:
            gov = f"{city.name}人民政府"
            units.append(UnitPlan(gov, "市政府", "government", "city", city.code, city.code, ""))
            for dept in vocab.CITY_DEPARTMENTS:
                units.append(
                    UnitPlan(
                        f"{city.name}{dept}", f"市{dept}", "department", "city", city.code, city.code, gov
                    )
                )
            for name, short, kind in (
                ("监察委员会", "市监委", "supervisory"),
                ("中级人民法院", "市中院", "court"),
                ("人民检察院", "市检察院", "procuratorate"),
            ):
                units.append(UnitPlan(f"{city.name}{name}", short, kind, "city", city.code, city.code, ""))
        for county in self.counties:
            city = self.city_of(county)
            full = f"{city.name}{county.name}" if county.name.endswith("区") else county.name
            gov = f"{full}人民政府"
            units.append(
                UnitPlan(gov, f"{county.name}政府", "government", "county", county.code, county.code, "")
            )
            for dept in vocab.COUNTY_DEPARTMENTS:
                units.append(
                    UnitPlan(
                        f"{full}{dept}",
                        f"{county.name}{dept}",
                        "department",
                        "county",
                        county.code,
                        county.code,
                        gov,
                    )
                )
            for name, kind in (
                ("监察委员会", "supervisory"),
                ("人民法院", "court"),
                ("人民检察院", "procuratorate"),
            ):
                units.append(
                    UnitPlan(
                        f"{full}{name}", f"{county.name}{name}", kind, "county", county.code, county.code, ""
                    )
                )
        for home in self.homes:
            county = self.county_of(home)
            city = self.city_of(home)
            above = (
                f"{city.name}{county.name}"
                if county.level == "county" and county.name.endswith("区")
                else county.name
            )
            parent = f"{above}人民政府" if county.level == "county" else f"{city.name}人民政府"
            prefix = county.name if home.name in self._repeated_township_names else ""
            if home.kind == "street":
                name, kind, congress = f"{prefix}{home.name}办事处", "other", self._station_congress(home)
            else:
                name, kind, congress = f"{prefix}{home.name}人民政府", "government", home.code
            units.append(UnitPlan(name, name[-20:], kind, "township", home.code, congress, parent))
        return units

    # --- rosters for the benchmark --------------------------------------------------------------------------

    def roster_rows(self, count: int) -> list[dict]:
        """Rows of a deputies roster (the import's columns) for `count` new people — nobody the plan made —
        seated in the region's city, county and town congresses in the plan's proportions."""
        rng = self.rng
        scale = self.scale
        local = scale.city + scale.county + scale.town
        city_weights = [self._weight(c) for c in self.cities]
        county_weights = [self._weight(c) + 2 for c in self.counties]
        town_weights = [len(self.villages[t.code]) + 5 for t in self.towns]
        status_words = {"active": "在任", "ended": "终止", "resigned": "辞职"}
        rows = []
        for i in range(count):
            r = rng.random() * local
            if r < scale.city:
                level = "city"
                city = rng.choices(self.cities, weights=city_weights)[0]
                home = rng.choice(self.homes_under(city))
                unit = self.county_of(home) if self.county_of(home).level == "county" else home
                congress, delegation, constituency = (
                    city.code,
                    f"{short_county_name(unit.name)}代表团",
                    unit.name,
                )
            elif r < scale.city + scale.county and self.counties:
                level = "county"
                county = rng.choices(self.counties, weights=county_weights)[0]
                home = rng.choice(self.homes_under(county))
                congress, delegation = county.code, f"{home.name}代表团"
                constituency = f"{home.name}第{rng.randint(1, 9)}选区"
            else:
                level = "township"
                home = rng.choices(self.towns, weights=town_weights)[0]
                congress, delegation, constituency = home.code, "", f"第{rng.randint(1, 9)}选区"
            person = self.new_person(home, level)
            if level == "township":
                delegation = f"{person.village or home.name}代表小组"
            number, start, _end = TERMS[level]
            seat = SeatPlan(i, congress, delegation, constituency)
            self._status(seat, level)
            rows.append(
                {
                    "name": person.name,
                    "gender": "男" if person.gender == "M" else "女",
                    "ethnicity": person.ethnicity,
                    "id_number": person.id_number,
                    "mobile": person.mobile,
                    "party": person.party,
                    "occupation": person.occupation,
                    "congress": congress,
                    "term": number,
                    "delegation": delegation,
                    "constituency": constituency,
                    "start_date": start,
                    "status": status_words[seat.status],
                }
            )
        return rows

    @property
    def region_congress_code(self) -> str:
        """The place code of the congress that covers the whole region (the city's, or the province's)."""
        return self.cities[0].code if len(self.cities) == 1 else PROVINCE_CODE


# --- writing -------------------------------------------------------------------------------------------------


@dataclass
class Written:
    """What `write` stored: the objects later steps (the demo's accounts, the benchmark) refer to."""

    congresses: dict  # key (place code or NATIONAL) -> Congress
    terms: dict  # key -> Term
    stations: dict  # place code -> Station
    deputies: list  # Deputy, in plan order
    timings: dict[str, float]


def congresses_of_region(region: str) -> dict:
    from minsheng.congresses.models import Congress

    qs = Congress.objects.select_related("place").filter(
        Q(region_prefix__startswith=region)
        | Q(level__in=[Congress.Level.NATIONAL, Congress.Level.PROVINCIAL])
    )
    return {(c.place.code if c.place_id else NATIONAL): c for c in qs}


def prepare_deputy(deputy) -> None:
    """What Deputy.save() computes (sort key, pinyin, blind indexes), for bulk_create, which skips save()."""
    deputy.fill_derived_fields()


def deputy_from(person: Person):
    from minsheng.deputies.models import Deputy

    deputy = Deputy(
        name=person.name,
        gender=person.gender,
        birth_date=person.birth_date,
        ethnicity=person.ethnicity,
        party=person.party,
        occupation=person.occupation,
        id_number=person.id_number,
        mobile=person.mobile,
    )
    prepare_deputy(deputy)
    return deputy


def write(plan: Plan, *, progress: Progress | None = None) -> Written:
    """Store a plan: terms, sessions, deputies, seats, stations, attachments and units, in bulk."""
    from minsheng.congresses.models import Session, Term
    from minsheng.deputies.models import Seat
    from minsheng.places.models import Place
    from minsheng.stations.models import Station, StationDeputy
    from minsheng.units.models import Unit

    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    with transaction.atomic():
        congresses = congresses_of_region(plan.scale.region)
        # A term someone already added by hand is kept and used.
        existing = {
            (t.congress_id, t.number): t for t in Term.objects.filter(congress__in=congresses.values())
        }
        terms = {}
        for key, congress in congresses.items():
            number, start, end = TERMS[congress.level]
            terms[key] = existing.get((congress.pk, number)) or Term(
                congress=congress, number=number, start_date=start, end_date=end
            )
        Term.objects.bulk_create([t for t in terms.values() if t.pk is None], batch_size=BATCH)
        with_sessions = set(Session.objects.filter(term__in=terms.values()).values_list("term_id", flat=True))
        sessions = [
            Session(term=term, number=i, start_date=start, end_date=end)
            for key, term in terms.items()
            if term.pk not in with_sessions
            for i, (start, end) in enumerate(SESSIONS.get(congresses[key].level, []), start=1)
        ]
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        lap("terms")
        say(f"  terms: {len(terms)}, sessions: {len(sessions)}")

        deputies = [deputy_from(p) for p in plan.persons]
        lap("deputies_prepare")
        from minsheng.deputies.models import Deputy

        for i in range(0, len(deputies), BATCH * 5):
            Deputy.objects.bulk_create(deputies[i : i + BATCH * 5], batch_size=BATCH)
            say(f"  deputies: {min(i + BATCH * 5, len(deputies))}/{len(deputies)}")
        lap("deputies")

        seats = []
        for s in plan.seats:
            term = terms[s.congress]
            seats.append(
                Seat(
                    deputy_id=deputies[s.person].pk,
                    congress=congresses[s.congress],
                    term=term,
                    delegation=s.delegation,
                    constituency=s.constituency,
                    start_date=term.start_date,
                    end_date=s.end_date,
                    status=s.status,
                    end_reason=s.end_reason,
                )
            )
        Seat.objects.bulk_create(seats, batch_size=BATCH)
        lap("seats")
        say(f"  seats: {len(seats)}")

        place_ids = dict(Place.objects.filter(code__startswith=plan.scale.region).values_list("code", "pk"))
        station_objs = [
            Station(
                name=s.name,
                kind=s.kind,
                place_id=place_ids[s.place],
                congress=congresses[s.congress],
                address=s.address,
                opening_hours=s.opening_hours,
                phone=s.phone,
                description=s.description,
            )
            for s in plan.stations
        ]
        Station.objects.bulk_create(station_objs, batch_size=BATCH)
        stations = {s.place: obj for s, obj in zip(plan.stations, station_objs, strict=True)}
        attachments = [
            StationDeputy(station=stations[person.home], deputy=deputy, since=dt.date(2021, 10, 1))
            for person, deputy in zip(plan.persons, deputies, strict=True)
        ]
        StationDeputy.objects.bulk_create(attachments, batch_size=BATCH)
        lap("stations")
        say(f"  stations: {len(station_objs)}, deputies attached: {len(attachments)}")

        # Units: parents first, so children can point at them.
        by_name: dict[str, Unit] = {}
        for top in (True, False):
            batch = [
                Unit(
                    name=u.name,
                    short_name=u.short_name,
                    kind=u.kind,
                    level=u.level,
                    place_id=place_ids[u.place],
                    congress=congresses[u.congress],
                    parent=by_name.get(u.parent),
                )
                for u in plan.units
                if (not u.parent) == top
            ]
            Unit.objects.bulk_create(batch, batch_size=BATCH)
            by_name.update({u.name: u for u in batch})
        lap("units")
        say(f"  units: {len(by_name)}")

    return Written(congresses=congresses, terms=terms, stations=stations, deputies=deputies, timings=timings)
