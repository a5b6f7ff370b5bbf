"""Late-milestone reminders to the lead unit's handlers and the congress's staff: 7 days before a milestone is
due, on the day, and once overdue.

Each reminder is a `MilestoneReminder` row (unique per milestone, kind and due date) written in the same
transaction as its in-app notifications; a job that dies half-way and is retried skips every reminder it
already sent. Moving a milestone's due date makes new reminders for the new date (the loop of
notifications/reminders.py)."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.common import clock
from minsheng.notifications import reminders

from .models import Milestone, MilestoneReminder, Project

DAYS_BEFORE = 7


def reminders_send(*, today: dt.date | None = None) -> int:
    """Send today's reminders; returns how many went out (0 for those already sent)."""
    today = today or clock.today()
    open_milestones = (
        Milestone.objects.filter(
            done_on__isnull=True,
            project__status=Project.Status.UNDER_WAY,
            due_on__lte=today + dt.timedelta(days=DAYS_BEFORE),
        )
        .select_related("project")
        .order_by("id")
    )
    return reminders.reminders_send(
        open_milestones,
        today=today,
        days_before=DAYS_BEFORE,
        due=lambda milestone: milestone.due_on,
        send=_send_one,
        step="milestone",
    )


def _send_one(milestone: Milestone, kind: str) -> bool:
    texts = {
        MilestoneReminder.Kind.DUE_SOON: _(
            "Milestone “%(milestone)s” of %(project)s is due on %(date)s (in 7 days)."
        ),
        MilestoneReminder.Kind.DUE_TODAY: _(
            "Milestone “%(milestone)s” of %(project)s is due today (%(date)s)."
        ),
        MilestoneReminder.Kind.OVERDUE: _(
            "Milestone “%(milestone)s” of %(project)s is late: it was due on %(date)s."
        ),
    }
    project = milestone.project
    text = texts[kind] % {
        "milestone": milestone.title,
        "project": project.title,
        "date": milestone.due_on.isoformat(),
    }
    return reminders.remind_once(
        log=lambda: MilestoneReminder.objects.create(milestone=milestone, kind=kind, due_on=milestone.due_on),
        users=lambda: User.objects.filter(is_active=True).filter(
            Q(role=User.Role.UNIT_HANDLER, unit_id=project.lead_unit_id)
            | Q(role=User.Role.CONGRESS_STAFF, congress_id=project.congress_id)
        ),
        text=text,
        link=reverse("projects:detail", args=[project.pk]),
        sms=kind != MilestoneReminder.Kind.DUE_SOON,
    )
