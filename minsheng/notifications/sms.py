"""SMS behind an interface: production plugs a carrier's gateway in through settings.SMS_GATEWAY."""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsGateway(Protocol):
    def send(self, *, mobile: str, text: str) -> None: ...


class LogGateway:
    """The default: writes the message to the log (no carrier contract on a developer's machine)."""

    sent: list[tuple[str, str]] = []

    def send(self, *, mobile: str, text: str) -> None:
        self.sent.append((mobile[-4:], text))
        log.info("SMS to ****%s: %s", mobile[-4:], text)


def gateway() -> SmsGateway:
    return import_string(getattr(settings, "SMS_GATEWAY", "minsheng.notifications.sms.LogGateway"))()
