"""Demo activities (代表活动, `minsheng.activities`) of the current year's July campaign "绿美江门·人大代表在行动",
written through the SERVICES (every rule and audit record is the real one): two 专题调研 topics with provincial
deputies (the first produced a 代表建议, through `activity_suggestion_create`), a "一府两院"政情通报会, a 约见市长,
group activities, training, 述职, 回选举单位 for the deputies flagged as leading cadres (some gone back, some
not), and the 人大代表林 tree planting monthly since March; with participants present, on leave and absent, and
a few generated photos (one of them, on purpose, used for two activities: the checks on the records find it).

`build_demo_activities(seed=...)` runs after the receptions. Deterministic for a seed; only the activities
that have ended by today are held and have attendance (a demo built in spring shows July as planned).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minsheng.accounts.models import User
from minsheng.activities import activity_services as services
from minsheng.activities.models import ActivityKind, Campaign
from minsheng.common import clock
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy, Seat

CAMPAIGN = "绿美江门·人大代表在行动"
SLOGAN = "三级人大联动、五级代表行动"
RESEARCH_TOPICS = [
    "抢抓'大桥经济'机遇，加快推进江门经济高质量发展",
    "江门市居家社区养老服务",
]
# The suggestion the first research topic produced (`activity_suggestion_create`).
SUGGESTION_TITLE = "关于依托黄茅海跨海通道加快大桥经济产业布局的建议"
SUGGESTION_CONTENT = (
    "专题调研中，代表们走访了大桥沿线园区和企业。建议市政府统筹大桥沿线产业规划，完善配套交通和物流设施，"
    "出台承接珠江口东岸产业转移的扶持措施，推动大桥经济与江门经济高质量发展深度融合。"
)
MAYOR_THEME = "推进'百千万工程'，提升绿美江门建设水平"
LEADING_CADRES = 6  # city deputies flagged 党员领导干部; the first half go back to their electoral unit
LEAVE_REASONS = ["出差", "因病请假", "单位工作冲突", "参加其他会议"]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _photo(rgb: tuple[int, int, int], label: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (64, 48), rgb)
    draw = ImageDraw.Draw(image)
    draw.rectangle([4 + label % 20, 4, 30 + label % 20, 30], fill=(255 - rgb[0], 200, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _deputies_of(
    congress: Congress, n: int, rng: random.Random, *, exclude: set[int] = frozenset()
) -> list[Deputy]:
    pool = list(
        Deputy.objects.filter(seats__congress=congress, seats__status=Seat.Status.ACTIVE)
        .exclude(pk__in=exclude)
        .distinct()
        .order_by("name_sort", "id")[: n * 4]
    )
    return rng.sample(pool, k=min(n, len(pool)))


def build_demo_activities(*, seed: int) -> dict[str, int]:
    rng = random.Random(f"activities-{seed}")
    now = clock.now()
    year = clock.today().year
    staff = User.objects.get(username="city_staff")
    city = staff.congress
    province = Congress.objects.filter(level=Congress.Level.PROVINCIAL).first()
    kinds = {k.code: k for k in ActivityKind.objects.filter(congress__isnull=True)}
    counts: Counter[str] = Counter()
    campaign, _created = Campaign.objects.get_or_create(
        name=CAMPAIGN,
        congress=city,
        defaults={
            "slogan": SLOGAN,
            "theme": "集中一个月，履职贯全年",
            "starts_on": dt.date(year, 7, 1),
            "ends_on": dt.date(year, 7, 31),
            "created_by": staff,
        },
    )
    city_deputies = _deputies_of(city, 30, rng)
    provincial = _deputies_of(province, 6, rng) if province else []
    cadres = city_deputies[:LEADING_CADRES]
    Deputy.objects.filter(pk__in=[d.pk for d in cadres]).update(is_leading_cadre=True)

    def some(start: int, n: int) -> list[Deputy]:
        """`n` city deputies from the `start`-th, round the list (a tiny demo has few)."""
        if not city_deputies:
            return []
        return list(
            {d.pk: d for d in (city_deputies[(start + i) % len(city_deputies)] for i in range(n))}.values()
        )

    photo_count = 0

    def activity(
        code,
        title,
        start,
        hours,
        invited,
        *,
        topic="",
        leader="",
        location="江门市人大常委会会议室",
        photos=0,
        shared_photo: bytes | None = None,
    ):
        nonlocal photo_count
        a = services.activity_create(
            actor=staff,
            kind=kinds[code],
            title=title,
            congress=city,
            place=city.place,
            location=location,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=hours),
            topic=topic,
            leader=leader,
        )
        counts["activities"] += 1
        if invited:
            services.activity_invite(actor=staff, activity_id=a.pk, deputies=invited)
        if a.ends_at < now:
            for i, deputy in enumerate(invited):
                roll = rng.random()
                if roll < 0.75:
                    services.attendance_mark(
                        actor=staff,
                        activity_id=a.pk,
                        deputy=deputy,
                        status="present",
                        in_full=not (code == "training" and i % 4 == 3),
                    )
                    counts["present"] += 1
                elif roll < 0.9:
                    services.attendance_mark(
                        actor=staff,
                        activity_id=a.pk,
                        deputy=deputy,
                        status="leave",
                        leave_reason=rng.choice(LEAVE_REASONS),
                    )
                    counts["leave"] += 1
            services.activity_hold(
                actor=staff, activity_id=a.pk, minutes=f"{title}：与会代表发言交流，形成意见建议。"
            )
            for _ in range(photos):
                photo_count += 1
                data = _photo(
                    (rng.randrange(40, 220), rng.randrange(40, 220), rng.randrange(40, 220)), photo_count
                )
                services.activity_photo_add(
                    actor=staff, activity_id=a.pk, upload=SimpleUploadedFile(f"现场{photo_count}.jpg", data)
                )
                counts["photos"] += 1
            if shared_photo is not None:
                services.activity_photo_add(
                    actor=staff, activity_id=a.pk, upload=SimpleUploadedFile("合影.jpg", shared_photo)
                )
                counts["photos"] += 1
        return a

    july = dt.date(year, 7, 1)
    # Two research topics with provincial deputies (and city deputies), in the first week.
    for i, topic in enumerate(RESEARCH_TOPICS):
        research = activity(
            "research",
            f"专题调研：{topic}",
            _at(july + dt.timedelta(days=2 + i * 2), 9),
            4,
            provincial[i * 3 : i * 3 + 3] + some(i * 4, 4),
            topic=topic,
            location="江门市各县（市、区）",
            photos=1,
        )
        if i == 0 and city_deputies:
            # The first topic produced a 代表建议, led by a city deputy who took part (the activity's page
            # lists it under "Produced"; the case workflow takes it from its draft).
            services.activity_suggestion_create(
                actor=staff,
                activity_id=research.pk,
                deputy=some(0, 4)[0],
                title=SUGGESTION_TITLE,
                content=SUGGESTION_CONTENT,
            )
            counts["activity_suggestions"] += 1
    activity(
        "briefing", "“一府两院”政情通报会", _at(july + dt.timedelta(days=7), 14, 30), 2, some(0, 10), photos=1
    )
    activity(
        "meet_leader",
        f"约见市长：{MAYOR_THEME}",
        _at(july + dt.timedelta(days=9), 9, 30),
        2,
        some(8, 6),
        topic=MAYOR_THEME,
        leader="市长",
        location="江门市人民政府",
    )
    shared = _photo((30, 120, 60), 999)
    activity(
        "group",
        "代表小组活动：走访社区长者饭堂",
        _at(july + dt.timedelta(days=13), 15),
        2,
        some(10, 6),
        shared_photo=shared,
    )
    activity(
        "group",
        "代表小组活动：河长制落实情况调研",
        _at(july + dt.timedelta(days=15), 15),
        2,
        some(14, 6),
        shared_photo=shared,
    )
    activity("training", "代表履职能力提升培训", _at(july + dt.timedelta(days=16), 9), 6, some(0, 16))
    activity("report", "代表向选民述职", _at(july + dt.timedelta(days=20), 19, 30), 2, some(16, 6))
    # 回选举单位: the first half of the leading cadres go back, each to his or her unit; the others have not.
    for i, deputy in enumerate(cadres[: LEADING_CADRES // 2]):
        a = activity(
            "electoral_unit",
            f"回选举单位听取意见：{deputy.name}",
            _at(july + dt.timedelta(days=3 + i), 16),
            2,
            [deputy],
            location="选举单位会议室",
        )
        if a.ends_at < now and not a.participations.filter(deputy=deputy, status="present").exists():
            services.attendance_mark(actor=staff, activity_id=a.pk, deputy=deputy, status="present")
    # 人大代表林: tree planting monthly since March (the months of this year that have begun).
    last_month = max(7, clock.today().month)
    for month in range(3, last_month + 1):
        activity(
            "planting",
            f"“人大代表林”植树活动（{month}月）",
            _at(dt.date(year, month, 12), 8, 30),
            3,
            rng.sample(city_deputies, k=min(8, len(city_deputies))),
            location="江门市人大代表林",
            photos=1 if month in (3, 7) else 0,
        )
    counts["leading_cadres"] = len(cadres)
    counts["campaigns"] = 1 if _created else 0
    return {f"activity_{k}" if not k.startswith("activit") else k: v for k, v in counts.items()}
