"""Background jobs of activities, run by `manage.py db_worker`; the daily ones are enqueued by `manage.py
scheduler` (MINSHENG["PERIODIC_TASKS"])."""

from django_tasks import task

from .activity_reminders import activity_reminders_send


@task()
def send_activity_reminders() -> int:
    """The day before an activity: its invited and signed-up deputies are reminded (once each)."""
    return activity_reminders_send()
