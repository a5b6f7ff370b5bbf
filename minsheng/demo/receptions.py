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
from minsheng.activities.models import Reception, ReceptionDay
from minsheng.cases.models import Beneficiary, Case
from minsheng.common import audit, clock
from minsheng.common.errors import DomainError, PermissionDenied
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
DISPOSALS = [("answered", 40), ("town", 30), ("higher", 15), ("suggestion", 8), ("wish", 7)]
HIGHER = ["台山市住房和城乡建设局", "台山市交通运输局", "江门市生态环境局台山分局", "台山市教育局"]
ANSWERED_SHARE = 0.8  # of the matters sent on, how many have their answer (the rest: open, some overdue)
ANSWERS = [
    "经核查，有关单位已安排维修，预计两周内完成。",
    "已纳入明年工作计划，届时将公示进展。",
    "有关政策已向群众书面说明，并留下了办理窗口电话。",
]
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

    def record(
        station: Station, *, deputies=None, matter=None, category=None, outcome=None, received_at=None
    ) -> Reception:
        if station.pk not in villages:
            villages[station.pk] = _villages(station)
        pool = attached[station.pk]
        chosen = deputies or rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 1, 2, 2, 3])))
        county_units = units.get(station.place.code[:6]) or all_units
        with_contact = rng.random() < 0.7
        common = {
            "actor": recorders.for_station(station),
            "station_id": station.pk,
            "received_at": received_at or _received_at(rng, today),
            "deputies": chosen,
            "visitor_count": rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 12]),
            "contact_name": _visitor_name(rng, taken, names) if with_contact else "",
            "contact_phone": _visitor_phone(rng, phones) if with_contact and rng.random() < 0.8 else "",
        }
        if matter is not None:  # a case's own reception: its one matter, linked below
            reception = services.reception_record(
                **common,
                matter=matter,
                category=category,
                outcome=outcome,
                outcome_note=ANSWER_NOTES["answered"],
            )
        else:
            items = [
                _matter_item(rng, station, villages[station.pk], county_units)
                for _ in range(rng.choice([1, 1, 2, 2, 3]))
            ]
            try:
                reception = services.reception_record(**common, matters=items)
            except (DomainError, PermissionDenied):  # a case the rules refuse (no seat; a congress the
                # recorder does not cover): answered on the spot instead
                for item in items:
                    if item["disposal"] in ("wish", "suggestion"):
                        item.update(disposal="answered", note=ANSWER_NOTES["answered"])
                reception = services.reception_record(**common, matters=items)
            _follow_up(rng, reception, common["actor"], today, counts)
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

    # 接待日: July of this year (the campaign) and the coming weeks, at every station with deputies; some of
    # July's receptions were held on them.
    july_days = _reception_days(rng, stations, attached, recorders, today, counts)
    for reception_day in july_days[: max(1, len(july_days) // 2)]:
        at = timezone.make_aware(
            dt.datetime.combine(reception_day.day, dt.time(reception_day.starts_at.hour, 20))
        )
        if at < clock.now():
            record(reception_day.station, deputies=list(reception_day.deputies.all()), received_at=at)

    if home is not None and home.pk in attached:
        for _ in range(AT_HAIYAN):
            record(next(s for s in stations if s.pk == home.pk))
    while counts["receptions"] < COUNT:
        record(rng.choice(stations))
    return dict(sorted(counts.items()))


def _matter_item(rng: random.Random, station: Station, villages: list[str], county_units: list) -> dict:
    category, template = rng.choice(MATTERS)
    disposal = rng.choices([d for d, _w in DISPOSALS], weights=[w for _d, w in DISPOSALS])[0]
    item = {"text": template.format(village=rng.choice(villages)), "category": category, "disposal": disposal}
    if disposal == "answered":
        item["note"] = ANSWER_NOTES["answered"]
    elif disposal == "town":
        if county_units and rng.random() < 0.5:
            item["referred_to"] = rng.choice(county_units)
        else:
            item["referred_to_name"] = f"{station.place.name}人民政府"
    elif disposal == "higher":
        item["referred_to_name"] = rng.choice(HIGHER)
    elif disposal == "wish":
        item.update(
            amount=rng.choice([200, 300, 500]),
            case_category=rng.choice(["material", "service"]),
            # the beneficiary is the contact visitor (no contact: refused, recorded as answered instead)
            beneficiary={
                "address": f"{rng.choice(villages)}东{rng.randrange(1, 60)}巷{rng.randrange(1, 40)}号"
            },
        )
    return item


def _follow_up(rng: random.Random, reception: Reception, actor, today: dt.date, counts: Counter) -> None:
    """Most matters sent on are answered a few days later and the visitor told; the rest stay open (overdue
    once past their date)."""
    received = timezone.localdate(reception.received_at)
    for matter in reception.matters.filter(disposal__in=["town", "higher"]).order_by("position"):
        if rng.random() >= ANSWERED_SHARE:
            counts["reception_matters_open"] += 1
            continue
        answered_on = min(today, received + dt.timedelta(days=rng.randrange(1, 12)))
        services.matter_answer(
            actor=actor, matter_id=matter.pk, answer=rng.choice(ANSWERS), answered_on=answered_on
        )
        if rng.random() < 0.9:
            told_on = min(today, answered_on + dt.timedelta(days=rng.randrange(0, 4)))
            services.matter_feedback(
                actor=actor,
                matter_id=matter.pk,
                feedback_on=told_on,
                how=rng.choice(["phone", "phone", "sms", "visit", "in_person", "letter"]),
                note="群众表示满意。",
            )
    counts["reception_matters"] += reception.matters.count()
    counts["receptions_archived"] += int(
        Reception.objects.filter(pk=reception.pk, archived_at__isnull=False).exists()
    )


def _reception_days(
    rng, stations, attached, recorders, today: dt.date, counts: Counter
) -> list[ReceptionDay]:
    """Two Saturdays of July this year at every station with deputies (the campaign's reception days: the
    past, told as history, so made directly and audited), and one day in each of the coming three weeks
    through the service (the notice rule holds)."""
    july = [dt.date(today.year, 7, d) for d in range(1, 32)]
    saturdays = [d for d in july if d.weekday() == 5][:2]
    past: list[ReceptionDay] = []
    for station in stations:
        pool = attached[station.pk]
        actor = recorders.for_station(station)
        for day in saturdays:
            if day >= today:
                continue
            reception_day = ReceptionDay.objects.create(
                station=station,
                day=day,
                starts_at=dt.time(9),
                ends_at=dt.time(11, 30),
                note="集中履职月 · 代表接待日",
                created_by=actor,
            )
            reception_day.deputies.set(rng.sample(pool, k=min(len(pool), 2)))
            audit.record(
                actor, "reception_day.scheduled", reception_day, station=station.pk, day=day.isoformat()
            )
            past.append(reception_day)
        start = today + dt.timedelta(days=services.notice_days())
        for week in range(3):
            day = start + dt.timedelta(days=7 * week + rng.randrange(0, 5))
            services.reception_day_schedule(
                actor=actor,
                station_id=station.pk,
                day=day,
                starts_at=(
                    hours := rng.choice([(dt.time(9), dt.time(11, 30)), (dt.time(14, 30), dt.time(17))])
                )[0],
                ends_at=hours[1],
                deputies=rng.sample(pool, k=min(len(pool), rng.choice([1, 2]))),
                note="",
            )
            counts["reception_days"] += 1
    counts["reception_days"] += len(past)
    return past
