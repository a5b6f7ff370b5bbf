"""Background jobs of notifications, run by `manage.py db_worker`."""

from django_tasks import task

from .digests import digests_send
from .outbox import outbox_deliver


@task()
def outbox_send() -> dict:
    """Send the outbox's due e-mail and SMS (enqueued when a notification commits, and by the scheduler)."""
    return outbox_deliver()


@task()
def send_digests() -> int:
    """The daily digest of the users who chose it: one e-mail and one SMS each, at most once a day."""
    return digests_send()
