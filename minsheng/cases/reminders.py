"""Deadline reminders to handling units: 7 days before the answer is due, on the day, and once overdue; the
same for an assisting unit (协办) and its opinion to the lead unit (`Assignment.opinion_due`), until it is sent.

Each reminder is a `ReminderLog` row (unique per assignment, kind and due date) written in the same transaction
as its in-app notification; a job that dies half-way and is retried skips every reminder it already sent."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.common import clock
from minsheng.common.reminders import reminder_kind
from minsheng.common.steps import job_step
from minsheng.notifications.services import notify

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
    sent = 0
    with translation.override("zh-hans"):
        for assignment in live.iterator(chunk_size=500):
            kind = reminder_kind(assignment.answer_due, today, days)
            if kind is None:
                continue
            if _send_one(assignment, kind):
                sent += 1
                job_step("reminder.sent", assignment=assignment.pk)
        for assignment in assisting.iterator(chunk_size=500):
            kind = reminder_kind(assignment.opinion_due, today, days)
            if kind is None:
                continue
            if _send_one(assignment, kind, opinion=True):
                sent += 1
                job_step("reminder.sent", assignment=assignment.pk)
    return sent


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
    text = texts[kind] % {"number": assignment.case.number, "date": due.isoformat()}
    try:
        with transaction.atomic():
            ReminderLog.objects.create(assignment=assignment, kind=kind, due_date=due)
            handlers = User.objects.filter(
                unit_id=assignment.unit_id, role=User.Role.UNIT_HANDLER, is_active=True
            )
            notify(handlers, text=text, link=reverse("cases:detail", args=[assignment.case_id]), sms=True)
    except IntegrityError:
        return False
    return True
