"""The one clock of the project (tests freeze it with time-machine) and China's working days.

Working days follow the official calendar including 调休 working weekends (chinese-calendar).
"""

import datetime as dt

import chinese_calendar
from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()


def is_working_day(day: dt.date) -> bool:
    return chinese_calendar.is_workday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (start itself does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
