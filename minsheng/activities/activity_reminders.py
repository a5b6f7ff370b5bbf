"""The day before an activity (代表活动): each deputy invited or signed up is reminded, once.

`activity_reminders_send` (the daily job `tasks.send_activity_reminders`, MINSHENG["PERIODIC_TASKS"]) takes
the planned activities that start tomorrow (local time) and notifies the active deputy accounts of their
participants still invited or signed up (not those on leave). Safe to run twice: the notification's key
(`activity-tomorrow:<activity>:<date>`, unique per user in notifications) is the log row; a second run tells
only who the first did not (a deputy invited since), and an activity moved to another day gets a reminder for
the new day."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.common import clock
from minsheng.common.steps import job_step
from minsheng.notifications.services import notify

from .models import Activity, Participation

REMINDED = (Participation.Status.INVITED, Participation.Status.SIGNED_UP)


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def activity_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the participants of tomorrow's activities; returns how many deputies were told."""
    tomorrow = (today or clock.today()) + dt.timedelta(days=1)
    start, end = _day_bounds(tomorrow)
    activities = Activity.objects.filter(
        status=Activity.Status.PLANNED, starts_at__gte=start, starts_at__lt=end
    ).order_by("starts_at", "id")
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for activity in activities.iterator(chunk_size=200):
            deputy_ids = activity.participations.filter(status__in=REMINDED).values_list(
                "deputy_id", flat=True
            )
            users = User.objects.filter(deputy_id__in=list(deputy_ids), role=User.Role.DEPUTY, is_active=True)
            text = _("Tomorrow at %(time)s: %(title)s, at %(location)s.") % {
                "time": timezone.localtime(activity.starts_at).strftime("%H:%M"),
                "title": activity.title,
                "location": activity.location,
            }
            told += len(
                notify(
                    users,
                    text=text,
                    link=reverse("activities:activity_detail", args=[activity.pk]),
                    sms=True,
                    key=f"activity-tomorrow:{activity.pk}:{tomorrow.isoformat()}",
                )
            )
            job_step("reminder.sent", activity=activity.pk)
    return told
