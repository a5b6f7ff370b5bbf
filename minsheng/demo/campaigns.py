"""The demo's campaign (集中履职月): the current year's July campaign "绿美江门·人大代表在行动" of the Jiangmen city
congress (its counties and towns take part), slogan "三级人大联动、五级代表行动", with targets; the social funds of
the 人大代表林 tree planting since March (more than ¥2,000,000 from the demo's donors and from enterprises and
organisations without an account), a few gifts for wishes (linked to their claims) and for projects; then the
dashboard's summary rows refreshed. Written through the services (campaigns: activities; the ledger:
insights). The July receptions and activities are the other demo parts'; the dashboard counts whatever is there.

`build_demo_campaign(seed=...)` runs last in `demo_build` (it needs the accounts, the cases and the projects)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from minsheng.accounts.models import DonorProfile, User
from minsheng.activities.campaign_services import campaign_create, campaign_update
from minsheng.activities.models import Campaign
from minsheng.cases.models import Claim
from minsheng.common import clock
from minsheng.congresses.models import Congress
from minsheng.insights.campaigns import refresh_campaign_summaries
from minsheng.insights.contribution_services import contribution_receive, contribution_record
from minsheng.places.models import Place
from minsheng.projects.models import Project

CITY = "4407"
NAME = "绿美江门·人大代表在行动"
SLOGAN = "三级人大联动、五级代表行动"
# The 人大代表林's givers without an account: enterprises and organisations (never an individual's name).
GIVERS = [
    ("江门市绿源园林工程有限公司", "enterprise", "money", "", "380000"),
    ("台山市侨联", "organisation", "money", "", "260000"),
    ("新会陈皮行业协会", "organisation", "money", "", "180000"),
    ("开平市碉楼文旅发展有限公司", "enterprise", "goods", "树苗 3000 株（香樟、木棉）", "240000"),
    ("鹤山市红十字会", "organisation", "money", "", "120000"),
    ("恩平市温泉旅游协会", "organisation", "money", "", "150000"),
    ("江门市建筑业协会", "organisation", "goods", "工程机械与施工服务", "210000"),
    ("蓬江区个体劳动者协会", "organisation", "money", "", "90000"),
]
ACCOUNT_GIFTS = ["300000", "180000", "66000"]  # from the demo's verified donor accounts


def _pledge_days(rng: random.Random, year: int, today: dt.date, n: int) -> list[dt.date]:
    first = dt.date(year, 3, 1)
    last = min(dt.date(year, 7, 31), today)
    if last < first:
        first = dt.date(year, 1, 1)
    span = max((last - first).days, 0)
    return sorted(first + dt.timedelta(days=rng.randint(0, span)) for _ in range(n))


@transaction.atomic
def build_demo_campaign(*, seed: int) -> dict:
    rng = random.Random(seed + 11)
    staff = User.objects.get(username="city_staff")
    city = Congress.objects.get(region_prefix=CITY)
    today = clock.today()
    year = today.year
    values = {
        "name": NAME,
        "slogan": SLOGAN,
        "theme": "集中一个月，履职贯全年：五级代表回到联络站接待群众，开展专题调研、集中视察、约见市长和植树活动。",
        "starts_on": dt.date(year, 7, 1),
        "ends_on": dt.date(year, 7, 31),
        "target_receptions_per_station": 4,
        "target_participation_percent": 80,
        "target_wishes": 200,
        "target_funds": Decimal("2000000"),
    }
    # The activities part of the demo may have opened the campaign already (its activities belong to it).
    existing = Campaign.objects.filter(congress=city, name=NAME).first()
    if existing:
        campaign = campaign_update(actor=staff, campaign_id=existing.pk, **values)
    else:
        campaign = campaign_create(actor=staff, congress=city, **values)
    planting_place = Place.objects.filter(code__startswith="440703", level="township").first() or city.place
    donors = list(
        User.objects.filter(role=User.Role.DONOR, donor_profile__status=DonorProfile.Status.VERIFIED)
        .exclude(donor_profile__kind=DonorProfile.Kind.INDIVIDUAL)
        .order_by("id")
    )
    days = _pledge_days(rng, year, today, len(GIVERS) + len(ACCOUNT_GIFTS))
    made = []
    for (name, kind, form, goods, amount), day in zip(GIVERS, days, strict=False):
        made.append(
            contribution_record(
                actor=staff,
                donor_name=name,
                donor_kind=kind,
                form=form,
                goods=goods,
                amount=amount,
                purpose="campaign",
                campaign=campaign,
                place=planting_place,
                pledged_on=day,
                note="人大代表林植树",
            )
        )
    for donor, amount, day in zip(donors, ACCOUNT_GIFTS, days[len(GIVERS) :], strict=False):
        made.append(
            contribution_record(
                actor=staff,
                donor=donor,
                form="money",
                amount=amount,
                purpose="campaign",
                campaign=campaign,
                place=planting_place,
                pledged_on=day,
                note="人大代表林植树",
            )
        )
    for gift in made[::3] + made[1::3]:  # two in three have arrived
        contribution_receive(
            actor=staff,
            contribution_id=gift.pk,
            received_on=min(gift.pledged_on + dt.timedelta(days=7), today),
        )
    # Gifts for wishes: the ledger rows of a few of the demo's claims (so each counts once).
    wish_gifts = 0
    claims = Claim.objects.filter(
        status__in=Claim.HOLDING, case__place__code__startswith=CITY
    ).select_related("case")
    for claim in claims.order_by("id")[:4]:
        day = min(clock.today(), max(claim.created_at.date(), dt.date(year, 1, 1)))
        contribution_record(
            actor=staff,
            donor=claim.donor,
            form="money",
            amount=claim.amount,
            purpose="wish",
            case=claim.case,
            claim=claim,
            pledged_on=day,
        )
        wish_gifts += 1
    project_gifts = 0
    for project in Project.objects.filter(place__code__startswith=CITY).order_by("id")[:2]:
        contribution_record(
            actor=staff,
            donor_name="江门市慈善会",
            donor_kind="organisation",
            form="money",
            amount="50000",
            purpose="project",
            project=project,
            pledged_on=_pledge_days(rng, year, today, 1)[0],
        )
        project_gifts += 1
    refresh_campaign_summaries(campaign_id=campaign.pk)
    return {
        "campaigns": 1,
        "contributions": len(made) + wish_gifts + project_gifts,
        "campaign_funds": int(sum(Decimal(g.amount) for g in made)),
    }
