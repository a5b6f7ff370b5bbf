"""SMS gateways and a job-step hook for the tests (never for an installation)."""

import json
import os
import time

from minsheng.notifications.sms import GatewayRefused


class RecordingGateway:
    """Keeps what it sent in a class list; `fail_next` makes the next calls raise (a carrier down)."""

    idempotent = False
    sent: list[dict] = []
    fail_next: list[Exception] = []

    def send(self, *, mobile: str, text: str, reference: str) -> str:
        if self.fail_next:
            raise self.fail_next.pop(0)
        self.sent.append({"mobile": mobile, "text": text, "reference": reference})
        return f"msg-{len(self.sent)}"


class IdempotentRecordingGateway(RecordingGateway):
    idempotent = True


class FileGateway:
    """For worker processes: appends one JSON line per message to $MINSHENG_TEST_GATEWAY_FILE, then sleeps
    $MINSHENG_TEST_GATEWAY_SLEEP seconds (the carrier took it; its answer is slow)."""

    idempotent = False

    def send(self, *, mobile: str, text: str, reference: str) -> str:
        if mobile == "refused":
            raise GatewayRefused("no such number")
        with open(os.environ["MINSHENG_TEST_GATEWAY_FILE"], "a", encoding="utf-8") as fh:
            fh.write(
                json.dumps({"mobile": mobile, "text": text, "reference": reference, "pid": os.getpid()})
                + "\n"
            )
        time.sleep(float(os.environ.get("MINSHENG_TEST_GATEWAY_SLEEP", "0")))
        return f"file-{reference}"


def slow_step(name: str, **info) -> None:
    """The JOB_STEP_HOOK of the crash tests: say how far the job got (one line per step, written before the
    sleep), then sleep $MINSHENG_TEST_STEP_SLEEP seconds so that the test can kill the worker meanwhile."""
    with open(os.environ["MINSHENG_TEST_STEP_FILE"], "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"step": name, "pid": os.getpid(), **info}) + "\n")
    time.sleep(float(os.environ.get("MINSHENG_TEST_STEP_SLEEP", "0")))
