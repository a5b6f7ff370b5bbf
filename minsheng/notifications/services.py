"""Sending notifications: in-app, and e-mail and SMS copies through the outbox, all in the caller's transaction."""

from django.db import transaction
from django.utils import timezone

from minsheng.common.jobs import enqueue_unless_waiting

from .models import Notification, OutboundMessage


@transaction.atomic
def notify(
    users, *, text: str, link: str = "", email: bool = True, sms: bool = False, key: str = ""
) -> list[Notification]:
    """In-app notifications for `users`, and their e-mail/SMS copies as outbox rows (outbox.py), written in
    the caller's transaction: a copy exists exactly when its notification does. A sender task is enqueued on
    commit; nothing is sent from here. With a `key` each user is told once about it: a job run twice
    (after its worker died) skips who already has it (the database holds it: unique per user and key)."""
    users = [u for u in users if u is not None and u.is_active]
    if key:
        told = set(Notification.objects.filter(user__in=users, key=key).values_list("user_id", flat=True))
        users = [u for u in users if u.pk not in told]
    notes = Notification.objects.bulk_create(
        [Notification(user=u, text=text[:300], link=link, key=key) for u in users]
    )
    now = timezone.now()
    messages = []
    for user, note in zip(users, notes, strict=True):
        common = {
            "notification": note,
            "user": user,
            "text": text[:300],
            "link": link,
            "next_attempt_at": now,
        }
        if email and user.email:
            messages.append(
                OutboundMessage(
                    channel=OutboundMessage.Channel.EMAIL, address=user.email, subject=text[:80], **common
                )
            )
        if sms and user.mobile:
            messages.append(
                OutboundMessage(channel=OutboundMessage.Channel.SMS, address=user.mobile, **common)
            )
    if messages:
        OutboundMessage.objects.bulk_create(messages)
        transaction.on_commit(_enqueue_sender)
    return notes


def _enqueue_sender() -> None:
    from .tasks import outbox_send

    enqueue_unless_waiting(outbox_send)


def notification_mark_read(*, actor, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=actor, read_at=None).update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count() if user.is_authenticated else 0
