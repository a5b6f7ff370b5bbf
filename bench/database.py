"""The benchmark's database: only one whose name says it is a bench database, dropped and created afresh."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SQLITE = Path(__file__).resolve().parent.parent / "var" / "bench" / "minsheng_bench.sqlite3"


def default_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE}"


def database_name(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return Path(parts.path).name if parts.path not in ("", "/") else ""
    return parts.path.lstrip("/")


def is_bench_url(url: str) -> bool:
    """True when the URL names a database meant for benchmarks: its name contains 'bench'."""
    if not url:
        return False
    scheme = urlsplit(url).scheme
    if not (scheme.startswith("sqlite") or scheme.startswith("postgres")):
        return False
    return "bench" in database_name(url).lower()


def refuse_unless_bench(url: str) -> None:
    if not is_bench_url(url):
        raise SystemExit(
            f"Refusing to use {redact(url)}: the benchmark drops its database, so the database name must "
            "contain 'bench' (e.g. postgres://postgres@127.0.0.1:5432/minsheng_bench)."
        )


def recreate(url: str) -> None:
    """Drop the bench database and create it empty. Refuses any database that is not a bench one."""
    refuse_unless_bench(url)
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = database_name(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def resolve() -> str:
    """DATABASE_URL, or the default SQLite bench file; exported so the server process uses the same."""
    url = os.environ.get("DATABASE_URL") or default_url()
    os.environ["DATABASE_URL"] = url
    return url
