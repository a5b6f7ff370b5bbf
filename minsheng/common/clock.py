"""The one clock of the project (tests freeze it with time-machine) and China's working days.

Working days follow the official calendar including 调休 working weekends, kept as data the office enters, and a
provisional calendar by rule for the years not yet published: see `minsheng.common.workdays`."""

import datetime as dt

from django.utils import timezone

from . import workdays
from .workdays import Deadline

__all__ = ["Deadline", "add_working_days", "is_working_day", "now", "today", "working_deadline"]


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()


def is_working_day(day: dt.date) -> bool:
    return workdays.is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself does not count)."""
    return workdays.working_deadline(start, days).date


def working_deadline(start: dt.date, days: int) -> Deadline:
    """As `add_working_days`, with whether the count used a provisional year's calendar."""
    return workdays.working_deadline(start, days)
