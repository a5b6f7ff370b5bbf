"""Demo cases: wishes, micro-projects and suggestions in every state of the workflow, written through the
cases SERVICES (so every permission, rule, audit record and notification is the real one).

`build_demo_cases(seed=..., scale=...)` runs after `demo_build` (it needs the demo's accounts, deputies,
stations and units). The services act now; the demo then spreads the stories over the last ten months by
moving their timestamps and deadlines with queryset `.update()` — DEMO ONLY: production code never rewrites
times, and the audit records are moved here only so that a demo case's timeline reads like a real one. Answer
deadlines are recomputed from the moved dates with the congress's rules, and `Answer.on_time` from those.

Accounts the stories need and the demo has not got are made here, without a password (they cannot sign in):
one for each lead deputy (only a deputy rates the answer of his or her own case) and one handler for each
unit that answers (only the unit's handler acknowledges and answers). Two more donors register and are
verified through the accounts services, with the demo's shared password.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from minsheng.cases import rules as R
from minsheng.cases import services
from minsheng.cases.models import (
    Answer,
    Assignment,
    Beneficiary,
    Case,
    Claim,
    Cosigner,
    Document,
    HandlingRecord,
    HomeVerification,
    Rating,
    SupervisionAction,
)
from minsheng.common import clock
from minsheng.common.idcard import with_check_digit
from minsheng.common.models import AuditRecord

from . import vocab

# Wishes, micro-projects and suggestions per scale (`tiny` keeps the demo's own tests quick).
SIZES = {"tiny": (12, 4, 8), "jiangmen": (60, 20, 40), "guangdong": (60, 20, 40)}
MAX_AGE_DAYS = 300  # about ten months
HAIYAN = "440781111"
TAISHAN = "440781"
CITY = "440700"

GROUP_WORDS = {
    "elderly_alone": "独居老人",
    "child": "留守儿童",
    "subsistence": "低保家庭",
    "disabled": "残疾人",
    "other": "困难家庭",
}
# (item, category, value, group, the need in the deputy's words)
WISHES = [
    ("轮椅", "material", 380, "elderly_alone", "腿脚不便，出门就医困难，希望有一台轮椅。"),
    ("助听器", "material", 480, "elderly_alone", "听力下降多年，与家人沟通困难，希望配一副助听器。"),
    ("书桌和台灯", "material", 300, "child", "孩子一直在饭桌上写作业，光线昏暗，希望有一套书桌和台灯。"),
    ("冬季棉被", "material", 200, "subsistence", "家中被褥单薄破旧，希望入冬前添置两床棉被。"),
    ("电风扇", "material", 150, "subsistence", "夏天屋内闷热，老人患有高血压，希望有一台电风扇。"),
    ("热水器", "material", 480, "disabled", "家中没有热水器，冬天洗澡困难，希望安装一台电热水器。"),
    ("学习用品和书包", "material", 160, "child", "父母在外务工，孩子的书包已经破损，希望有新书包和文具。"),
    ("电饭煲和炊具", "material", 220, "elderly_alone", "老人独自生活，炊具老化漏电，希望更换电饭煲和炊具。"),
    ("电子血压计", "material", 180, "elderly_alone", "患高血压需每天测量，希望有一台电子血压计。"),
    ("课业辅导", "service", 400, "child", "孩子成绩下滑，家中无人辅导，希望有志愿者每周上门辅导功课。"),
    ("上门理发和陪伴", "service", 120, "elderly_alone", "老人行动不便，希望每月有人上门理发、聊天陪伴。"),
    ("康复训练指导", "service", 450, "disabled", "肢体残疾需康复训练，希望有康复师上门指导。"),
    ("儿童自行车", "material", 350, "child", "孩子上学路程较远，希望有一辆自行车。"),
    ("小型冰箱", "material", 500, "subsistence", "家中没有冰箱，饭菜容易变质，希望有一台小冰箱。"),
    ("卫生间防滑扶手", "service", 260, "elderly_alone", "老人曾在卫生间滑倒，希望安装防滑扶手和防滑垫。"),
    ("校服和冬衣", "material", 240, "child", "孩子长得快，校服和冬衣都已不合身，希望添置新衣。"),
]
# (project, budget in yuan, department of the answering unit; "" = the place's government)
MICRO_PROJECTS = [
    ("村道路灯安装", 45000, ""),
    ("村文化室修缮", 80000, ""),
    ("排水渠清淤改造", 120000, "农业农村局"),
    ("村口公交候车亭建设", 60000, "交通运输局"),
    ("长者饭堂设备购置", 90000, "民政局"),
    ("村篮球场翻新", 70000, ""),
    ("农村公厕改造", 100000, "农业农村局"),
    ("小学周边交通安全设施", 50000, "交通运输局"),
    ("河涌护栏加装", 85000, "住房和城乡建设局"),
    ("社区健身路径建设", 40000, ""),
]
# (title, department of the lead unit)
SUGGESTIONS = [
    ("关于加快农村公路提质改造的建议", "交通运输局"),
    ("关于加强农村留守儿童关爱服务的建议", "民政局"),
    ("关于完善居家养老服务体系的建议", "民政局"),
    ("关于增加城区公办学位供给的建议", "教育局"),
    ("关于改善乡镇卫生院医疗条件的建议", "卫生健康局"),
    ("关于推进老旧小区改造的建议", "住房和城乡建设局"),
    ("关于加大返乡创业扶持力度的建议", "人力资源和社会保障局"),
    ("关于加强农田水利设施建设的建议", "农业农村局"),
    ("关于规范校外培训机构管理的建议", "教育局"),
    ("关于加强食品安全监管的建议", "市场监督管理局"),
    ("关于保护和活化利用侨乡历史建筑的建议", "住房和城乡建设局"),
    ("关于完善农村生活垃圾收运体系的建议", "农业农村局"),
    ("关于提高特殊困难群体救助水平的建议", "民政局"),
    ("关于加强中小学心理健康教育的建议", "教育局"),
]
ANSWERS = {
    "A": "经研究，我单位高度重视代表提出的意见，已会同有关部门实地调研并制定方案，目前相关工作已落实完成。"
    "下一步我们将建立长效机制，巩固成效。",
    "B": "代表的建议符合实际，我单位已将其列入本年度工作计划，正在分步实施，预计年底前完成主要工作。"
    "实施过程中将及时向代表通报进展。",
    "C": "代表的建议很有意义，但受资金和用地条件限制，目前暂不具备全面实施的条件。我单位将在下一阶段规划中统筹考虑，"
    "创造条件逐步解决。",
    "D": "代表的建议对我单位改进工作有重要参考价值，我们将认真研究吸收，在今后的工作中加以改进。",
}
CLASS_WEIGHTS = [("A", 55), ("B", 30), ("C", 10), ("D", 5)]
HEADS = {"government": "镇长", "department": "局长", "other": "主任"}

# The stories: (name, the steps the case goes through, how many days ago it was filed, weight).
WISH_PATH = "create verify file accept assign wall ack"
WISH_STORIES = [
    ("draft", "create", (0, 20), 2),
    ("verified_draft", "create verify", (0, 15), 2),
    ("filed", "create verify file", (1, 4), 4),
    ("returned", "create verify file return", (4, 30), 1),
    ("refused", "create verify file refuse", (10, 280), 2),
    ("withdrawn", "create verify file accept withdraw", (20, 200), 1),
    ("on_wall", WISH_PATH, (10, 70), 7),
    ("claimed", f"{WISH_PATH} claim", (20, 75), 5),
    ("pledged", f"{WISH_PATH} pledge", (20, 75), 3),
    ("delivered", f"{WISH_PATH} claim deliver", (35, 80), 4),
    ("realised", f"{WISH_PATH} claim deliver confirm answer", (50, 85), 5),
    ("closed", f"{WISH_PATH} claim deliver confirm answer rate_co rate_ok", (70, 300), 14),
    (
        "published",
        f"{WISH_PATH} pledge_full deliver_all confirm_all answer rate_ok follow_up publish",
        (120, 300),
        3,
    ),
    ("overdue", f"{WISH_PATH} priority chase", (110, 200), 3),
    (
        "dissatisfied",
        "create verify file accept assign ack answer_late rate_bad reassign ack2",
        (140, 260),
        2,
    ),
]
HANDLED = "create file accept assign ack"
PROJECT_STORIES = [
    ("filed", "create file", (1, 4), 2),
    ("late_assign", "create file accept", (9, 20), 1),
    ("refused", "create file refuse", (10, 250), 1),
    ("assigned", f"{HANDLED} record", (10, 80), 3),
    ("answered", f"{HANDLED} record answer", (40, 85), 2),
    ("closed", f"{HANDLED} record answer rate_co rate_ok", (70, 300), 5),
    ("published", f"{HANDLED} answer rate_ok publish", (120, 300), 2),
    ("overdue", f"{HANDLED} priority chase", (110, 220), 2),
    ("reassigned", f"{HANDLED} answer rate_bad reassign ack2 answer2 rate2_ok", (150, 300), 2),
]
SUGGESTION_STORIES = [
    ("draft", "create", (0, 10), 2),
    ("filed", "create file", (1, 4), 3),
    ("late_assign", "create file accept", (9, 25), 2),
    ("returned", "create file return", (4, 40), 1),
    ("refused", "create file refuse", (10, 280), 2),
    ("withdrawn", "create file accept withdraw", (20, 200), 1),
    ("assigned", "create file accept assign_assisting ack_all opinion record", (15, 80), 5),
    ("split", "create file accept assign_split ack_all answer_one", (30, 80), 2),
    ("answered", f"{HANDLED} record answer", (40, 88), 4),
    ("closed", f"{HANDLED} record answer rate_co rate_ok", (70, 300), 8),
    ("closed_late", f"{HANDLED} answer_late rate_ok", (130, 300), 2),
    ("published", f"{HANDLED} answer rate_ok publish", (110, 300), 3),
    ("overdue", f"{HANDLED} priority chase", (110, 250), 3),
    ("dissatisfied", f"{HANDLED} answer rate_bad", (100, 200), 1),
    ("staff_closed", f"{HANDLED} answer_late rate_bad staff_close", (150, 300), 1),
    ("unrated", f"{HANDLED} answer close_unrated publish", (120, 300), 1),
    ("reassigned", f"{HANDLED} answer rate_bad reassign ack2 answer2 rate2_ok", (150, 300), 2),
]


@dataclass
class Plan:
    kind: str
    story: str
    steps: list[str]
    age: int
    congress: object
    lead: object
    place: object
    station: object
    title: str
    content: str
    lead_unit: object
    other_units: list = field(default_factory=list)
    cosigners: list = field(default_factory=list)
    category: str = ""
    amount: Decimal | None = None
    beneficiary: dict | None = None
    public_summary: str = ""
    hard: bool = False


class Demo:
    """The people the stories need, found in the demo (or made once, see the module's docstring)."""

    def __init__(self, rng: random.Random):
        from minsheng.accounts.models import User

        self.rng = rng
        self.users = {u.username: u for u in User.objects.filter(username__in=_DEMO_USERNAMES)}
        missing = sorted(set(_DEMO_USERNAMES) - set(self.users))
        if missing:
            raise RuntimeError(f"build_demo_cases needs the demo's accounts first (missing: {missing})")
        self._handlers: dict[int, object] = {}
        self._deputy_users: dict[int, object] = {}
        self.donors = [self.users["donor"], *self._more_donors()]
        self.taken = _names_in_use()  # beneficiaries' names are nobody else's (see _beneficiary)

    # --- accounts ------------------------------------------------------------------------------------------

    def staff_for(self, congress):
        """The most local demo staff account that covers the congress."""
        prefix = congress.region_prefix
        if prefix.startswith(HAIYAN):
            return self.users["haiyan_staff"]
        if prefix.startswith(TAISHAN):
            return self.users["taishan_staff"]
        return self.users["city_staff"]

    def deputy_user(self, deputy):
        from minsheng.accounts.models import User

        if deputy.pk not in self._deputy_users:
            user = User.objects.filter(deputy=deputy).first()
            if user is None:
                user = User(
                    username=f"demo_deputy_{deputy.pk}",
                    role=User.Role.DEPUTY,
                    deputy=deputy,
                    display_name=deputy.name,
                )
                user.set_unusable_password()
                user.save()
            self._deputy_users[deputy.pk] = user
        return self._deputy_users[deputy.pk]

    def handler(self, unit):
        from minsheng.accounts.models import User

        if unit.pk not in self._handlers:
            user = User.objects.filter(role=User.Role.UNIT_HANDLER, unit=unit, is_active=True).first()
            if user is None:
                user = User(
                    username=f"demo_handler_{unit.pk}",
                    role=User.Role.UNIT_HANDLER,
                    unit=unit,
                    display_name=self._new_name(),
                )
                user.set_unusable_password()
                user.save()
            self._handlers[unit.pk] = user
        return self._handlers[unit.pk]

    def _new_name(self) -> str:
        name = _person_name(self.rng)
        while name in self.taken:
            name = _person_name(self.rng)
        self.taken.add(name)
        return name

    def _more_donors(self) -> list:
        """Two more verified donors, through the accounts services (registration, then verification)."""
        from minsheng.accounts.models import DonorProfile, User
        from minsheng.accounts.services import donor_register, donor_verify

        from .logins import PASSWORD

        city_staff = self.users["city_staff"]
        made = []
        for username, kind, name, contact, mobile in (
            (
                "donor_qiaoxin",
                DonorProfile.Kind.ENTERPRISE,
                "台山市侨心商贸有限公司",
                "甄伟明",
                "13926010731",
            ),
            ("donor_huang", DonorProfile.Kind.INDIVIDUAL, "黄志强", "", "13827010582"),
        ):
            existing = User.objects.filter(username=username).first()
            if existing is not None:
                made.append(existing)
                continue
            code = _credit_code(self.rng) if kind == DonorProfile.Kind.ENTERPRISE else ""
            profile = donor_register(
                actor=city_staff,
                username=username,
                password=PASSWORD,
                mobile=mobile,
                kind=kind,
                name=name,
                contact_name=contact,
                credit_code=code,
            )
            donor_verify(actor=city_staff, donor_id=profile.pk)
            made.append(User.objects.get(pk=profile.user_id))
        return made


_DEMO_USERNAMES = [
    "city_staff",
    "taishan_staff",
    "haiyan_staff",
    "deputy",
    "town_deputy",
    "station_staff",
    "handler_minzheng",
    "handler_jiaoyu",
    "donor",
]


def _credit_code(rng: random.Random) -> str:
    from stdnum.cn import uscc

    body = "91440781" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _person_name(rng: random.Random, gender: str | None = None) -> str:
    surnames = [s for s, _w in vocab.SURNAMES]
    weights = [w for _s, w in vocab.SURNAMES]
    gender = gender or rng.choice("MF")
    chars = vocab.GIVEN_FEMALE if gender == "F" else vocab.GIVEN_MALE
    return rng.choices(surnames, weights=weights)[0] + "".join(
        rng.choice(chars) for _ in range(rng.choice((1, 2)))
    )


def _png(rng: random.Random) -> SimpleUploadedFile:
    """A hand-over 'photo': a plain coloured picture (demo files never show faces)."""
    from PIL import Image, ImageDraw

    image = Image.new(
        "RGB", (480, 320), (rng.randrange(150, 250), rng.randrange(150, 250), rng.randrange(150, 250))
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle((140, 90, 340, 230), outline=(180, 30, 30), width=6)
    out = BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(
        f"handover-{rng.randrange(10**6)}.png", out.getvalue(), content_type="image/png"
    )


# --- choosing where the cases happen -------------------------------------------------------------------------


class Places:
    """Congresses with deputies in office, their places, stations and units."""

    def __init__(self, rng: random.Random):
        from minsheng.congresses.models import Congress
        from minsheng.deputies.models import Seat

        self.rng = rng
        seats = (
            Seat.objects.filter(status=Seat.Status.ACTIVE, congress__region_prefix__startswith="4407")
            .select_related("deputy", "congress")
            .order_by("congress_id", "id")
        )
        self.deputies: dict[int, list] = {}
        for seat in seats:
            self.deputies.setdefault(seat.congress_id, []).append(seat.deputy)
        congresses = Congress.objects.filter(pk__in=list(self.deputies)).select_related("place")
        self.congresses = {c.pk: c for c in congresses}
        self.by_code = {c.place.code: c for c in congresses}
        self.towns = [c for c in congresses if c.level == Congress.Level.TOWNSHIP and self._government(c)]
        self.counties = [c for c in congresses if c.level == Congress.Level.COUNTY]
        self.haiyan = self.by_code[HAIYAN]
        self.city = self.by_code[CITY]

    def _government(self, congress):
        from minsheng.units.models import Unit

        return (
            Unit.objects.filter(congress=congress, place=congress.place, is_active=True)
            .order_by("kind", "id")
            .first()
        )

    def government(self, congress):
        from minsheng.units.models import Unit

        if congress.level == "township":
            return self._government(congress)
        return Unit.objects.filter(
            congress=congress, kind=Unit.Kind.GOVERNMENT, place=congress.place, is_active=True
        ).first()

    def department(self, congress, dept: str):
        from minsheng.units.models import Unit

        if not dept or congress.level == "township":
            return self.government(congress)
        unit = Unit.objects.filter(
            congress=congress, kind=Unit.Kind.DEPARTMENT, name__endswith=dept, is_active=True
        ).first()
        return unit or self.government(congress)

    def other_department(self, congress, not_unit):
        from minsheng.units.models import Unit

        units = list(
            Unit.objects.filter(congress=congress, kind=Unit.Kind.DEPARTMENT, is_active=True)
            .exclude(pk=not_unit.pk)
            .order_by("id")
        )
        return self.rng.choice(units) if units else None

    def station(self, town_congress):
        from minsheng.stations.models import Station

        return Station.objects.filter(place=town_congress.place, kind=Station.Kind.STATION).first()

    def village(self, place):
        from minsheng.places.models import Place

        villages = list(
            Place.objects.filter(parent=place, level="village").exclude(kind="other").order_by("code")
        )
        return self.rng.choice(villages) if villages else place


class StoryDeck:
    """Deals stories: each one once (the commonest first, as far as the number of cases allows), then by
    weight; shuffled."""

    def __init__(self, rng: random.Random, stories, count: int):
        by_weight = sorted(stories, key=lambda s: -s[3])  # a small demo keeps the commonest stories
        picks = by_weight[:count]
        picks += rng.choices(stories, weights=[s[3] for s in stories], k=max(0, count - len(picks)))
        rng.shuffle(picks)
        self._picks = picks

    def deal(self) -> tuple[str, list[str], tuple[int, int]]:
        name, steps, ages, _w = self._picks.pop()
        return name, steps.split(), ages


def _names_in_use() -> set[str]:
    from minsheng.accounts.models import DonorProfile, User
    from minsheng.deputies.models import Deputy

    names = set(Deputy.objects.values_list("name", flat=True))
    names |= set(User.objects.values_list("display_name", flat=True))
    names |= set(DonorProfile.objects.values_list("contact_name", flat=True))
    names |= {n for (n,) in Beneficiary.objects.values_list("name")}  # decrypted one by one: few rows
    return names


def _beneficiary(rng: random.Random, place, group: str, taken: set[str]) -> dict:
    """A made-up family member. The name is nobody else's in the demo (no deputy's or account holder's), so
    that a privacy scan that finds it on a page has found a leak, not a namesake."""
    gender = rng.choice("MF")
    name = _person_name(rng, gender)
    while name in taken:
        name = _person_name(rng, gender)
    taken.add(name)
    birth = (
        dt.date(rng.randrange(1936, 1956), rng.randrange(1, 13), rng.randrange(1, 29))
        if group == "elderly_alone"
        else dt.date(rng.randrange(2010, 2019), rng.randrange(1, 13), rng.randrange(1, 29))
        if group == "child"
        else dt.date(rng.randrange(1950, 1990), rng.randrange(1, 13), rng.randrange(1, 29))
    )
    digit = rng.choice("13579" if gender == "M" else "02468")
    id_number = with_check_digit(f"{place.code[:6]}{birth:%Y%m%d}{rng.randrange(100):02d}{digit}")
    village = place.name if place.level == "village" else ""
    return {
        "kind": "individual" if group in ("elderly_alone", "disabled") else "household",
        "group": group,
        "name": name,
        "id_number": id_number,
        "phone": rng.choice(["137", "138", "139", "135", "150"]) + f"{rng.randrange(10**8):08d}",
        "address": f"{village}{rng.choice(vocab.ROADS)}{rng.randrange(1, 40)}号",
    }


def _plans(rng: random.Random, places: Places, scale: str, demo: Demo) -> list[Plan]:
    wishes, projects, suggestions = SIZES.get(scale, SIZES["jiangmen"])
    zeng, chen = demo.users["deputy"].deputy, demo.users["town_deputy"].deputy
    plans: list[Plan] = []
    taken = demo.taken
    wish_deck = StoryDeck(rng, WISH_STORIES, wishes)
    project_deck = StoryDeck(rng, PROJECT_STORIES, projects)
    suggestion_deck = StoryDeck(rng, SUGGESTION_STORIES, suggestions)
    # Wishes: a third in 海宴镇 (the demo accounts' town), the rest in other towns.
    for i in range(wishes):
        congress = places.haiyan if i % 3 == 0 or not places.towns else rng.choice(places.towns)
        pool = places.deputies[congress.pk]
        lead = (chen if i % 2 == 0 else zeng) if congress == places.haiyan else rng.choice(pool)
        item, category, value, group, need = rng.choice(WISHES)
        station = places.station(congress)
        village = places.village(congress.place)
        person = _beneficiary(rng, village, group, taken)
        story, steps, (low, high) = wish_deck.deal()
        cosigners = [d for d in pool if d.pk != lead.pk][:1] if rng.random() < 0.4 else []
        plans.append(
            Plan(
                kind=Case.Kind.WISH,
                story=story,
                steps=steps,
                age=rng.randint(low, high),
                congress=congress,
                lead=lead,
                place=village,
                station=station,
                title=f"为{GROUP_WORDS[group]}添置{item}"
                if category == "material"
                else f"为{GROUP_WORDS[group]}提供{item}",
                content=f"{person['name']}{need}经了解，其家庭收入低，无力自行解决。",
                lead_unit=places.government(congress),
                cosigners=cosigners,
                category=category,
                amount=Decimal(value),
                beneficiary=person,
                public_summary=f"{GROUP_WORDS[group]}需要{item}",
            )
        )
    # Micro-projects: in counties and towns.
    for i in range(projects):
        congress = (
            places.haiyan
            if i % 4 == 0
            else rng.choice(places.counties or [places.haiyan])
            if i % 2
            else rng.choice(places.towns or [places.haiyan])
        )
        pool = places.deputies[congress.pk]
        lead = chen if congress == places.haiyan else rng.choice(pool)
        project, budget, dept = rng.choice(MICRO_PROJECTS)
        place = places.village(congress.place) if congress.level == "township" else congress.place
        story, steps, (low, high) = project_deck.deal()
        plans.append(
            Plan(
                kind=Case.Kind.MICRO_PROJECT,
                story=story,
                steps=steps,
                age=rng.randint(low, high),
                congress=congress,
                lead=lead,
                place=place,
                station=None,
                title=f"{place.name}{project}",
                content=f"{place.name}群众多次反映，希望实施{project}项目。经代表走访调研，项目需求迫切、受益面广，"
                f"预算约{budget}元，建议列入民生微实事。",
                lead_unit=places.department(congress, dept),
                cosigners=[d for d in pool if d.pk != lead.pk][:2] if rng.random() < 0.5 else [],
                amount=Decimal(budget),
            )
        )
    # Suggestions: city, counties and towns.
    for i in range(suggestions):
        roll = i % 5
        congress = (
            places.city
            if roll in (0, 1)
            else rng.choice(places.counties or [places.city])
            if roll in (2, 3)
            else places.haiyan
        )
        pool = places.deputies[congress.pk]
        lead = (
            zeng
            if congress == places.city and i % 4 == 0
            else chen
            if congress == places.haiyan
            else rng.choice(pool)
        )
        title, dept = rng.choice(SUGGESTIONS)
        lead_unit = places.department(congress, dept)
        story, steps, (low, high) = suggestion_deck.deal()
        others = []
        if "assign_assisting" in steps or "assign_split" in steps:
            other = places.other_department(congress, lead_unit)
            if other is None:
                steps = [
                    s.replace("assign_assisting", "assign").replace("assign_split", "assign") for s in steps
                ]
                steps = [
                    {"ack_all": "ack", "opinion": "record", "answer_one": "record"}.get(s, s) for s in steps
                ]
            else:
                others = [other]
        plans.append(
            Plan(
                kind=Case.Kind.SUGGESTION,
                story=story,
                steps=steps,
                age=rng.randint(low, high),
                congress=congress,
                lead=lead,
                place=congress.place,
                station=None,
                title=title,
                content=f"{title.removeprefix('关于').removesuffix('的建议')}关系群众切身利益。代表在走访选民时了解到，"
                "群众对此反映强烈。建议有关部门加大投入，明确责任，制定具体措施，限期推进落实。",
                lead_unit=lead_unit,
                other_units=others,
                cosigners=[d for d in pool if d.pk != lead.pk][: rng.randint(1, 3)]
                if rng.random() < 0.6
                else [],
            )
        )
    return plans


# --- playing a story --------------------------------------------------------------------------------------


class Story:
    """Runs one plan's steps through the services, then moves each step's times into the past."""

    def __init__(self, demo: Demo, places: Places, plan: Plan, now: dt.datetime):
        self.demo, self.places, self.plan, self.now = demo, places, plan, now
        self.rng = demo.rng
        self.staff = demo.staff_for(plan.congress)
        self.rules = R.rules_for(plan.congress)
        self.filed = now - dt.timedelta(days=plan.age, hours=self.rng.randrange(0, 8))
        self.t = self.filed - dt.timedelta(days=self.rng.randint(2, 10))
        self.case: Case | None = None
        self.claims: list[Claim] = []

    def later(self, days: int | tuple[int, int]) -> dt.datetime:
        """Move the story's clock on (never past now)."""
        if isinstance(days, tuple):
            days = self.rng.randint(*days)
        self.t = min(self.t + dt.timedelta(days=days, minutes=self.rng.randrange(30, 400)), self.now)
        return self.t

    def run(self, when: dt.datetime, fn, **kwargs):
        """Call a service, then date the audit records it wrote (demo only)."""
        last = AuditRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
        result = fn(**kwargs)
        AuditRecord.objects.filter(id__gt=last).update(at=when)
        return result

    def publish_due(self, when) -> dict:
        due = R.publish_due(when.date(), self.rules)
        return {"publish_due": due, "publish_due_provisional": due.provisional}

    def update_case(self, **fields) -> None:
        Case.objects.filter(pk=self.case.pk).update(**fields)

    def assignments(self, round: int | None = None):
        parts = Assignment.objects.filter(case=self.case).exclude(status=Assignment.Status.REMOVED)
        if round is not None:
            parts = parts.filter(round=round)
        return parts.select_related("unit").order_by("id")

    def lead_user(self):
        return self.demo.deputy_user(self.plan.lead)

    # --- the steps -----------------------------------------------------------------------------------

    def play(self) -> Case:
        for step in self.plan.steps:
            getattr(self, f"step_{step}")()
        self.update_case(updated_at=self.t)
        return self.case

    def step_create(self):
        p = self.plan
        actor = self.lead_user()
        self.case = self.run(
            self.t,
            services.case_create,
            actor=actor,
            kind=p.kind,
            title=p.title,
            content=p.content,
            congress=p.congress,
            lead_deputy=p.lead,
            place=p.place,
            station=p.station,
            category=p.category,
            amount=p.amount,
            beneficiary=p.beneficiary,
        )
        self.update_case(created_at=self.t)

    def step_verify(self):
        when = self.later((1, 3))
        haiyan_station = self.demo.users["station_staff"].station_id
        actor = (
            self.demo.users["station_staff"]
            if self.plan.station is not None and self.plan.station.pk == haiyan_station
            else self.staff
        )
        self.run(
            when,
            services.case_verify,
            actor=actor,
            case_id=self.case.pk,
            visited_on=when.date(),
            visitors="联络站工作人员、" + self.plan.lead.name + "代表",
            findings="入户走访核实，家庭情况属实，需求真实、合理。",
            confirmed=True,
        )
        self.update_case(verified_at=when)
        HomeVerification.objects.filter(case=self.case).update(recorded_at=when)

    def step_file(self):
        self.t = max(self.t, self.filed)
        when = self.t
        cosigners = self.plan.cosigners
        case = self.run(
            when, services.case_file, actor=self.lead_user(), case_id=self.case.pk, cosigners=cosigners
        )
        # 联名: the demo's co-signers confirm on the day (those without an account, on paper).
        Cosigner.objects.filter(case=self.case).update(status=Cosigner.Status.CONFIRMED, responded_at=when)
        assign_due = R.assign_due(when.date(), self.rules)
        self.update_case(
            filed_at=when,
            assign_due=assign_due,
            assign_due_provisional=assign_due.provisional,
            number=f"{when.year}{case.number[4:]}",
        )
        self.case.refresh_from_db()

    def step_return(self):
        when = self.later((1, 4))
        self.run(
            when,
            services.case_return,
            actor=self.staff,
            case_id=self.case.pk,
            note="请补充具体的实施地点和受益人数。",
        )

    def step_refuse(self):
        when = self.later((1, 4))
        reason = self.rng.choice(
            [Case.RefuseReason.OUT_OF_REMIT, Case.RefuseReason.NO_CONTENT, Case.RefuseReason.PETITION]
        )
        self.run(
            when,
            services.case_refuse,
            actor=self.staff,
            case_id=self.case.pk,
            reason=reason,
            note="经审查，不予立案。",
        )

    def step_withdraw(self):
        when = self.later((3, 20))
        self.run(
            when,
            services.case_withdraw,
            actor=self.lead_user(),
            case_id=self.case.pk,
            reason="问题已通过其他渠道解决，申请撤回。",
        )

    def step_accept(self):
        self.run(self.later((1, 2)), services.case_accept, actor=self.staff, case_id=self.case.pk)

    def _assign(self, *, round: int = 1, **units):
        when = self.later((1, 3))
        self.run(when, services.case_assign, actor=self.staff, case_id=self.case.pk, **units)
        self.case.refresh_from_db()
        due = R.answer_due(when.date(), self.rules, hard=self.case.is_hard, round=self.case.round)
        self.update_case(assigned_at=when, answer_due=due)
        reassign_due = R.reassign_request_due(when.date(), self.rules)
        Assignment.objects.filter(case=self.case, round=self.case.round).update(
            created_at=when,
            updated_at=when,
            answer_due=due,
            reassign_request_due=reassign_due,
            reassign_request_due_provisional=reassign_due.provisional,
        )
        Assignment.objects.filter(
            case=self.case, round=self.case.round, role=Assignment.Role.ASSISTING
        ).update(opinion_due=R.opinion_due(when.date(), self.rules))
        self.case.refresh_from_db()

    def step_assign(self):
        self._assign(lead=self.plan.lead_unit)

    def step_assign_assisting(self):
        self._assign(lead=self.plan.lead_unit, assisting=self.plan.other_units)

    def step_assign_split(self):
        self._assign(split=[self.plan.lead_unit, *self.plan.other_units])

    def _acknowledge(self, part):
        when = self.later((1, 3))
        self.run(
            when, services.assignment_acknowledge, actor=self.demo.handler(part.unit), assignment_id=part.pk
        )
        Assignment.objects.filter(pk=part.pk).update(acknowledged_at=when)

    def step_ack(self):
        lead = (
            self.assignments(self.case.round)
            .filter(role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT])
            .first()
        )
        self._acknowledge(lead)

    def step_ack_all(self):
        for part in self.assignments(self.case.round):
            self._acknowledge(part)

    def step_ack2(self):
        self.step_ack()

    def step_record(self):
        part = self.assignments(self.case.round).filter(status=Assignment.Status.HANDLING).first()
        when = self.later((3, 15))
        self.run(
            when,
            services.handling_record_add,
            actor=self.demo.handler(part.unit),
            assignment_id=part.pk,
            kind=self.rng.choice(["meeting", "phone", "progress"]),
            happened_on=when.date(),
            note="与领衔代表沟通办理思路，并到现场查看。",
        )
        HandlingRecord.objects.filter(assignment=part).update(recorded_at=when)

    def step_opinion(self):
        for part in self.assignments(self.case.round).filter(role=Assignment.Role.ASSISTING):
            when = self.later((5, 15))
            self.run(
                when,
                services.assisting_opinion_send,
                actor=self.demo.handler(part.unit),
                assignment_id=part.pk,
                opinion="我单位同意主办单位的处理意见，将在职责范围内予以配合。",
            )
            Assignment.objects.filter(pk=part.pk).update(opinion_at=when)

    def step_wall(self):
        when = self.later((1, 4))
        self.run(
            when,
            services.wish_put_on_wall,
            actor=self.staff,
            case_id=self.case.pk,
            public_summary=self.plan.public_summary,
        )
        self.update_case(on_wall_at=when)

    def _claim(self, donor, kind: str, amount=None):
        when = self.later((2, 12))
        claim = self.run(
            when, services.claim_create, actor=donor, case_id=self.case.pk, kind=kind, amount=amount
        )
        Claim.objects.filter(pk=claim.pk).update(created_at=when, updated_at=when)
        self.claims.append(claim)

    def step_claim(self):
        self._claim(self.rng.choice(self.demo.donors), Claim.Kind.WHOLE)

    def step_pledge(self):
        """A pledged share, leaving part of the wish open."""
        share = (self.case.amount / 2).quantize(Decimal("1"))
        self._claim(self.rng.choice(self.demo.donors[1:] or self.demo.donors), Claim.Kind.SHARE, share)

    def step_pledge_full(self):
        first = (self.case.amount * Decimal("0.6")).quantize(Decimal("1"))
        donors = self.demo.donors
        self._claim(donors[0], Claim.Kind.SHARE, first)
        self._claim(donors[-1], Claim.Kind.SHARE, self.case.amount - first)

    def _deliver(self, claim):
        when = self.later((3, 12))
        self.run(when, services.claim_deliver, actor=claim.donor, claim_id=claim.pk, photos=[_png(self.rng)])
        Claim.objects.filter(pk=claim.pk).update(delivered_at=when, updated_at=when)
        Document.objects.filter(claim=claim).update(uploaded_at=when)

    def step_deliver(self):
        self._deliver(self.claims[-1])

    def step_deliver_all(self):
        for claim in self.claims:
            self._deliver(claim)

    def _confirm(self, claim):
        when = self.later((1, 3))
        haiyan_station = self.demo.users["station_staff"].station_id
        actor = (
            self.demo.users["station_staff"]
            if self.plan.station is not None and self.plan.station.pk == haiyan_station
            else self.lead_user()
        )
        self.run(when, services.claim_confirm, actor=actor, claim_id=claim.pk)
        Claim.objects.filter(pk=claim.pk).update(confirmed_at=when, updated_at=when)
        if Case.objects.filter(pk=self.case.pk, realised_at__isnull=False).exists():
            self.update_case(realised_at=when)

    def step_confirm(self):
        self._confirm(self.claims[-1])

    def step_confirm_all(self):
        for claim in self.claims:
            self._confirm(claim)

    def _answer(self, part, *, late: bool = False):
        due = part.answer_due
        due_at = dt.datetime.combine(due, dt.time(16, 0), tzinfo=self.now.tzinfo)
        if late:
            self.t = min(max(self.t, due_at) + dt.timedelta(days=self.rng.randint(3, 25)), self.now)
        else:
            target = self.t + dt.timedelta(days=self.rng.randint(10, 45))
            self.t = min(max(self.t, min(target, due_at - dt.timedelta(days=1))), self.now)
        when = self.t
        answer_class = self.rng.choices(
            [c for c, _w in CLASS_WEIGHTS], weights=[w for _c, w in CLASS_WEIGHTS]
        )[0]
        head = self.demo._new_name() + HEADS.get(part.unit.kind, "主任")
        answer = self.run(
            when,
            services.answer_submit,
            actor=self.demo.handler(part.unit),
            assignment_id=part.pk,
            answer_class=answer_class,
            text=ANSWERS[answer_class],
            signed_by=head,
            # 文号 of the printed letter, without drawing from rng (the demo stays the same otherwise)
            document_number=f"{(part.unit.short_name or part.unit.name)[:4]}函〔{when.year}〕{part.pk}号",
        )
        Answer.objects.filter(pk=answer.pk).update(answered_at=when, on_time=when.date() <= due)
        self.case.refresh_from_db()
        if self.case.status == Case.Status.ANSWERED:
            # Published within 20 working days of the answer; rated within a month of it.
            self.update_case(
                answered_at=when, rating_due=R.rating_due(when.date(), self.rules), **self.publish_due(when)
            )

    def step_answer(self):
        for part in self.assignments(self.case.round).filter(
            role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT], status=Assignment.Status.HANDLING
        ):
            self._answer(part)

    def step_answer2(self):
        self.step_answer()

    def step_answer_late(self):
        part = self.assignments(self.case.round).filter(status=Assignment.Status.HANDLING).first()
        self._answer(part, late=True)

    def step_answer_one(self):
        part = self.assignments(self.case.round).filter(status=Assignment.Status.HANDLING).first()
        self._answer(part)

    def _rate(self, user, value: str, comment: str = ""):
        when = self.later((3, 12))
        self.run(when, services.rating_submit, actor=user, case_id=self.case.pk, value=value, comment=comment)
        Rating.objects.filter(case=self.case, deputy_id=user.deputy_id, round=self.case.round).update(
            rated_at=when
        )
        self.case.refresh_from_db()
        if self.case.status == Case.Status.CLOSED:
            self.update_case(closed_at=when)
        return when

    def step_rate_co(self):
        """A co-signer with an account rates first (the lead's rating decides)."""
        from minsheng.accounts.models import User

        for cosigner in self.plan.cosigners:
            user = User.objects.filter(deputy=cosigner).first()
            if user is not None:
                self._rate(user, self.rng.choice(["satisfied", "mostly"]))

    def step_rate_ok(self):
        self._rate(self.lead_user(), self.rng.choices(["satisfied", "mostly"], weights=[7, 3])[0])

    def step_rate2_ok(self):
        self._rate(self.lead_user(), "mostly")

    def step_rate_bad(self):
        self._rate(self.lead_user(), "dissatisfied", "答复内容笼统，问题没有实质解决，希望重新研究办理。")

    def step_reassign(self):
        from minsheng.units.models import Unit

        congress = self.plan.congress
        previous = self.plan.lead_unit
        other = (
            self.places.other_department(congress, previous)
            if congress.level != "township"
            else Unit.objects.filter(pk=previous.pk).first()
        )
        self._assign(lead=other or previous)

    def step_staff_close(self):
        when = self.later((5, 15))
        self.run(
            when,
            services.case_close,
            actor=self.staff,
            case_id=self.case.pk,
            note="经主任会议研究，该问题受客观条件限制，已向代表说明情况，作办结处理。",
        )
        self.update_case(closed_at=when)

    def step_close_unrated(self):
        """未反馈: the deputy let the rating month pass; staff close the case the day after."""
        self.case.refresh_from_db()
        day_after = dt.datetime.combine(
            self.case.rating_due + dt.timedelta(days=1), dt.time(9, 30), tzinfo=self.now.tzinfo
        )
        when = self.t = min(max(self.later((1, 10)), day_after), self.now)
        self.run(
            when,
            services.case_close_unrated,
            actor=self.staff,
            case_id=self.case.pk,
            note="代表在规定期限内未反馈意见，按未反馈办结。",
        )
        self.update_case(closed_at=when)

    def step_publish(self):
        when = self.later((5, 15))
        self.run(when, services.case_publish, actor=self.staff, case_id=self.case.pk)
        self.update_case(published_at=when)

    def step_follow_up(self):
        when = self.later((7, 20))
        actor = self.lead_user()
        self.run(
            when,
            services.follow_up_record,
            actor=actor,
            case_id=self.case.pk,
            visited_on=when.date(),
            wish_met=True,
            note="回访时物品使用良好，家属表示感谢。",
        )

    def step_priority(self):
        self.later((95, 100))
        when = self.t
        self.run(
            when,
            services.case_mark_priority,
            actor=self.staff,
            case_id=self.case.pk,
            priority=True,
            meeting_date=when.date(),
            meeting_name=f"{when.year}年第{when.month}次主任会议",
            proposed_by="代表工作委员会",
            note="主任会议确定为重点督办。",
        )
        SupervisionAction.objects.filter(case=self.case).update(recorded_at=when)

    def step_chase(self):
        when = self.later((1, 5))
        action = self.run(
            when,
            services.supervision_record,
            actor=self.staff,
            case_id=self.case.pk,
            kind=SupervisionAction.Kind.CHASE,
            note="已超过答复期限，电话催办承办单位。",
        )
        SupervisionAction.objects.filter(pk=action.pk).update(recorded_at=when)


@transaction.atomic
def build_demo_cases(*, seed: int, scale: str) -> dict[str, int]:
    """Create the demo's cases through the services (after `demo_build`): returns counts per kind, per story
    and per status. Deterministic for a seed, apart from the times (spread back from now)."""
    rng = random.Random(seed)
    demo = Demo(rng)
    places = Places(rng)
    now = timezone.localtime(clock.now())
    counts: Counter[str] = Counter()
    for plan in _plans(rng, places, scale, demo):
        if plan.lead_unit is None:
            continue
        case = Story(demo, places, plan, now).play()
        case.refresh_from_db()
        counts[f"kind_{case.kind}"] += 1
        counts[f"story_{plan.kind}_{plan.story}"] += 1
        counts[f"status_{case.status}"] += 1
        counts["cases"] += 1
    return dict(sorted(counts.items()))
