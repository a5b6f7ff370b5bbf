"""Demo livelihood projects: for every chosen candidate of the published selection votes (and further ballots)
that exist, a project with its responsible leader, a supervision group of three deputies, a plan of three or
four milestones (weights 100), milestones done, progress reports with a photo and inspections.

Everything goes through the projects SERVICES (permissions, rules, audit records are the real ones). Run it
after the demo votes (minsheng/voting/demo.py); with no published vote it creates nothing. The same seed gives
the same plans. Most projects of a past year end completed; a few stay under way with a late milestone, and
one in fifteen is terminated, so the pages and the dashboard show every case.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from minsheng.common import clock

from . import services
from .models import Project

STEPS = [
    ("完成立项和方案设计", "完成招标采购", "开工建设", "完工验收并投入使用"),
    ("完成选址和方案论证", "完成资金下达", "全面铺开实施", "完成验收和绩效评价"),
]
WEIGHTS = [(10, 20, 40, 30), (15, 15, 45, 25), (20, 50, 30), (10, 60, 30)]
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN = "明华国强伟芳敏静丽军洪文斌志平建新红海燕"
FINDINGS = [
    "施工进度符合计划，现场安全措施到位。",
    "部分路段施工质量有待加强，群众反映噪音较大。",
    "资金已全部下达，但配套设施建设滞后。",
    "项目受到群众普遍欢迎，建议扩大覆盖范围。",
]
SUGGESTIONS = ["加强质量监管，按期完成。", "做好群众解释工作，合理安排施工时间。", "加快配套设施建设。", ""]


def _staff_for(congress):
    """The most local active staff account that covers the congress."""
    from minsheng.accounts.models import User

    staff = (
        User.objects.filter(role=User.Role.CONGRESS_STAFF, is_active=True)
        .select_related("congress")
        .order_by("-congress__region_prefix", "pk")
    )
    for user in staff:
        if user.congress is not None and user.congress.covers(congress):
            return user
    return None


def _handler(unit, rng: random.Random):
    from minsheng.accounts.models import User

    user = User.objects.filter(role=User.Role.UNIT_HANDLER, unit=unit, is_active=True).order_by("pk").first()
    if user is None:
        user = User(
            username=f"demo_handler_{unit.pk}",
            role=User.Role.UNIT_HANDLER,
            unit=unit,
            display_name=_name(rng),
        )
        user.set_unusable_password()
        user.save()
    return user


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _png(rng: random.Random) -> SimpleUploadedFile:
    """A site 'photo': a plain coloured picture (demo files never show faces)."""
    from PIL import Image, ImageDraw

    image = Image.new(
        "RGB", (480, 320), (rng.randrange(120, 220), rng.randrange(150, 230), rng.randrange(120, 200))
    )
    ImageDraw.Draw(image).rectangle((60, 200, 420, 300), fill=(120, 120, 120))
    out = BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"site-{rng.randrange(10**6)}.png", out.getvalue(), content_type="image/png")


def _deputies(congress, rng: random.Random, n: int) -> list[int]:
    from minsheng.deputies.models import Seat

    ids = sorted(
        set(
            Seat.objects.filter(congress=congress, status=Seat.Status.ACTIVE).values_list(
                "deputy_id", flat=True
            )
        )
    )
    return rng.sample(ids, min(n, len(ids)))


def _chosen_votes():
    from minsheng.voting.models import VoteSession

    return (
        VoteSession.objects.filter(
            status=VoteSession.Status.PUBLISHED,
            kind__in=[VoteSession.Kind.SELECTION, VoteSession.Kind.RUNOFF],
        )
        .select_related("congress", "solicitation")
        .order_by("pk")
    )


def _plan(rng: random.Random, project: Project, staff, today: dt.date, counts: Counter) -> None:
    steps = rng.choice(STEPS)
    weights = rng.choice(WEIGHTS)
    titles = steps if len(weights) == 4 else (steps[0], steps[2], steps[3])
    year = project.year
    due = [dt.date(year, month, 28) for month in ((3, 5, 8, 11) if len(weights) == 4 else (4, 8, 11))]
    milestones = [
        services.milestone_add(actor=staff, project_id=project.pk, title=t, due_on=d, weight=w)
        for t, d, w in zip(titles, due, weights, strict=True)
    ]
    counts["milestones"] += len(milestones)
    # A project of a past year is mostly done; this year's are done up to today, some a little late.
    lagging = rng.random() < 0.2
    done = 0
    for m in milestones:
        if m.due_on >= today or (lagging and m is milestones[-1]):
            break
        done_on = min(m.due_on + dt.timedelta(days=rng.choice((-10, -3, 0, 5, 12))), today)
        services.milestone_complete(actor=staff, milestone_id=m.pk, done_on=done_on)
        done += 1
    counts["milestones_done"] += done
    if done == len(milestones):
        services.project_complete(
            actor=staff,
            project_id=project.pk,
            completed_on=min(milestones[-1].due_on + dt.timedelta(days=20), today),
        )
        counts["completed"] += 1


@transaction.atomic
def build_demo_projects(*, seed: int) -> dict[str, int]:
    """Projects with plans, groups, reports and inspections for every chosen candidate of the published
    selection votes and further ballots. Returns counts (all zero if there is no published vote)."""
    rng = random.Random(seed)
    today = clock.today()
    counts: Counter[str] = Counter()
    for vote in _chosen_votes():
        staff = _staff_for(vote.congress)
        if staff is None:
            continue
        is_town = vote.congress.level == "township"
        for project in services.projects_create_for_vote(actor=staff, vote_id=vote.pk):
            counts["projects"] += 1
            services.project_update(
                actor=staff,
                project_id=project.pk,
                leader_name=_name(rng),
                leader_post="人大主席团副主席" if is_town else "人大常委会副主任",
            )
            group = _deputies(vote.congress, rng, 3)
            if group:
                services.group_set(actor=staff, project_id=project.pk, deputy_ids=group, leader_id=group[0])
            if rng.random() < 1 / 15:
                services.project_terminate(
                    actor=staff,
                    project_id=project.pk,
                    reason="因上级规划调整，经审议同意终止实施，资金统筹用于同类项目。",
                )
                counts["terminated"] += 1
                continue
            handler = _handler(project.lead_unit, rng)
            for percent in sorted(rng.sample(range(10, 100, 10), 2)):
                services.progress_report_add(
                    actor=handler,
                    project_id=project.pk,
                    percent=percent,
                    narrative=f"项目推进顺利，已完成总工程量的{percent}%。",
                    photos=[_png(rng)],
                    is_public=rng.random() < 0.7,
                )
                counts["reports"] += 1
            if group:
                held_on = min(dt.date(project.year, rng.randrange(5, 11), rng.randrange(1, 28)), today)
                i = rng.randrange(len(FINDINGS))
                services.inspection_record(
                    actor=staff,
                    project_id=project.pk,
                    kind=rng.choice(["inspection", "inquiry", "research"]),
                    held_on=held_on,
                    deputy_ids=group,
                    findings=FINDINGS[i],
                    suggestions=SUGGESTIONS[i],
                )
                counts["inspections"] += 1
            _plan(rng, project, staff, today, counts)
    _satisfaction_votes(rng, today, counts)
    return dict(sorted(counts.items()))


SATISFACTION_MARKS = (["satisfied", "mostly", "dissatisfied"], [70, 22, 8])


def _satisfaction_votes(rng: random.Random, today: dt.date, counts: Counter) -> None:
    """满意度测评: at the first session of the next year (if it has begun), the deputies rate each congress's
    projects of the year by secret ballot, through the services; the result is published."""
    from minsheng.congresses.models import Congress, Session
    from minsheng.voting import services as voting
    from minsheng.voting.demo import deputy_actor, electorate_of
    from minsheng.voting.models import Elector, VoteSession

    pairs = Project.objects.values_list("congress_id", "year").distinct().order_by("congress_id", "year")
    for congress_id, year in list(pairs):
        congress = Congress.objects.get(pk=congress_id)
        session = (
            Session.objects.filter(term__congress=congress, start_date__year=year + 1, start_date__lte=today)
            .order_by("start_date")
            .first()
        )
        staff = _staff_for(congress)
        if session is None or staff is None or not electorate_of(congress, session):
            continue
        if VoteSession.objects.filter(
            congress=congress, solicitation__year=year, kind=VoteSession.Kind.SATISFACTION
        ).exists():
            continue  # rated already: nothing twice
        vote = services.satisfaction_vote_create(actor=staff, congress=congress, session=session, year=year)
        voting.vote_open(actor=staff, vote_id=vote.pk)
        electors = list(
            Elector.objects.filter(vote=vote).order_by("deputy_id").values_list("deputy_id", flat=True)
        )
        candidate_ids = sorted(vote.candidates.values_list("pk", flat=True))
        for deputy_id in electors[: max(1, round(len(electors) * 0.9))]:
            marks = {c: rng.choices(*SATISFACTION_MARKS)[0] for c in candidate_ids}
            voting.ballot_cast(actor=deputy_actor(deputy_id), vote_id=vote.pk, choices=marks)
            counts["satisfaction_ballots"] += 1
        voting.vote_close(actor=staff, vote_id=vote.pk)
        voting.vote_publish(actor=staff, vote_id=vote.pk)
        counts["satisfaction_votes"] += 1
        # DEMO ONLY: the vote was held at its session.
        day = dt.datetime.combine(session.start_date, dt.time(15), tzinfo=dt.UTC)
        VoteSession.objects.filter(pk=vote.pk).update(
            opened_at=day, closed_at=day + dt.timedelta(minutes=30), published_at=day + dt.timedelta(days=1)
        )
