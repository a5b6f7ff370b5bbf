"""Reminders to the deputies to rate an answer: 7 days before the rating deadline (`Case.rating_due`, a month
after the answer by default) and on the day. After it staff may close the case as 未反馈 (not rated), so there
is no "overdue" reminder.

Who is reminded: the lead deputy (whose rating decides) and the co-signers who have not rated the round yet,
through their active deputy accounts. Each reminder is a `RatingReminderLog` row (unique per case, kind and
due date) written in the same transaction as its notifications; a job that dies half-way and is retried skips
every case it already reminded (the loop of notifications/reminders.py)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.common import clock
from minsheng.common.reminders import ReminderKind
from minsheng.notifications import reminders

from . import rules as R
from .models import Case, Cosigner, RatingReminderLog


def rating_reminders_send(*, today: dt.date | None = None) -> int:
    """Send today's rating reminders; returns how many cases were reminded (0 for those already done)."""
    today = today or clock.today()
    days = R.DEFAULTS["reminder_days_before"]
    waiting = (
        Case.objects.filter(
            status=Case.Status.ANSWERED, rating_due__in=[today, today + dt.timedelta(days=days)]
        )
        .select_related("lead_deputy")
        .order_by("id")
    )
    return reminders.reminders_send(
        waiting,
        today=today,
        days_before=days,
        due=lambda case: case.rating_due,
        send=_send_one,
        step="case",
        kinds=(ReminderKind.DUE_SOON, ReminderKind.DUE_TODAY),
    )


def deputies_to_remind(case: Case) -> list[int]:
    """The lead deputy and the co-signers who have not rated this round."""
    rated = set(case.ratings.filter(round=case.round).values_list("deputy_id", flat=True))
    confirmed = case.cosigner_links.filter(status=Cosigner.Status.CONFIRMED)  # 联名: only who confirmed
    deputies = [case.lead_deputy_id, *confirmed.values_list("deputy_id", flat=True)]
    return [d for d in dict.fromkeys(deputies) if d not in rated]


def _send_one(case: Case, kind: str) -> bool:
    texts = {
        ReminderKind.DUE_SOON: _("Please rate the answer to case %(number)s by %(date)s (in 7 days)."),
        ReminderKind.DUE_TODAY: _("Today (%(date)s) is the last day to rate the answer to case %(number)s."),
    }
    return reminders.remind_once(
        log=lambda: RatingReminderLog.objects.create(case=case, kind=kind, due_date=case.rating_due),
        users=lambda: User.objects.filter(
            deputy_id__in=deputies_to_remind(case), role=User.Role.DEPUTY, is_active=True
        ),
        text=texts[kind] % {"number": case.number, "date": case.rating_due.isoformat()},
        link=reverse("cases:detail", args=[case.pk]),
        sms=True,
    )
