"""Sending notifications: in-app first (in the caller's transaction), e-mail and SMS once it commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification
from .sms import gateway


def notify(users, *, text: str, link: str = "", email: bool = True, sms: bool = False) -> list[Notification]:
    users = [u for u in users if u is not None and u.is_active]
    notes = Notification.objects.bulk_create(
        [Notification(user=u, text=text[:300], link=link) for u in users]
    )

    def deliver():
        site = getattr(settings, "SITE_URL", "")
        for user in users:
            if email and user.email:
                send_mail(text[:80], f"{text}\n\n{site}{link}", None, [user.email], fail_silently=True)
            if sms and user.mobile:
                gateway().send(mobile=user.mobile, text=text)

    transaction.on_commit(deliver)
    return notes


def notification_mark_read(*, actor, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=actor, read_at=None).update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count() if user.is_authenticated else 0
