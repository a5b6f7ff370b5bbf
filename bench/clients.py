"""Timing HTTP requests: against a real gunicorn server on 127.0.0.1 (default), or in process with Django's
test client (`--in-process`, no network, no server processes)."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sample:
    """The latencies of one endpoint, in milliseconds, and the status codes seen."""

    name: str
    url_pattern: str
    times_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    empty_results: int = 0
    results: list[int] = field(default_factory=list)

    def add(self, ms: float, status: int) -> None:
        self.times_ms.append(ms)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def found(self, count: int) -> None:
        """How many deputies the answer listed (rows on the page; the API's total count)."""
        self.results.append(count)
        if not count:
            self.empty_results += 1

    @property
    def ok(self) -> bool:
        return bool(self.times_ms) and set(self.statuses) == {200}

    def summary(self) -> dict:
        times = sorted(self.times_ms)
        return {
            "url": self.url_pattern,
            "requests": len(times),
            "p50_ms": round(percentile(times, 50), 2),
            "p95_ms": round(percentile(times, 95), 2),
            "mean_ms": round(statistics.fmean(times), 2) if times else None,
            "max_ms": round(times[-1], 2) if times else None,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "empty_results": self.empty_results,
            "mean_results": round(statistics.fmean(self.results), 1) if self.results else None,
        }


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(p / 100 * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class GunicornClient:
    """Starts `gunicorn minsheng.wsgi` with 2 sync workers on a free port of 127.0.0.1 and times requests
    from this process over real HTTP (a new connection per request: sync workers do not keep connections)."""

    mode = "gunicorn"

    def __init__(
        self,
        *,
        workers: int = 2,
        cookies: dict[str, str] | None = None,
        sessions: dict[str, dict[str, str]] | None = None,
    ):
        self.workers = workers
        self.port = free_port()
        self.cookies = cookies or {}
        # More signed-in people, by name: get(..., signed_in="<name>") sends that one's cookies.
        self.sessions = sessions or {}
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
        self.log = open(ROOT / "var" / "bench" / "gunicorn.log", "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "minsheng.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_up()

    @property
    def description(self) -> str:
        return (
            f"gunicorn {self.workers} sync workers on 127.0.0.1:{self.port}, HTTP/1.1 from the bench process"
        )

    def _wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}: see var/bench/gunicorn.log"
                )
            try:
                status, _body, _ms = self.get("/healthz/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz/ within a minute: see var/bench/gunicorn.log")

    def get(self, path: str, *, signed_in: bool | str = False) -> tuple[int, bytes, float]:
        headers = {"Host": "127.0.0.1"}
        cookies = self.sessions[signed_in] if isinstance(signed_in, str) else self.cookies
        if signed_in and cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        return response.status, body, (time.perf_counter() - start) * 1000

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class InProcessClient:
    """Django's test client in this process: the whole request/response cycle minus network and server."""

    mode = "in-process"
    description = "django.test.Client in the bench process (no network, no server)"

    def __init__(self, *, user=None, users: dict | None = None):
        from django.test import Client

        self.anonymous = Client()
        self.client = Client()
        if user is not None:
            self.client.force_login(user)
        # More signed-in people, by name: get(..., signed_in="<name>") uses that one's client.
        self.clients = {}
        for name, other in (users or {}).items():
            self.clients[name] = Client()
            self.clients[name].force_login(other)

    def get(self, path: str, *, signed_in: bool | str = False) -> tuple[int, bytes, float]:
        if isinstance(signed_in, str):
            client = self.clients[signed_in]
        else:
            client = self.client if signed_in else self.anonymous
        start = time.perf_counter()
        response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
        return response.status_code, body, (time.perf_counter() - start) * 1000

    def stop(self) -> None:
        pass
