"""What every deadline reminder shares: its three kinds and which one (if any) is due today.

A reminder goes out 7 days (a setting of its app) before the due date, on the day, and once overdue; each
app logs what it sent in a row with a unique key, so a retried job sends nothing twice (cases/reminders.py,
projects/reminders.py)."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due in 7 days")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")


def reminder_kind(due: dt.date, today: dt.date, days_before: int) -> str | None:
    """The reminder due today for a deadline on `due`, or None."""
    if due == today:
        return ReminderKind.DUE_TODAY
    if due < today:
        return ReminderKind.OVERDUE
    if due == today + dt.timedelta(days=days_before):
        return ReminderKind.DUE_SOON
    return None
