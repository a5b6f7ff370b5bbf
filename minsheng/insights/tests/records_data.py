"""Data for the duty record and points tests, written as rows: the activities' services are being built beside
this part (issue 11), and what is tested here is how the record and the points read the rows, whoever writes
them. Cases are filed rows (status and filing time set), receptions and activities held ones."""

import datetime as dt
import itertools

from django.utils import timezone

from minsheng.activities.kinds import builtin_kind
from minsheng.activities.models import Activity, Participation, Reception
from minsheng.cases.models import Case, Cosigner

_numbers = itertools.count(1)


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def filed_case(
    *,
    congress,
    lead,
    by,
    place,
    kind=Case.Kind.SUGGESTION,
    when=None,
    priority=False,
    cosigners=(),
    status=Case.Status.ACCEPTED,
    title="五丰村路口增设路灯",
    public_summary="",
):
    n = next(_numbers)
    case = Case.objects.create(
        number=f"T{n:06d}",
        kind=kind,
        title=title,
        content="内容",
        congress=congress,
        lead_deputy=lead,
        place=place,
        created_by=by,
        status=status,
        is_priority=priority,
        filed_at=when or at(2026, 3, 1),
        public_summary=public_summary,
    )
    for deputy in cosigners:
        Cosigner.objects.create(case=case, deputy=deputy, status=Cosigner.Status.CONFIRMED)
    return case


def reception(*, station, deputies, by, when=None, name="", phone=""):
    r = Reception.objects.create(
        station=station,
        received_at=when or at(2026, 4, 1),
        matter="路灯不亮",
        category=Reception.Category.choices[0][0],
        outcome=Reception.Outcome.choices[0][0],
        recorded_by=by,
        contact_name=name,
        contact_phone=phone,
    )
    r.deputies.set(deputies)
    return r


def activity(*, congress, code, by, participants, when=None, title=None, status=Activity.Status.HELD):
    """An activity of a built-in kind; `participants`: {deputy: "present" | "leave" | "part"} ("part": present,
    not in full)."""
    start = when or at(2026, 7, 10, 9)
    a = Activity.objects.create(
        kind=builtin_kind(code),
        title=title or f"{code} 活动",
        congress=congress,
        place=congress.place,
        location="会议室",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        status=status,
        created_by=by,
    )
    for deputy, how in participants.items():
        Participation.objects.create(
            activity=a,
            deputy=deputy,
            status=Participation.Status.LEAVE if how == "leave" else Participation.Status.PRESENT,
            leave_reason="因病请假" if how == "leave" else "",
            in_full=how != "part",
        )
    return a
