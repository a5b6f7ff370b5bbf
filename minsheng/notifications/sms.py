"""SMS behind an interface: production plugs a carrier's gateway in through settings.SMS_GATEWAY.

A gateway's `send(mobile=, text=, reference=)` returns the carrier's answer (its message id) and raises
`GatewayRefused` when the carrier refuses the message for good (an invalid number), any other exception when
it may succeed later (a timeout, the carrier down). `reference` is the outbox message's unique id: a gateway
that passes it to the carrier as its client reference (阿里云短信 `OutId`, 腾讯云短信 `SessionContext`) and
whose carrier drops a second message with the same reference sets `idempotent = True`; the outbox then
sends again a message whose outcome a crash left unknown. Without it such a message is never sent again
(README: the outbox)."""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class GatewayRefused(Exception):
    """The gateway refused the message for good: trying again would not help."""


class SmsGateway(Protocol):
    idempotent: bool

    def send(self, *, mobile: str, text: str, reference: str) -> str: ...


class LogGateway:
    """The default: writes the message to the log (no carrier contract on a developer's machine)."""

    idempotent = False
    sent: list[tuple[str, str]] = []

    def send(self, *, mobile: str, text: str, reference: str = "") -> str:
        self.sent.append((mobile[-4:], text))
        log.info("SMS to ****%s: %s", mobile[-4:], text)
        return f"logged {reference}"


def gateway() -> SmsGateway:
    return import_string(getattr(settings, "SMS_GATEWAY", "minsheng.notifications.sms.LogGateway"))()
