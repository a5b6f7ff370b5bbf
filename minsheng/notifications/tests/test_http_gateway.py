"""The HTTP SMS gateway adapter against a local fake gateway: a 2xx answer is sent (the carrier's id
recorded), a 4xx refusal fails for good, a 5xx or a timeout is tried again by the outbox."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from minsheng.notifications.models import OutboundMessage
from minsheng.notifications.outbox import outbox_deliver
from minsheng.notifications.services import notify
from minsheng.notifications.sms import GatewayRefused, GatewayUnavailable, HttpGateway


class FakeGateway(BaseHTTPRequestHandler):
    answers: list[tuple[int, dict | str, float]] = []  # (status, body, delay) for the next requests
    received: list[dict] = []

    def do_POST(self):  # noqa: N802
        import time

        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append({"body": body, "auth": self.headers.get("Authorization")})
        status, answer, delay = self.answers.pop(0) if self.answers else (200, {"id": "ok"}, 0)
        time.sleep(delay)
        data = (json.dumps(answer) if isinstance(answer, dict) else answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeGateway.answers, FakeGateway.received = [], []
    settings.SMS_GATEWAY = "minsheng.notifications.sms.HttpGateway"
    settings.SMS_HTTP_GATEWAY = {
        "URL": f"http://127.0.0.1:{server.server_port}/sms",
        "ACCOUNT": "jiangmen-rd",
        "TOKEN": "s3cret",
        "TIMEOUT": 0.5,
    }
    yield FakeGateway
    server.shutdown()
    server.server_close()


@pytest.fixture
def deputy(deputy_user):
    deputy_user.mobile = "13800000051"
    deputy_user.save(update_fields=["mobile"])
    return deputy_user


def test_a_message_taken_is_posted_as_json_with_its_reference_and_recorded_sent(fake_gateway, deputy):
    fake_gateway.answers = [(200, {"id": "carrier-42"}, 0)]
    notify([deputy], text="事项已立案", email=False, sms=True)
    assert outbox_deliver() == {"sent": 1, "retry": 0, "failed": 0}
    message = OutboundMessage.objects.get()
    assert message.status == "sent" and message.gateway_answer == "carrier-42"
    (request,) = fake_gateway.received
    assert request["auth"] == "Bearer s3cret"
    assert request["body"] == {
        "account": "jiangmen-rd",
        "mobile": "13800000051",
        "text": "事项已立案",
        "reference": str(message.reference),
    }


def test_a_refusal_fails_for_good(fake_gateway, deputy):
    fake_gateway.answers = [(400, {"error": "invalid mobile"}, 0)]
    notify([deputy], text="提醒", email=False, sms=True)
    assert outbox_deliver() == {"sent": 0, "retry": 0, "failed": 1}
    message = OutboundMessage.objects.get()
    assert (
        message.status == "failed" and "400" in message.last_error and "invalid mobile" in message.last_error
    )
    assert outbox_deliver() == {"sent": 0, "retry": 0, "failed": 0}  # never tried again


@pytest.mark.parametrize("answer", [(503, "busy", 0), (500, {"error": "oops"}, 0), (429, "slow down", 0)])
def test_a_gateway_error_is_tried_again_later(fake_gateway, deputy, answer):
    fake_gateway.answers = [answer]
    notify([deputy], text="提醒", email=False, sms=True)
    assert outbox_deliver() == {"sent": 0, "retry": 1, "failed": 0}
    message = OutboundMessage.objects.get()
    assert message.status == "pending" and message.attempts == 1
    assert message.next_attempt_at > message.created_at and "GatewayUnavailable" in message.last_error


def test_a_timeout_is_tried_again_later_and_succeeds(fake_gateway, deputy):
    fake_gateway.answers = [(200, {"id": "late"}, 1.5), (200, {"id": "carrier-7"}, 0)]
    notify([deputy], text="提醒", email=False, sms=True)
    assert outbox_deliver()["retry"] == 1
    message = OutboundMessage.objects.get()
    assert "no answer within" in message.last_error
    OutboundMessage.objects.update(next_attempt_at=message.created_at)  # the wait is over
    assert outbox_deliver()["sent"] == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.gateway_answer == "carrier-7" and message.attempts == 2


def test_no_server_or_no_url_is_a_retriable_error():
    with pytest.raises(GatewayUnavailable):
        HttpGateway({"URL": "http://127.0.0.1:9/sms", "TIMEOUT": 0.5}).send(
            mobile="1", text="x", reference="r"
        )
    with pytest.raises(GatewayUnavailable):
        HttpGateway({}).send(mobile="1", text="x", reference="r")
    assert not issubclass(GatewayUnavailable, GatewayRefused)


def test_the_idempotent_setting_is_the_gateways(settings):
    assert HttpGateway({"URL": "http://x", "IDEMPOTENT": True}).idempotent is True
    assert HttpGateway({"URL": "http://x"}).idempotent is False
