"""Background jobs of the livelihood projects; the daily reminder job is enqueued by `manage.py scheduler`."""

from django_tasks import task

from .reminders import reminders_send


@task()
def send_milestone_reminders() -> int:
    return reminders_send()
