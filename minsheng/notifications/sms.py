"""SMS behind an interface: production plugs a carrier's gateway in through settings.SMS_GATEWAY.

A gateway's `send(mobile=, text=, reference=)` returns the carrier's answer (its message id) and raises
`GatewayRefused` when the carrier refuses the message for good (an invalid number), any other exception when
it may succeed later (a timeout, the carrier down). `reference` is the outbox message's unique id: a gateway
that passes it to the carrier as its client reference (阿里云短信 `OutId`, 腾讯云短信 `SessionContext`) and
whose carrier drops a second message with the same reference sets `idempotent = True`; the outbox then
sends again a message whose outcome a crash left unknown. Without it such a message is never sent again
(README: the outbox).

`HttpGateway` is the adapter for a carrier (or an in-house SMS platform) with an HTTP JSON API, configured by
`settings.SMS_HTTP_GATEWAY`; `LogGateway` (the default) only logs, for a developer's machine and the demo."""

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class GatewayRefused(Exception):
    """The gateway refused the message for good: trying again would not help."""


class GatewayUnavailable(Exception):
    """The gateway could not take the message now (down, overloaded, too slow): the outbox tries again."""


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


class HttpGateway:
    """An SMS gateway over HTTP: each message is one `POST` of JSON to `settings.SMS_HTTP_GATEWAY["URL"]`

        {"account": ..., "mobile": "13800000000", "text": "...", "reference": "<the outbox message's uuid>"}

    with `Authorization: Bearer <TOKEN>`, waiting at most `TIMEOUT` seconds. The answer:

    - 2xx: taken; the carrier's message id is the JSON answer's `id` (or `message_id`), else the body;
    - 4xx (but 408 and 429): refused for good (a wrong number, a text the carrier will not carry, a bad
      account): `GatewayRefused`, the message fails and is not tried again;
    - 408, 429, 5xx, a timeout or no connection: `GatewayUnavailable`; the outbox tries again later.

    `IDEMPOTENT: True` in the settings says the carrier drops a second message with the same `reference`
    (the outbox may then send again a message whose outcome a crash left unknown)."""

    def __init__(self, config: dict | None = None):
        config = dict(config if config is not None else getattr(settings, "SMS_HTTP_GATEWAY", {}))
        self.url = config.get("URL", "")
        self.account = config.get("ACCOUNT", "")
        self.token = config.get("TOKEN", "")
        self.timeout = float(config.get("TIMEOUT", 10))
        self.idempotent = bool(config.get("IDEMPOTENT", False))

    def send(self, *, mobile: str, text: str, reference: str) -> str:
        if not self.url:
            raise GatewayUnavailable("settings.SMS_HTTP_GATEWAY has no URL")
        payload = {"account": self.account, "mobile": mobile, "text": text, "reference": reference}
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(
            self.url, data=json.dumps(payload).encode("utf-8"), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (a setting)
                return self._message_id(response.status, response.read(64 * 1024))
        except urllib.error.HTTPError as exc:  # an answer, with a status of 4xx or 5xx
            status, body = exc.code, exc.read(2000).decode("utf-8", "replace")
        except TimeoutError as exc:
            raise GatewayUnavailable(f"no answer within {self.timeout:g} s") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise GatewayUnavailable(f"{type(exc).__name__}: {exc}") from exc
        detail = f"HTTP {status}: {body[:200]}"
        if 400 <= status < 500 and status not in (408, 429):
            raise GatewayRefused(detail)
        raise GatewayUnavailable(detail)

    @staticmethod
    def _message_id(status: int, body: bytes) -> str:
        text = body.decode("utf-8", "replace")
        try:
            answer = json.loads(text)
        except ValueError:
            return text[:200] or f"HTTP {status}"
        if isinstance(answer, dict):
            for name in ("id", "message_id", "messageId"):
                if answer.get(name):
                    return str(answer[name])[:200]
        return str(answer)[:200]


def gateway() -> SmsGateway:
    return import_string(getattr(settings, "SMS_GATEWAY", "minsheng.notifications.sms.LogGateway"))()
