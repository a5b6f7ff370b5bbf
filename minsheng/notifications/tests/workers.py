"""Real worker processes for the crash tests: `manage.py db_worker` and `manage.py scheduler --once` run with
crash_settings.py against the test database (PostgreSQL) or a copy of it in a file (SQLite, whose test
database lives in memory: copied out before, copied back after)."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


class Workers:
    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        self.steps = tmp_path / "steps.jsonl"
        self.sent = tmp_path / "sent.jsonl"
        self.file_db: Path | None = None
        self.procs: list[subprocess.Popen] = []
        if connection.vendor == "postgresql":
            s = connection.settings_dict
            auth = f"{s['USER']}:{s['PASSWORD']}" if s["PASSWORD"] else s["USER"]
            self.url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        elif connection.vendor == "sqlite":
            self.file_db = tmp_path / "crash.sqlite3"
            self.url = f"sqlite:///{self.file_db}"
        else:  # pragma: no cover
            pytest.skip(f"no crash test on {connection.vendor}")

    # --- the database ------------------------------------------------------------------------------------

    def __enter__(self):
        """Hand the committed test data to the processes."""
        if self.file_db is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.file_db)
            connection.connection.backup(target)
            target.close()
        return self

    def __exit__(self, *exc):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        if self.file_db is not None and exc[0] is None:
            source = sqlite3.connect(self.file_db)
            connection.close()
            connection.ensure_connection()
            source.backup(connection.connection)  # what the processes did, back in the test's database
            source.close()

    # --- processes ---------------------------------------------------------------------------------------

    def env(self, **extra) -> dict:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "minsheng.notifications.tests.crash_settings",
            "DATABASE_URL": self.url,
            "MINSHENG_TEST_STEP_FILE": str(self.steps),
            "MINSHENG_TEST_GATEWAY_FILE": str(self.sent),
            "MINSHENG_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **extra,
        }

    def manage(self, *args, **extra) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    def worker(self, *args, step_sleep: float = 0, **extra) -> subprocess.Popen:
        proc = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--no-reload",
                *args,
            ],
            cwd=ROOT,
            env=self.env(MINSHENG_TEST_STEP_SLEEP=str(step_sleep), **extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.procs.append(proc)
        return proc

    def scheduler(self) -> subprocess.Popen:
        """`manage.py scheduler --once` in the background (it starts while a worker starts)."""
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "scheduler", "--once"],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.procs.append(proc)
        return proc

    def query(self, sql: str) -> list[tuple]:
        """Read what the processes committed (the test's own connection cannot see the SQLite file)."""
        if self.file_db is not None:
            with sqlite3.connect(self.file_db, timeout=20) as db:
                return db.execute(sql).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def wait_idle(self, *procs: subprocess.Popen, timeout: float = 60) -> None:
        """Wait until the processes have ended and no task waits or runs, then stop the workers."""
        deadline = time.monotonic() + timeout
        table = "django_tasks_database_dbtaskresult"
        while time.monotonic() < deadline:
            if all(p.poll() is not None for p in procs if "scheduler" in p.args):
                busy = self.query(f"SELECT count(*) FROM {table} WHERE status IN ('READY', 'RUNNING')")[0][0]
                if not busy:
                    break
            time.sleep(0.1)
        else:
            pytest.fail(
                "the workers did not finish: " + repr(self.query(f"SELECT task_path, status FROM {table}"))
            )
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)  # a graceful stop between tasks
            proc.wait(10)

    def kill(self, proc: subprocess.Popen) -> None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def enqueue(self, task_path: str, **kwargs) -> str:
        """A task waiting in the database backend (the test process itself runs tasks immediately)."""
        import uuid

        from django_tasks_db.models import DBTaskResult, get_date_max

        row = DBTaskResult.objects.create(
            id=uuid.uuid4(),
            args_kwargs={"args": [], "kwargs": kwargs},
            task_path=task_path,
            backend_name="default",
            queue_name="default",
            run_after=get_date_max(),
        )
        return str(row.id)

    # --- what they did -----------------------------------------------------------------------------------

    def wait_for_sent(self, n: int, proc: subprocess.Popen, *, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines(self.sent)) < n:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the gateway got {len(self.lines(self.sent))} messages, not {n}")
            time.sleep(0.05)

    def lines(self, path: Path) -> list[dict]:
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def wait_for_steps(self, n: int, proc: subprocess.Popen, *, timeout: float = 60) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            steps = self.lines(self.steps)
            if len(steps) >= n:
                return steps
            if proc.poll() is not None:
                pytest.fail(f"the worker ended early:\n{proc.stdout.read()}")
            time.sleep(0.05)
        pytest.fail(f"the worker made {len(self.lines(self.steps))} steps in {timeout}s, not {n}")

    def finish(self, proc: subprocess.Popen, *, timeout: float = 25) -> str:
        out, _ = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, out
        return out
