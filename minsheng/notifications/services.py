"""Sending notifications: in-app, and e-mail and SMS copies through the outbox, all in the caller's transaction."""

from django.db import transaction
from django.utils import timezone

from minsheng.common.jobs import enqueue_unless_waiting

from .models import DigestItem, Notification, OutboundMessage, Preference


@transaction.atomic
def notify(
    users, *, text: str, link: str = "", email: bool = True, sms: bool = False, key: str = ""
) -> list[Notification]:
    """In-app notifications for `users`, and their e-mail/SMS copies as outbox rows (outbox.py), written in
    the caller's transaction: a copy exists exactly when its notification does. A sender task is enqueued on
    commit; nothing is sent from here. With a `key` each user is told once about it: a job run twice
    (after its worker died) skips who already has it (the database holds it: unique per user and key).

    `email` and `sms` say whether the message may go by that channel at all (`sms=False`, the default: not
    worth a text); each user's `Preference` (or `Preference.defaults_for`) then decides: a channel switched
    off gets no copy, and with the daily digest the copies wait as `DigestItem` rows for
    `digests.digests_send`. A copy needs an address (the account's e-mail, its mobile number)."""
    users = [u for u in users if u is not None and u.is_active]
    if key:
        told = set(Notification.objects.filter(user__in=users, key=key).values_list("user_id", flat=True))
        users = [u for u in users if u.pk not in told]
    if not users:
        return []
    notes = Notification.objects.bulk_create(
        [Notification(user=u, text=text[:300], link=link, key=key) for u in users]
    )
    chosen = {p.user_id: p for p in Preference.objects.filter(user__in=users)} if email or sms else {}
    now = timezone.now()
    messages, held = [], []
    for user, note in zip(users, notes, strict=True):
        preference = chosen.get(user.pk) or Preference.defaults_for(user)
        copies = [
            (OutboundMessage.Channel.EMAIL, email and preference.email, user.email),
            (OutboundMessage.Channel.SMS, sms and preference.sms, user.mobile),
        ]
        for channel, wanted, address in copies:
            if not (wanted and address):
                continue
            if preference.digest:
                held.append(DigestItem(user=user, notification=note, channel=channel))
                continue
            messages.append(
                OutboundMessage(
                    channel=channel,
                    address=address,
                    subject=text[:80] if channel == OutboundMessage.Channel.EMAIL else "",
                    notification=note,
                    user=user,
                    text=text[:300],
                    link=link,
                    next_attempt_at=now,
                )
            )
    if held:
        DigestItem.objects.bulk_create(held)
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


def preference_of(user) -> Preference:
    """The user's choices, or the defaults (not saved) when they never chose."""
    return Preference.objects.filter(user=user).first() or Preference.defaults_for(user)


@transaction.atomic
def preference_save(*, actor, email: bool, sms: bool, digest: bool) -> Preference:
    """The signed-in user chooses how their notifications reach them (in the app they always do)."""
    preference, _created = Preference.objects.select_for_update().get_or_create(
        user=actor, defaults={"email": bool(email), "sms": bool(sms), "digest": bool(digest)}
    )
    if not _created:
        preference.email, preference.sms, preference.digest = bool(email), bool(sms), bool(digest)
        preference.save(update_fields=["email", "sms", "digest", "updated_at"])
    return preference
