"""Demo receptions (接待, `minsheng.activities`): a few hundred receptions across the demo's liaison stations, written through the
SERVICES (every rule, permission and audit record is the real one), some linked to the demo's cases.

`build_demo_receptions(seed=...)` runs after `demo_build` and `build_demo_cases` (it needs the demo's
accounts, stations and cases). Deterministic for a seed: the same stations, deputies, visitors, matters and
links on every machine; the times are counted back from today, like the demo's cases.

The contact visitors' names are three characters and nobody else's in the demo (no deputy, account holder or
beneficiary has it, nor a name containing it), and their mobiles are numbers of their own, so that a privacy
scan that finds one on a page has found a leak, not a namesake.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from minsheng.accounts.models import DonorProfile, User
from minsheng.activities import services
from minsheng.activities.models import Reception
from minsheng.cases.models import Beneficiary, Case
from minsheng.common import clock
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place
from minsheng.stations.models import Station, StationDeputy
from minsheng.units.models import Unit

from . import vocab

COUNT = 300
AT_HAIYAN = 40  # the demo accounts' station (海宴镇人大代表联络站) gets a full log
MAX_AGE_DAYS = 300
HAIYAN = "440781111"
TAISHAN = "440781"
CITY = "4407"
LINKED_SHARE = 0.6  # of the demo cases collected at a station, how many came from a reception

# (category, matter) — {village} is a village of the station's place, or the place itself.
MATTERS = [
    ("urban_rural", "{village}主干道路灯损坏多盏，夜间出行不便，希望尽快维修。"),
    ("urban_rural", "{village}村道坑洼不平，雨天积水严重，希望列入道路硬化计划。"),
    ("urban_rural", "{village}旧祠堂墙体开裂，存在安全隐患，希望有关部门鉴定处理。"),
    ("social_security", "{village}部分独居老人反映高龄津贴发放时间不固定，希望明确发放日期。"),
    ("social_security", "询问城乡居民养老保险缴费档次和补贴标准，希望到村里集中宣讲。"),
    ("social_security", "{village}低保户反映年度复核材料较多，希望简化办理流程。"),
    ("education", "{village}小学门口上下学时段交通混乱，希望增设护学岗和减速带。"),
    ("education", "家长反映镇中心幼儿园学位紧张，希望增加公办学位。"),
    ("education", "希望学校课后服务延长至下午六点，方便双职工家庭接送。"),
    ("health", "{village}卫生站只有一名村医，希望增加坐诊时间。"),
    ("health", "老人反映到镇卫生院做慢病复诊排队时间长，希望开设老年人专门窗口。"),
    ("health", "希望家庭医生签约服务定期上门为行动不便老人体检。"),
    ("transport", "{village}到镇区的公交班次太少，希望增加早晚班次。"),
    ("transport", "{village}路口视线不好，多次发生碰撞，希望设置凸面镜和警示标志。"),
    ("transport", "渡口码头台阶破损，老人上下船不便，希望修缮。"),
    ("environment", "{village}附近养殖场排污有异味，希望环保部门检查。"),
    ("environment", "{village}河涌垃圾漂浮物多，希望加强保洁。"),
    ("environment", "垃圾收集点设置离民居太近，夏天气味大，希望调整位置。"),
    ("other", "咨询侨房政策和归还手续，希望提供办理指引。"),
    ("other", "反映村集体土地租金分配不透明，希望镇里指导村务公开。"),
    ("other", "询问人大代表联络站的接待时间和预约方式。"),
]
OUTCOMES = [("answered", 45), ("referred", 30), ("none", 25)]
ANSWER_NOTES = {
    "answered": "代表当场解释了有关政策，群众表示理解。",
    "referred": "已转交有关单位办理，请其在十五个工作日内回复群众。",
    "none": "",
}


def _taken_names() -> str:
    """Every person's name already in the demo, joined: a new name must not be, or be part of, any of them."""
    names = set(Deputy.objects.values_list("name", flat=True))
    names |= set(User.objects.values_list("display_name", flat=True))
    names |= set(DonorProfile.objects.values_list("contact_name", flat=True))
    names |= {n for (n,) in Beneficiary.objects.values_list("name")}
    return "|".join(sorted(n for n in names if n))


def _visitor_name(rng: random.Random, taken: str, used: set[str]) -> str:
    surnames = [s for s, _w in vocab.SURNAMES if len(s) == 1]
    while True:
        chars = vocab.GIVEN_FEMALE if rng.random() < 0.5 else vocab.GIVEN_MALE
        name = rng.choice(surnames) + rng.choice(chars) + rng.choice(chars)
        if name not in used and name not in taken:
            used.add(name)
            return name


def _visitor_phone(rng: random.Random, used: set[str]) -> str:
    # 136 and 159: prefixes the demo's deputies and beneficiaries do not use
    while True:
        phone = rng.choice(["136", "159"]) + f"{rng.randrange(10**8):08d}"
        if phone not in used:
            used.add(phone)
            return phone


def _received_at(rng: random.Random, today: dt.date) -> dt.datetime:
    day = today - dt.timedelta(days=rng.randrange(1, MAX_AGE_DAYS))
    while not clock.is_working_day(day):
        day -= dt.timedelta(days=1)
    at = dt.datetime.combine(day, dt.time(rng.choice([9, 10, 11, 14, 15, 16]), rng.choice([0, 15, 30, 45])))
    return timezone.make_aware(at)


class _Recorders:
    """Who records at a station: its own staff account if it has one, else the most local demo staff."""

    def __init__(self):
        self.users = {
            u.username: u
            for u in User.objects.filter(
                username__in=["admin", "city_staff", "taishan_staff", "haiyan_staff", "station_staff"]
            )
        }
        missing = {"admin", "city_staff", "taishan_staff", "haiyan_staff", "station_staff"} - set(self.users)
        if missing:
            raise RuntimeError(
                f"build_demo_receptions needs the demo's accounts first (missing: {sorted(missing)})"
            )

    def for_station(self, station: Station):
        if self.users["station_staff"].station_id == station.pk:
            return self.users["station_staff"]
        code = station.place.code
        if code.startswith(HAIYAN):
            return self.users["haiyan_staff"]
        if code.startswith(TAISHAN):
            return self.users["taishan_staff"]
        if code.startswith(CITY):
            return self.users["city_staff"]
        return self.users["admin"]


def _villages(station: Station) -> list[str]:
    names = list(
        Place.objects.filter(parent=station.place, level=Place.Level.VILLAGE)
        .order_by("code")
        .values_list("name", flat=True)[:12]
    )
    return names or [station.place.name]


def _units_by_county() -> dict[str, list]:
    units: dict[str, list] = {}
    for unit in Unit.objects.filter(is_active=True).select_related("place").order_by("id"):
        units.setdefault(unit.place.code[:6] if unit.place_id else "", []).append(unit)
    return units


@transaction.atomic
def build_demo_receptions(*, seed: int) -> dict[str, int]:
    """Record the demo's receptions through the services (after the demo's cases): returns counts."""
    rng = random.Random(f"receptions-{seed}")
    today = clock.today()
    recorders = _Recorders()
    attached: dict[int, list] = {}
    for link in StationDeputy.objects.select_related("deputy").order_by(
        "station_id", "deputy__name_sort", "deputy_id"
    ):
        attached.setdefault(link.station_id, []).append(link.deputy)
    stations = list(
        Station.objects.filter(is_active=True, pk__in=list(attached))
        .select_related("place")
        .order_by("place__code", "name", "id")
    )
    if not stations:
        raise RuntimeError("build_demo_receptions needs the demo's stations first")
    home = recorders.users["station_staff"].station
    units = _units_by_county()
    all_units = [u for rows in units.values() for u in rows]
    taken, names, phones = _taken_names(), set(), set()
    villages: dict[int, list[str]] = {}
    counts: Counter[str] = Counter()

    def record(station: Station, *, deputies=None, matter=None, category=None, outcome=None) -> Reception:
        if station.pk not in villages:
            villages[station.pk] = _villages(station)
        pool = attached[station.pk]
        chosen = deputies or rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 1, 2, 2, 3])))
        if matter is None:
            category, template = rng.choice(MATTERS)
            matter = template.format(village=rng.choice(villages[station.pk]))
        outcome = outcome or rng.choices([o for o, _w in OUTCOMES], weights=[w for _o, w in OUTCOMES])[0]
        county_units = units.get(station.place.code[:6]) or all_units
        with_contact = rng.random() < 0.7
        reception = services.reception_record(
            actor=recorders.for_station(station),
            station_id=station.pk,
            received_at=_received_at(rng, today),
            deputies=chosen,
            visitor_count=rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 12]),
            contact_name=_visitor_name(rng, taken, names) if with_contact else "",
            contact_phone=_visitor_phone(rng, phones) if with_contact and rng.random() < 0.8 else "",
            matter=matter,
            category=category,
            outcome=outcome,
            referred_to=rng.choice(county_units) if outcome == "referred" and county_units else None,
            outcome_note=ANSWER_NOTES.get(outcome, ""),
        )
        counts["receptions"] += 1
        counts["reception_visitors"] += reception.visitor_count
        return reception

    # Some of the demo's cases collected at a station started as a reception there.
    cases = list(
        Case.objects.filter(station__in=stations, merged_into__isnull=True)
        .select_related("station__place")
        .order_by("id")
    )
    for case in cases:
        if rng.random() >= LINKED_SHARE:
            continue
        station = case.station
        pool = attached.get(station.pk, [])
        lead = next((d for d in pool if d.pk == case.lead_deputy_id), None)
        reception = record(
            station,
            deputies=[lead] if lead else [rng.choice(pool)],
            matter=case.content,
            category="social_security" if case.kind == Case.Kind.WISH else rng.choice(MATTERS)[0],
            outcome="answered",
        )
        services.reception_link_case(
            actor=recorders.for_station(station), reception_id=reception.pk, case_id=case.pk
        )
        counts["receptions_linked"] += 1

    if home is not None and home.pk in attached:
        for _ in range(AT_HAIYAN):
            record(next(s for s in stations if s.pk == home.pk))
    while counts["receptions"] < COUNT:
        record(rng.choice(stations))
    return dict(sorted(counts.items()))
