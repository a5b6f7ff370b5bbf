"""The outbox: e-mail and SMS leave through `OutboundMessage` rows, never straight from a request or a job.

`services.notify` writes the message rows in the same transaction as the in-app notifications, so a message
exists exactly when its notification committed. `outbox_deliver` (the task `tasks.outbox_send`, enqueued on
commit and by the scheduler) sends the due ones:

1. claim one row: in a transaction of its own (`select_for_update(skip_locked=True)` on PostgreSQL; SQLite's
   IMMEDIATE transactions serialise the claims), pending → sending, `attempts + 1`, `lease_until` =
   now + OUTBOX_LEASE_SECONDS. Committed BEFORE the gateway is called.
2. call the gateway outside any transaction;
3. record the answer: sent (with the gateway's answer), or pending again after a wait that doubles each
   time (OUTBOX_RETRY_SECONDS, at most an hour), or failed after OUTBOX_MAX_ATTEMPTS tries or when the
   gateway refuses it for good. Each write is a compare-and-set on (status, attempts).

A sender that dies between 1 and 3 leaves the row `sending`: the gateway may or may not have taken the
message. `outbox_sweep` (every scheduler tick) looks at rows whose lease has run out: if the SMS gateway is
idempotent (it passes `reference` to the carrier, which drops a second message with the same reference) the
row goes back to pending and is sent again, safely; otherwise it becomes `unknown` and is NOT sent again —
a duplicate text to a deputy is worse than a missing one whose content is on their notifications page — and
staff see it in the admin, where they can send it again. E-mail (Django's mail backends promise nothing) is
handled like a non-idempotent gateway."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from minsheng.common.jobs import enqueue_unless_waiting

from .models import OutboundMessage
from .sms import GatewayRefused, gateway

log = logging.getLogger(__name__)

Status = OutboundMessage.Status


def _setting(name: str):
    return settings.MINSHENG[name]


def retry_wait(attempts: int) -> dt.timedelta:
    """How long to wait before try number `attempts + 1`: doubling, at most an hour."""
    return dt.timedelta(seconds=min(_setting("OUTBOX_RETRY_SECONDS") * 2 ** max(attempts - 1, 0), 3600))


def outbox_due(*, now: dt.datetime | None = None):
    return OutboundMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now or timezone.now())


def _claim_next(now: dt.datetime) -> OutboundMessage | None:
    with transaction.atomic():
        message = (
            outbox_due(now=now).order_by("next_attempt_at", "id").select_for_update(skip_locked=True).first()
        )
        if message is None:
            return None
        message.move_to(Status.SENDING)
        message.attempts += 1
        message.lease_until = now + dt.timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS"))
        changed = OutboundMessage.objects.filter(pk=message.pk, status=Status.PENDING).update(
            status=message.status, attempts=message.attempts, lease_until=message.lease_until, updated_at=now
        )
        return message if changed else None


def _send(message: OutboundMessage) -> str:
    if message.channel == OutboundMessage.Channel.SMS:
        return str(
            gateway().send(mobile=message.address, text=message.text, reference=str(message.reference))
        )
    site = getattr(settings, "SITE_URL", "")
    body = f"{message.text}\n\n{site}{message.link}" if message.link else message.text
    count = send_mail(
        message.subject or message.text[:80], body, None, [message.address], fail_silently=False
    )
    return f"accepted by the mail server ({count})"


def _finish(message: OutboundMessage, **values) -> bool:
    """Record the outcome of try number `message.attempts`, unless the row moved meanwhile (a sweep)."""
    values["updated_at"] = timezone.now()
    return bool(
        OutboundMessage.objects.filter(
            pk=message.pk, status=Status.SENDING, attempts=message.attempts
        ).update(lease_until=None, **values)
    )


def outbox_deliver(*, limit: int = 500) -> dict[str, int]:
    """Send up to `limit` due messages, one claim at a time; returns how many were sent, retried, failed."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for _ in range(limit):
        now = timezone.now()
        message = _claim_next(now)
        if message is None:
            break
        try:
            answer = _send(message)
        except GatewayRefused as exc:
            _finish(message, status=Status.FAILED, last_error=str(exc)[:500])
            counts["failed"] += 1
        except Exception as exc:
            log.warning("outbox message %s not sent (try %d)", message.pk, message.attempts, exc_info=True)
            if message.attempts >= _setting("OUTBOX_MAX_ATTEMPTS"):
                _finish(message, status=Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:500])
                counts["failed"] += 1
            else:
                _finish(
                    message,
                    status=Status.PENDING,
                    next_attempt_at=timezone.now() + retry_wait(message.attempts),
                    last_error=f"{type(exc).__name__}: {exc}"[:500],
                )
                counts["retry"] += 1
        else:
            _finish(message, status=Status.SENT, sent_at=timezone.now(), gateway_answer=answer[:200])
            counts["sent"] += 1
    return counts


def outbox_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Messages left `sending` by a sender that died (their lease ran out): sent again when the SMS gateway
    is idempotent, otherwise marked `unknown` and never sent again (see the module's docstring)."""
    now = now or timezone.now()
    stuck = OutboundMessage.objects.filter(status=Status.SENDING, lease_until__lt=now)
    idempotent = bool(getattr(gateway(), "idempotent", False))
    again = stuck.filter(channel=OutboundMessage.Channel.SMS) if idempotent else stuck.none()
    requeued = again.update(status=Status.PENDING, next_attempt_at=now, lease_until=None, updated_at=now)
    unknown = stuck.update(  # what is still `sending`
        status=Status.UNKNOWN,
        lease_until=None,
        updated_at=now,
        last_error="The sender stopped while handing the message to the gateway: it may or may not have "
        "gone out, and it is not sent again automatically.",
    )
    if requeued or unknown:
        log.warning(
            "outbox: %d message(s) whose sender died sent again, %d of unknown outcome", requeued, unknown
        )
    return {"requeued": requeued, "unknown": unknown}


def outbox_sweep() -> dict[str, int]:
    """The scheduler's tick: recover the messages of dead senders, and enqueue a sender if any is due."""
    from .tasks import outbox_send

    counts = outbox_recover()
    if outbox_due().exists():
        enqueue_unless_waiting(outbox_send)
    return counts
