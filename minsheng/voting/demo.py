"""Demo votes: for the city, two counties and three towns of the demo's Jiangmen, last year's solicitation
with proposals, candidates (差额: 12 → 10 in the city, 11 → 9 in a county, 10 → 8 in a town), a selection
vote closed and published with the deputies' ballots, and this year's solicitation open for proposals.

Everything goes through the voting SERVICES (permissions, rules, audit records, the tally are the real ones),
so the results are real counts. `build_demo_votes(seed=...)` runs after `demo_build` (it needs the demo's
congresses, terms, sessions, deputies, units and staff accounts); the same seed gives the same proposals,
candidates and ballots. DEMO ONLY: the votes' opening, closing and publishing times are then moved to the
days of the session that held them; production code never rewrites times.

A deputy's ballot is cast by an unsaved deputy account (role deputy, his or her deputy), not by a stored
account: the service needs only the role and the deputy, and thousands of accounts nobody can sign in to
would only clutter the list of accounts.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from minsheng.common import clock

from . import services
from .models import CandidateResult, Proposal, VoteSession

CITY = "440700"
COUNTIES = ["440781", "440783"]  # 台山市, 开平市
HAIYAN = "440781111"
# (candidates, seats) by level: more candidates than seats (差额)
SIZES = {"city": (12, 10), "county": (11, 9), "township": (10, 8)}
TURNOUT = 0.9

# (title, what and where, department of the lead unit ("" = the government), budget in 10,000 yuan)
PROJECTS = [
    ("长者饭堂提质扩面", "新建和改造长者饭堂，为高龄、独居老人提供助餐配餐服务。", "民政局", (300, 900)),
    ("农村公路提质改造", "对破损的县乡道和村道进行路面硬化和拓宽，增设安全设施。", "交通运输局", (800, 3000)),
    ("中小学校舍安全改造", "加固改造老旧校舍，更新教室照明和课桌椅。", "教育局", (600, 2000)),
    ("城乡供水一体化", "铺设供水管网，解决偏远村庄饮用水水质和水压问题。", "水利局", (1000, 4000)),
    ("老旧小区改造", "改造小区供排水、电力和消防设施，加装电梯，整治环境。", "住房和城乡建设局", (800, 2500)),
    ("基层医疗服务能力提升", "为乡镇卫生院购置医疗设备，培训村医。", "卫生健康局", (400, 1500)),
    ("公办幼儿园学位扩容", "新建、改扩建公办幼儿园，增加普惠性学位。", "教育局", (500, 1800)),
    ("农村生活污水治理", "建设村级污水收集管网和处理设施。", "农业农村局", (600, 2200)),
    ("城区停车位增设", "利用边角地块建设公共停车场，增加停车泊位。", "住房和城乡建设局", (300, 1200)),
    ("就业技能培训", "面向返乡青年和失业人员开展免费职业技能培训。", "人力资源和社会保障局", (100, 400)),
    ("食品安全快检进市场", "在农贸市场设置食品安全快检室，公示检测结果。", "市场监督管理局", (80, 300)),
    (
        "侨乡历史建筑活化利用",
        "修缮碉楼、骑楼等历史建筑，用作村史馆和文化驿站。",
        "住房和城乡建设局",
        (400, 1600),
    ),
    ("公交候车亭建设", "在镇村主要道路新建、改造公交候车亭。", "交通运输局", (100, 500)),
    ("残疾人康复服务", "为困难残疾人提供康复训练、辅具适配和上门服务。", "民政局", (100, 450)),
]
TOWN_PROJECTS = [
    ("村道路灯安装", "在村主干道和巷道安装太阳能路灯。", (20, 80)),
    ("村文化室修缮", "修缮村文化室，添置图书和文体器材。", (15, 60)),
    ("排水渠清淤改造", "清淤并硬化村内排水渠，解决雨季内涝。", (30, 120)),
    ("长者饭堂设备购置", "为镇长者饭堂购置厨具和配餐保温设备。", (10, 40)),
    ("村篮球场翻新", "翻新村篮球场地面，更换篮球架和照明。", (10, 50)),
    ("农村公厕改造", "改造村内旱厕为水冲式公厕。", (20, 90)),
    ("小学周边交通安全设施", "在小学周边增设减速带、护栏和斑马线。", (10, 40)),
    ("河涌护栏加装", "在临水道路和河涌边加装护栏。", (20, 70)),
    ("社区健身路径建设", "在村居公共空间建设健身路径。", (10, 40)),
    ("卫生站规范化建设", "改造村卫生站，配备常用诊疗设备。", (15, 60)),
    ("农贸市场升级改造", "改造镇农贸市场的排水、照明和摊位。", (40, 150)),
    ("渡口安全设施改造", "维修渡口码头，配齐救生设备。", (15, 60)),
]
REJECTIONS = [
    Proposal.RejectReason.FEW_BENEFIT,
    Proposal.RejectReason.NOT_FEASIBLE,
    Proposal.RejectReason.SEVERAL_MATTERS,
    Proposal.RejectReason.DUPLICATE,
]


def deputy_actor(deputy_id: int):
    """An unsaved account of role deputy acting for `deputy_id` (see the module's docstring)."""
    from minsheng.accounts.models import User

    return User(
        username=f"demo-voter-{deputy_id}", role=User.Role.DEPUTY, deputy_id=deputy_id, is_active=True
    )


def _deputy_accounts(deputy_ids: list[int]) -> list:
    """The stored accounts of deputies of the electorate (the demo's 曾丽 and 陈海, and any made since)."""
    from minsheng.accounts.models import User

    return list(
        User.objects.filter(role=User.Role.DEPUTY, is_active=True, deputy_id__in=deputy_ids).order_by("pk")
    )


def _staff_for(congress):
    """The most local demo staff account that covers the congress (the demo's accounts)."""
    from minsheng.accounts.models import User

    staff = (
        User.objects.filter(role=User.Role.CONGRESS_STAFF, is_active=True)
        .select_related("congress")
        .order_by("-congress__region_prefix", "pk")
    )
    for user in staff:
        if user.congress is not None and user.congress.covers(congress):
            return user
    raise RuntimeError("build_demo_votes needs the demo's staff accounts first (demo_build)")


def _congresses():
    from minsheng.congresses.models import Congress

    city = Congress.objects.get(place__code=CITY)
    counties = list(Congress.objects.filter(place__code__in=COUNTIES).order_by("region_prefix"))
    towns = [Congress.objects.get(place__code=HAIYAN)]
    for county in counties:  # the first other town of each county
        other = (
            Congress.objects.filter(
                level=Congress.Level.TOWNSHIP, region_prefix__startswith=county.region_prefix
            )
            .exclude(place__code=HAIYAN)
            .order_by("region_prefix")
            .first()
        )
        if other is not None:
            towns.append(other)
    return [city, *counties, *towns]


def _session(congress, year: int):
    """The session that chose `year`'s projects: the latest one starting by the middle of that year."""
    from minsheng.congresses.models import Session

    term = congress.current_term
    sessions = Session.objects.filter(term=term).order_by("-start_date")
    return sessions.filter(start_date__lte=dt.date(year, 6, 30)).first() or sessions.first()


def _units(congress) -> list:
    from minsheng.units.models import Unit

    return list(Unit.objects.filter(congress=congress, is_active=True).order_by("kind", "id"))


def _lead_unit(units: list, dept: str):
    government = next((u for u in units if u.kind == "government"), units[0])
    if not dept:
        return government
    return next((u for u in units if u.name.endswith(dept)), government)


def electorate_of(congress, session) -> list[int]:
    from minsheng.deputies.models import Seat

    return sorted(
        set(
            Seat.objects.filter(congress=congress, term=session.term, status=Seat.Status.ACTIVE).values_list(
                "deputy_id", flat=True
            )
        )
    )


def _projects(rng: random.Random, congress, n: int) -> list[tuple[str, str, str, Decimal]]:
    """n distinct projects for the congress, in the congress's words (place name in the title)."""
    place = congress.place.name
    if congress.level == "township":
        picked = rng.sample(TOWN_PROJECTS, min(n, len(TOWN_PROJECTS)))
        return [
            (f"{place}{title}", text, "", Decimal(rng.randint(*budget))) for title, text, budget in picked
        ]
    picked = rng.sample(PROJECTS, min(n, len(PROJECTS)))
    return [
        (f"{place}{title}", text, dept, Decimal(rng.randint(*budget))) for title, text, dept, budget in picked
    ]


def _marks(rng: random.Random, ids: list[int], seats: int, many: bool) -> dict[int, str]:
    """One deputy's ballot: 赞成 on N candidates — the N most favoured, or (in a large electorate, now and
    then) one of them swapped for a less favoured one — and 反对 or 弃权 on the others."""
    fors = set(ids[:seats])
    if many and rng.random() < 0.25:
        fors.discard(rng.choice(ids[seats - 3 : seats]))
        fors.add(rng.choice(ids[seats:]))
    return {cid: "for" if cid in fors else ("abstain" if rng.random() < 0.3 else "against") for cid in ids}


def _last_year(rng: random.Random, congress, year: int, counts: Counter) -> None:
    staff = _staff_for(congress)
    session = _session(congress, year)
    units = _units(congress)
    electorate = electorate_of(congress, session) if session else []
    n_candidates, seats = SIZES[congress.level]
    solicitation = services.solicitation_create(
        actor=staff,
        congress=congress,
        year=year,
        title=f"{congress.place.name}{year}年民生实事项目征集",
        opens_on=dt.date(year - 1, 9, 1),
        closes_on=dt.date(year - 1, 10, 31),
    )
    services.solicitation_open(actor=staff, solicitation_id=solicitation.pk)
    projects = _projects(rng, congress, n_candidates + 2)
    accepted = []
    deputy_accounts = _deputy_accounts(electorate)
    for i, (title, text, dept, budget) in enumerate(projects):
        # every third proposal from a deputy of the congress who has an account, the others from the public
        actor = (
            deputy_accounts[i % len(deputy_accounts)] if deputy_accounts and i % 3 == 0 else AnonymousUser()
        )
        proposal = services.proposal_submit(
            actor=actor, solicitation_id=solicitation.pk, title=title, description=text
        )
        counts["vote_proposals"] += 1
        if len(accepted) < n_candidates:
            proposal = services.proposal_screen(actor=staff, proposal_id=proposal.pk, accept=True)
            accepted.append((proposal, dept, budget))
        else:
            services.proposal_screen(
                actor=staff, proposal_id=proposal.pk, accept=False, reason=rng.choice(REJECTIONS)
            )
    services.solicitation_close(actor=staff, solicitation_id=solicitation.pk)
    candidates = []
    for proposal, dept, budget in accepted:
        candidates.append(
            services.candidate_add(
                actor=staff,
                solicitation_id=solicitation.pk,
                title=proposal.title,
                description=proposal.description,
                lead_unit=_lead_unit(units, dept),
                budget=budget,
                proposal=proposal,
            )
        )
        counts["vote_candidates"] += 1
    if session is None or not electorate:
        return  # no deputies in office: no vote (a small demo's town)
    vote = services.vote_create(
        actor=staff,
        solicitation_id=solicitation.pk,
        session=session,
        seats=seats,
        title=f"{congress.name}{year}年民生实事项目票决",
    )
    services.vote_open(actor=staff, vote_id=vote.pk)
    # The delegates' favour: the candidates in a fixed random order, most favoured first.
    favoured = [c.pk for c in candidates]
    rng.shuffle(favoured)
    voters = electorate[: max(1, round(len(electorate) * TURNOUT))]
    present_not_voting = electorate[len(voters) : len(voters) + 2]
    for deputy_id in present_not_voting:
        services.elector_check_in(actor=staff, vote_id=vote.pk, deputy_id=deputy_id)
    for deputy_id in voters:
        services.ballot_cast(
            actor=deputy_actor(deputy_id),
            vote_id=vote.pk,
            choices=_marks(rng, favoured, seats, many=len(electorate) >= 20),
        )
        counts["vote_ballots"] += 1
    services.vote_close(actor=staff, vote_id=vote.pk)
    services.vote_publish(actor=staff, vote_id=vote.pk)
    counts["votes"] += 1
    counts["vote_projects_chosen"] += CandidateResult.objects.filter(
        vote=vote, outcome=CandidateResult.Outcome.CHOSEN
    ).count()
    # DEMO ONLY: the vote was held at its session.
    day = dt.datetime.combine(session.start_date, dt.time(10), tzinfo=dt.UTC)
    VoteSession.objects.filter(pk=vote.pk).update(
        opened_at=day, closed_at=day + dt.timedelta(minutes=40), published_at=day + dt.timedelta(days=1)
    )


def _this_year(rng: random.Random, congress, year: int, counts: Counter) -> None:
    staff = _staff_for(congress)
    today = clock.today()
    solicitation = services.solicitation_create(
        actor=staff,
        congress=congress,
        year=year,
        title=f"{congress.place.name}{year}年民生实事项目征集",
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=40),
    )
    services.solicitation_open(actor=staff, solicitation_id=solicitation.pk)
    for title, text, _dept, _budget in _projects(rng, congress, 3 if congress.level == "township" else 5):
        services.proposal_submit(
            actor=AnonymousUser(), solicitation_id=solicitation.pk, title=title, description=text
        )
        counts["vote_proposals"] += 1


@transaction.atomic
def build_demo_votes(*, seed: int) -> dict[str, int]:
    """Last year's published selection votes and this year's open solicitations of the demo's city, two
    counties and three towns (after `demo_build`). Returns counts."""
    rng = random.Random(seed)
    year = clock.today().year
    counts: Counter[str] = Counter()
    for congress in _congresses():
        _last_year(rng, congress, year - 1, counts)
        _this_year(rng, congress, year, counts)
        counts["vote_solicitations"] += 2
    return dict(sorted(counts.items()))
