"""Deadline reminders to handling units: 7 days before the answer is due, on the day, and once overdue; the
same for an assisting unit (协办) and its opinion to the lead unit (`Assignment.opinion_due`), until it is sent.

Each reminder is a `ReminderLog` row (unique per assignment, kind and due date) written in the same transaction
as its in-app notification; a job that dies half-way and is retried skips every reminder it already sent (the
loop of notifications/reminders.py)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.common import clock
from minsheng.notifications import reminders

from . import rules as R
from .models import Assignment, ReminderLog


def reminders_send(*, today: dt.date | None = None) -> int:
    """Send today's reminders; returns how many went out (0 for those already sent)."""
    today = today or clock.today()
    days = R.DEFAULTS["reminder_days_before"]
    live = (
        Assignment.objects.filter(status__in=Assignment.LIVE, answer_due__lte=today + dt.timedelta(days=days))
        .exclude(role=Assignment.Role.ASSISTING)
        .select_related("case", "unit")
        .order_by("id")
    )
    assisting = (
        Assignment.objects.filter(
            status__in=Assignment.LIVE,
            role=Assignment.Role.ASSISTING,
            opinion_due__lte=today + dt.timedelta(days=days),
        )
        .select_related("case", "unit")
        .order_by("id")
    )
    sent = reminders.reminders_send(
        live, today=today, days_before=days, due=lambda a: a.answer_due, send=_send_one, step="assignment"
    )
    return sent + reminders.reminders_send(
        assisting,
        today=today,
        days_before=days,
        due=lambda a: a.opinion_due,
        send=lambda a, kind: _send_one(a, kind, opinion=True),
        step="assignment",
    )


def _send_one(assignment: Assignment, kind: str, *, opinion: bool = False) -> bool:
    """One reminder, logged once per (assignment, kind, due date): the answer's, or an assisting opinion's."""
    if opinion:
        texts = {
            ReminderLog.Kind.DUE_SOON: _(
                "Case %(number)s: your unit's assisting opinion is due to the lead unit on %(date)s (in 7 days)."
            ),
            ReminderLog.Kind.DUE_TODAY: _(
                "Case %(number)s: your unit's assisting opinion is due to the lead unit today (%(date)s)."
            ),
            ReminderLog.Kind.OVERDUE: _(
                "Case %(number)s: your unit's assisting opinion is overdue: it was due on %(date)s."
            ),
        }
        due = assignment.opinion_due
    else:
        texts = {
            ReminderLog.Kind.DUE_SOON: _("Case %(number)s is due for an answer on %(date)s (in 7 days)."),
            ReminderLog.Kind.DUE_TODAY: _("Case %(number)s is due for an answer today (%(date)s)."),
            ReminderLog.Kind.OVERDUE: _("Case %(number)s is overdue: the answer was due on %(date)s."),
        }
        due = assignment.answer_due
    return reminders.remind_once(
        log=lambda: ReminderLog.objects.create(assignment=assignment, kind=kind, due_date=due),
        users=lambda: User.objects.filter(
            unit_id=assignment.unit_id, role=User.Role.UNIT_HANDLER, is_active=True
        ),
        text=texts[kind] % {"number": assignment.case.number, "date": due.isoformat()},
        link=reverse("cases:detail", args=[assignment.case_id]),
        sms=True,
    )
