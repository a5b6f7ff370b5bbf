"""A 擂台赛 built through the services: typical towns and typical villages of Jiangmen, two components
(综合考核评价 40% entered by staff, 现场竞演 60% by three judges, mean of the closest two), 一等奖 1 and 二等奖 1
per group with award funds."""

import io
from decimal import Decimal as D

from openpyxl import Workbook

from minsheng.accounts.models import User
from minsheng.accounts.tests.factories import UserFactory
from minsheng.appraisals import rules, services
from minsheng.appraisals.models import Appraisal
from minsheng.deputies.tests.factories import DeputyFactory

COMPONENTS = [
    {"code": "assessment", "name": "综合考核评价", "weight": D(40), "source": rules.DIRECT},
    {
        "code": "onsite",
        "name": "现场竞演",
        "weight": D(60),
        "source": rules.JUDGES,
        "trim": 1,
        "min_judges": 3,
        "few_judges": [[3, rules.CLOSEST_TWO]],
    },
]
TIERS = [
    {"code": "first", "name": "一等奖", "quota": 1, "award": D(100000)},
    {"code": "second", "name": "二等奖", "quota": 1, "award": D(50000)},
]
TOWNS = ["台城街道", "斗山镇", "海宴镇"]
VILLAGES = ["浮石村", "那扶村", "北陡村"]


def judge_users(n=3):
    """Judges: deputies with accounts (代表评委), who manage nothing."""
    return [
        UserFactory(
            username=f"judge{i + 1}",
            display_name=f"评委{i + 1}",
            role=User.Role.DEPUTY,
            deputy=DeputyFactory(),
        )
        for i in range(n)
    ]


def make_contest(staff, congress, judges=None, *, towns=TOWNS, villages=VILLAGES) -> Appraisal:
    appraisal = services.appraisal_create(
        actor=staff, congress=congress, title="典型镇村党组织书记擂台赛", year=2026
    )
    services.appraisal_configure(
        actor=staff,
        appraisal_id=appraisal.pk,
        components=COMPONENTS,
        tiers=TIERS,
        groups=["典型镇", "典型村"],
        tie_breakers=[[rules.COMPONENT, "onsite"]],
    )
    town_group, village_group = appraisal.groups.order_by("order")
    for name in towns:
        services.contestant_add(actor=staff, appraisal_id=appraisal.pk, group_id=town_group.pk, name=name)
    for name in villages:
        services.contestant_add(actor=staff, appraisal_id=appraisal.pk, group_id=village_group.pk, name=name)
    for i, user in enumerate(judges or []):
        services.judge_add(actor=staff, appraisal_id=appraisal.pk, user=user, label=f"评委{i + 1}")
    return appraisal


def component(appraisal, code):
    return appraisal.components.get(code=code)


def score_everyone(appraisal, judges, onsite, assessment, staff):
    """onsite: {contestant name: (score of judge 1, 2, 3)}; assessment: {contestant name: score}."""
    on = component(appraisal, "onsite")
    direct = component(appraisal, "assessment")
    for c in appraisal.contestants.all():
        services.score_set(actor=staff, contestant_id=c.pk, component_id=direct.pk, value=assessment[c.name])
        for user, value in zip(judges, onsite[c.name], strict=True):
            services.score_enter(actor=user, contestant_id=c.pk, component_id=on.pk, value=value)


def workbook(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out
