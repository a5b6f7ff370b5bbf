"""The demo's duty records and duty points (履职档案, 履职积分), built last, on whatever the other parts made
(cases, receptions, votes, activities): a points scheme of the current year for the city congress and each of
its counties (the issue's example values, `points_services.EXAMPLE_RULES`), the Q3 bulletin of the city
published (the last ended quarter while Q3 has not ended), two contests of 曾丽's — one pending, one upheld —
a few awards, and the duty summaries refreshed."""

from __future__ import annotations

import datetime as dt

from minsheng.accounts.models import User
from minsheng.common import clock
from minsheng.congresses.models import Congress
from minsheng.insights import points_services as S
from minsheng.insights.duty_record import refresh_duty_summaries

CITY = "440700"


def build_demo_records(*, seed: int) -> dict:
    today = clock.today()
    year = today.year
    city = Congress.objects.get(place__code=CITY)
    staff = User.objects.get(username="city_staff")
    congresses = [
        city,
        *Congress.objects.filter(parent=city, level=Congress.Level.COUNTY).order_by("region_prefix"),
    ]
    zeng = User.objects.get(username="deputy")
    for i, title in enumerate(("优秀人大代表", "优秀代表建议")):
        S.duty_award_create(
            actor=staff,
            deputy=zeng.deputy,
            congress=city,
            title=title,
            awarded_on=dt.date(year, 1 + i, 15)
            if dt.date(year, 1 + i, 15) <= today
            else dt.date(year - 1, 12, 1),
            awarded_by="江门市人大常委会",
        )
    refresh_duty_summaries(None, None)
    schemes = [
        S.points_scheme_create(actor=staff, congress=c, year=year, rules=S.EXAMPLE_RULES, note="示例方案")
        for c in congresses
    ]
    counts = {"points_schemes": len(schemes), "duty_summaries_refreshed": 1}
    by_year, quarter = S.last_quarter(today)
    quarter = 3 if today > S.quarter_end(year, 3) else (quarter if by_year == year else 0)
    if quarter:
        bulletin = S.points_bulletin_publish(actor=staff, congress=city, year=year, quarter=quarter)
        counts["points_bulletins"] = 1
        S.points_contest_file(
            actor=zeng,
            bulletin=bulletin,
            kind="reception",
            ground="missing",
            reason="7月在海宴镇联络站接待群众一次，未计入。",
        )
        decided = S.points_contest_file(
            actor=zeng,
            bulletin=bulletin,
            kind="activity_research",
            ground="missing",
            reason="参加“大桥经济”专题调研未计入。",
        )
        S.points_contest_decide(
            actor=staff, contest=decided, uphold=True, reason="经核实，调研签到记录属实。", delta="8"
        )
        S.points_compute(scheme=schemes[0])
        counts["points_contests"] = 2
    return counts
