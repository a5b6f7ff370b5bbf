"""The daily digest: for the users who chose it (`Preference.digest`), the e-mail and SMS copies of their
notifications wait as `DigestItem` rows (services.notify) and leave once a day as ONE message per channel,
through the outbox like every other copy.

`digests_send` (the daily job `tasks.send_digests`) takes, for each user and channel with waiting items, one
transaction: it writes that day's `Digest` row (unique per user, channel and day), attaches every waiting item
to it and writes the outbox row. A job run twice the same day (its worker died, the scheduler's recovery)
finds the row and sends nothing more: items that arrived since wait for the next day's digest."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minsheng.common import clock
from minsheng.common.steps import job_step

from .models import DIGEST_EMAIL_LENGTH, Digest, DigestItem, OutboundMessage
from .services import _enqueue_sender

SMS_LENGTH = 300


def _sms_text(texts: list[str]) -> str:
    head = ngettext(
        "Minsheng: %(count)d new notification: ", "Minsheng: %(count)d new notifications: ", len(texts)
    ) % {"count": len(texts)}
    body = "；".join(texts)
    tail = _(" (all of them on your notifications page)")
    room = SMS_LENGTH - len(head) - len(tail)
    if len(body) > room:
        body = body[: max(room - 1, 0)] + "…"
    return head + body + tail


def _email_text(texts: list[str], links: list[str]) -> str:
    site = getattr(settings, "SITE_URL", "")
    lines = [
        ngettext(
            "You have %(count)d new notification today:",
            "You have %(count)d new notifications today:",
            len(texts),
        )
        % {"count": len(texts)},
        "",
    ]
    for number, (text, link) in enumerate(zip(texts, links, strict=True), start=1):
        lines.append(f"{number}. {text}")
        if link:
            lines.append(f"   {site}{link}")
    text = "\n".join(lines)
    if len(text) > DIGEST_EMAIL_LENGTH - 20:
        text = text[: DIGEST_EMAIL_LENGTH - 20] + "\n…"
    return text


def _digest_one(user, channel: str, day: dt.date) -> bool:
    """One user's digest on one channel for `day`; False when it went out already (or nothing waits)."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, channel=channel, day=day)
            waiting = DigestItem.objects.select_for_update().filter(user=user, channel=channel, digest=None)
            items = list(waiting.select_related("notification").order_by("id"))
            if not items:
                raise _NothingWaits
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).update(digest=digest)
            texts = [i.notification.text for i in items]
            links = [i.notification.link for i in items]
            address = user.email if channel == OutboundMessage.Channel.EMAIL else user.mobile
            if not address:  # the address was removed since: the items stay on the notifications page
                return True
            if channel == OutboundMessage.Channel.EMAIL:
                subject = ngettext(
                    "Minsheng: %(count)d new notification today",
                    "Minsheng: %(count)d new notifications today",
                    len(texts),
                ) % {"count": len(texts)}
                text = _email_text(texts, links)
            else:
                subject, text = "", _sms_text(texts)
            digest.message = OutboundMessage.objects.create(
                channel=channel,
                address=address,
                subject=subject[:80],
                user=user,
                text=text,
                link=reverse("notifications:list"),
                next_attempt_at=timezone.now(),
            )
            digest.save(update_fields=["message"])
            transaction.on_commit(_enqueue_sender)
    except (IntegrityError, _NothingWaits):
        return False
    return True


class _NothingWaits(Exception):
    pass


def digests_send(*, today: dt.date | None = None) -> int:
    """Today's digests: one message per user and channel holding every copy that waits. Returns how many
    digests were written (0 for those already sent today)."""
    from django.contrib.auth import get_user_model

    day = today or clock.today()
    waiting = DigestItem.objects.filter(digest=None).order_by().values_list("user_id", "channel").distinct()
    pairs = sorted(set(waiting))
    users = get_user_model().objects.in_bulk({user_id for user_id, _channel in pairs})
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user_id, channel in pairs:
            user = users.get(user_id)
            if user is None or not user.is_active:
                continue
            if _digest_one(user, channel, day):
                sent += 1
                job_step("digest.sent", user=user_id, channel=channel)
    return sent
