"""Writes of the common floor: the official holiday schedule of a year (the working-day calendar)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, validators, workdays
from .errors import DomainError
from .models import WorkCalendarDay, WorkCalendarYear
from .permissions import ensure
from .workdays import DayEntry


@transaction.atomic
def calendar_year_enter(
    *,
    actor,
    year: int,
    days: list[DayEntry],
    notice_number: str = "",
    notice_date: dt.date | None = None,
) -> WorkCalendarYear:
    """Enter (or correct) the official 放假安排 of `year`: its days off and 调休 working weekends replace what was
    stored, all or nothing. Checked by `workdays.check_schedule`. Locks the year's row. On commit the open
    deadlines that count days of the year are recomputed (`tasks.deadlines_recompute`)."""
    ensure(actor, "calendar.edit")
    entries = workdays.check_schedule(year, days)
    notice_number = (notice_number or "").strip()
    if len(notice_number) > 100:
        raise DomainError(_("The notice number has at most 100 characters."), field="notice_number")
    validators.check_past_date(notice_date, field="notice_date")
    row = WorkCalendarYear.objects.select_for_update().filter(year=year).first()
    was = "provisional" if row is None else row.source
    before = {} if row is None else {d.day: (d.kind, d.festival) for d in row.days.all()}
    if row is None:
        row = WorkCalendarYear(year=year)
    row.source = WorkCalendarYear.Source.OFFICE
    row.notice_number = notice_number
    row.notice_date = notice_date
    row.entered_by = actor
    row.save()
    WorkCalendarDay.objects.filter(calendar=row).delete()
    WorkCalendarDay.objects.bulk_create(
        [WorkCalendarDay(calendar=row, day=e.day, kind=e.kind, festival=e.festival) for e in entries]
    )
    after = {e.day: (e.kind, e.festival) for e in entries}
    audit.record(
        actor,
        "calendar.year_entered",
        row,
        year=year,
        was=was,
        notice_number=notice_number,
        days_off=sum(1 for e in entries if e.kind == workdays.DayKind.OFF),
        working_weekends=[str(e.day) for e in entries if e.kind == workdays.DayKind.WORK],
        changed_days=sorted(
            str(d) for d in set(before) ^ set(after) | {d for d in before if before.get(d) != after.get(d)}
        ),
    )
    workdays.invalidate()
    transaction.on_commit(workdays.invalidate)
    transaction.on_commit(lambda: _enqueue_recompute(year))
    return row


def _enqueue_recompute(year: int) -> None:
    from .tasks import deadlines_recompute

    deadlines_recompute.enqueue(year=year)
