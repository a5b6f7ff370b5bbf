"""Data for the duty record and points tests. Receptions are recorded and attendance is taken through the
activities wing's services (`reception_record`, `attendance_mark`, `activity_cancel`; the deputies attached
to the station by `station_attach_deputy`), with the clock moved just after the moment when it is still
ahead; the activities themselves are held rows, and cases filed rows (status and filing time set): what is
tested here is how the record and the points read them."""

import contextlib
import datetime as dt
import itertools

import time_machine
from django.utils import timezone

from minsheng.activities.kinds import builtin_kind
from minsheng.activities.models import Activity, Participation, Reception
from minsheng.cases.models import Case, Cosigner
from minsheng.common import clock

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


def _when_done(moment: dt.datetime):
    """The clock just after `moment` if it is still ahead (a reception is recorded, attendance taken, once it
    has taken place); otherwise the clock as it is."""
    if moment > clock.now():
        return time_machine.travel(moment + dt.timedelta(minutes=1), tick=False)
    return contextlib.nullcontext()


def reception(*, station, deputies, by, when=None, name="", phone=""):
    """A reception recorded through the activities wing's service (`reception_record`): deputies not yet
    attached to the station are attached first (`station_attach_deputy`)."""
    from minsheng.activities.services import reception_record
    from minsheng.stations.models import StationDeputy
    from minsheng.stations.services import station_attach_deputy

    received_at = when or at(2026, 4, 1)
    attached = set(StationDeputy.objects.filter(station=station).values_list("deputy_id", flat=True))
    for deputy in {d.pk: d for d in deputies}.values():
        if deputy.pk not in attached:
            station_attach_deputy(actor=by, station_id=station.pk, deputy=deputy)
    with _when_done(received_at):
        return reception_record(
            actor=by,
            station_id=station.pk,
            received_at=received_at,
            deputies=list(deputies),
            matter="路灯不亮",
            category=Reception.Category.choices[0][0],
            outcome=Reception.Outcome.ANSWERED,
            contact_name=name,
            contact_phone=phone,
        )


HOURS = dt.timedelta(hours=3)


def _free_start(start: dt.datetime, deputy_ids: list[int]) -> dt.datetime:
    """The first start from `start` (in steps of the activity's length) at which none of these deputies is
    present at another activity: nobody is at two places at once (the service refuses it)."""
    while (
        Participation.objects.filter(
            deputy_id__in=deputy_ids,
            status=Participation.Status.PRESENT,
            activity__starts_at__lt=start + HOURS,
            activity__ends_at__gt=start,
        )
        .exclude(activity__status=Activity.Status.CANCELLED)
        .exists()
    ):
        start += HOURS + dt.timedelta(minutes=1)
    return start


def activity(
    *, congress, code, by, participants, when=None, title=None, status=Activity.Status.HELD, length=HOURS
):
    """An activity of a built-in kind (the row), its attendance marked through the activities wing's service
    (`attendance_mark`); a cancelled one is cancelled through `activity_cancel` after its attendance was
    taken. `participants`: {deputy: "present" | "leave" | "part"} ("part": present, not in full); `length`:
    three hours unless given. Without
    `when` it starts on 10 July 2026 at 9:00, or at the first time after it at which its present deputies
    are nowhere else."""
    from minsheng.activities.activity_services import activity_cancel, attendance_mark

    present = [d.pk for d, how in participants.items() if how != "leave"]
    start = when or _free_start(at(2026, 7, 10, 9), present)
    cancelled = status == Activity.Status.CANCELLED
    a = Activity.objects.create(
        kind=builtin_kind(code),
        title=title or f"{code} 活动",
        congress=congress,
        place=congress.place,
        location="会议室",
        starts_at=start,
        ends_at=start + length,
        status=Activity.Status.PLANNED if cancelled else status,
        created_by=by,
    )
    with _when_done(start):
        for deputy, how in participants.items():
            attendance_mark(
                actor=by,
                activity_id=a.pk,
                deputy=deputy,
                status=Participation.Status.LEAVE if how == "leave" else Participation.Status.PRESENT,
                leave_reason="因病请假" if how == "leave" else "",
                in_full=how != "part",
            )
        if cancelled:
            activity_cancel(actor=by, activity_id=a.pk, reason="天气原因")
    a.refresh_from_db()
    return a
