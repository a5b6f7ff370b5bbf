"""A streaming read replica of this machine's PostgreSQL cluster, as a second Debian cluster (issue 13, part 5).

    python scripts/pg_replica.py start     # idempotent: a replica already streaming is left as it is
    python scripts/pg_replica.py status    # exit 0 when it streams, 3 when not
    python scripts/pg_replica.py stop
    python scripts/pg_replica.py drop      # stop it and remove the cluster (pg_dropcluster)

The primary is the cluster listening on 127.0.0.1:$PG_PRIMARY_PORT (5432; Debian's 15/main here), the replica the
cluster $PG_REPLICA_CLUSTER ("replica") of the same version on 127.0.0.1:$PG_REPLICA_PORT (5433). Nothing is
downloaded: pg_createcluster makes the cluster's configuration once, pg_basebackup -R fills its data directory
from the primary (standby.signal and primary_conninfo written by -R), pg_ctlcluster starts it.

The primary is not restarted: wal_level=replica and max_wal_senders=10 are PostgreSQL 15's defaults, and the one
thing it may lack, a pg_hba line letting 127.0.0.1 connect for replication (trust, like the line for every
database), is appended to its pg_hba.conf and read with pg_reload_conf(). If the primary has wal_level=minimal or
max_wal_senders=0 the script stops and says so: those take a restart, which it leaves to a person.

No replication slot: a slot left behind by a replica nobody runs any more would keep every WAL segment on the
primary and fill its disk. Without one, a replica that was stopped while the primary wrote on may find the WAL it
needs gone; `start` then builds it again from a fresh base backup (a few seconds at test scale).

Tests and the benchmark use `replica_running()`, which starts the replica under a file lock (two pytest-xdist
workers never build it at once), and stops it again when the last user leaves if it was that context that started
it (a replica someone started by hand stays up).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
PRIMARY_PORT = int(os.environ.get("PG_PRIMARY_PORT", "5432"))
REPLICA_PORT = int(os.environ.get("PG_REPLICA_PORT", "5433"))
REPLICA_CLUSTER = os.environ.get("PG_REPLICA_CLUSTER", "replica")
USER = "postgres"
HBA_LINE = f"host replication all {HOST}/32 trust  # minsheng: scripts/pg_replica.py"
LOCK_DIR = Path(tempfile.gettempdir())
# Settings a hot standby must have at least as high as its primary (PostgreSQL refuses to start otherwise).
AT_LEAST_THE_PRIMARYS = [
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
]


class ReplicaError(RuntimeError):
    pass


@dataclass
class Cluster:
    version: int
    name: str
    port: int
    pgdata: Path
    configdir: Path
    running: bool


def _run(args: list[str], *, as_postgres: bool = False, check: bool = True) -> subprocess.CompletedProcess:
    if as_postgres and os.geteuid() == 0:
        args = ["runuser", "-u", USER, "--", *args]
    done = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        raise ReplicaError(
            f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip() or done.stdout}"
        )
    return done


def _psql(port: int, sql: str, *, database: str = "postgres", check: bool = True) -> str:
    done = _run(
        ["psql", "-X", "-w", "-At", "-h", HOST, "-p", str(port), "-U", USER, "-d", database, "-c", sql],
        check=check,
    )
    return done.stdout.strip() if done.returncode == 0 else ""


def clusters() -> list[Cluster]:
    found = json.loads(_run(["pg_lsclusters", "--json"]).stdout or "[]")
    return [
        Cluster(
            version=int(c["version"]),
            name=c["cluster"],
            port=int(c["port"]),
            pgdata=Path(c["pgdata"]),
            configdir=Path(c["configdir"]),
            running=bool(c["running"]),
        )
        for c in found
    ]


def primary() -> Cluster:
    for cluster in clusters():
        if cluster.port == PRIMARY_PORT and cluster.name != REPLICA_CLUSTER:
            return cluster
    raise ReplicaError(f"no PostgreSQL cluster on port {PRIMARY_PORT} (pg_lsclusters)")


def replica() -> Cluster | None:
    version = primary().version
    for cluster in clusters():
        if cluster.version == version and cluster.name == REPLICA_CLUSTER:
            return cluster
    return None


def primary_lsn() -> str:
    return _psql(PRIMARY_PORT, "SELECT pg_current_wal_lsn()")


def replay_lsn() -> str:
    return _psql(REPLICA_PORT, "SELECT pg_last_wal_replay_lsn()", check=False)


def streaming() -> bool:
    """The replica answers, is in recovery, and its WAL receiver streams from the primary."""
    answer = _psql(
        REPLICA_PORT,
        "SELECT pg_is_in_recovery(), (SELECT status FROM pg_stat_wal_receiver)",
        check=False,
    )
    return answer == "t|streaming"


def wait_for_replay(lsn: str | None = None, *, timeout: float = 60.0) -> None:
    """Wait until the replica has replayed the primary's WAL up to `lsn` (by default: what is written now).

    A real wait for another process, in real time: tests freeze the clock of the code under test, not this."""
    target = lsn or primary_lsn()
    deadline = time.monotonic() + timeout
    while True:
        caught_up = _psql(REPLICA_PORT, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", check=False)
        if caught_up == "t":
            return
        if time.monotonic() > deadline:
            raise ReplicaError(f"the replica has not replayed {target} within {timeout} s ({replay_lsn()})")
        time.sleep(0.02)


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def check_primary() -> None:
    """What the primary needs to send WAL: settings that take a restart are checked, the pg_hba line added."""
    settings = dict(
        line.split("|", 1)
        for line in _psql(
            PRIMARY_PORT,
            "SELECT name, setting FROM pg_settings WHERE name IN ('wal_level', 'max_wal_senders', 'hba_file')",
        ).splitlines()
    )
    if settings["wal_level"] not in ("replica", "logical") or int(settings["max_wal_senders"]) < 1:
        raise ReplicaError(
            f"the primary has wal_level={settings['wal_level']} and max_wal_senders={settings['max_wal_senders']}: "
            "set wal_level=replica and max_wal_senders=10 (PostgreSQL's defaults) and restart it; "
            "this script does not restart a primary"
        )
    allowed = _psql(
        PRIMARY_PORT,
        "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NULL AND type = 'host' "
        "AND 'replication' = ANY(database) AND auth_method = 'trust' "
        f"AND ('all' = ANY(user_name) OR '{USER}' = ANY(user_name)) AND address = '{HOST}'",
    )
    if allowed == "0":
        hba = Path(settings["hba_file"])
        with hba.open("a") as f:
            f.write(f"\n{HBA_LINE}\n")
        _psql(PRIMARY_PORT, "SELECT pg_reload_conf()")


def _write_replica_conf(cluster: Cluster) -> None:
    rows = _psql(
        PRIMARY_PORT,
        "SELECT name, setting FROM pg_settings WHERE name IN ({})".format(
            ", ".join(f"'{name}'" for name in AT_LEAST_THE_PRIMARYS)
        ),
    ).splitlines()
    lines = [
        "# Written by minsheng's scripts/pg_replica.py: a hot standby of the cluster on port "
        f"{PRIMARY_PORT}.",
        f"listen_addresses = '{HOST}'",
        f"port = {REPLICA_PORT}",
        "hot_standby = on",
        # A disposable copy (built again after a crash, see `start`): no fsync, so that starting it does not
        # first sync its whole data directory. A replica in production keeps fsync on.
        "fsync = off",
        # Long reads (exports, statistics) are not cancelled by the primary's vacuum.
        "hot_standby_feedback = on",
        *(f"{name} = {value}" for name, value in (row.split("|", 1) for row in rows)),
    ]
    conf = cluster.configdir / "conf.d" / "90-minsheng-replica.conf"
    conf.parent.mkdir(exist_ok=True)
    conf.write_text("\n".join(lines) + "\n")
    # Whoever may connect to the primary may connect to its replica, alike (trust on 127.0.0.1 here).
    hba = cluster.configdir / "pg_hba.conf"
    hba.write_text(Path(_psql(PRIMARY_PORT, "SHOW hba_file")).read_text())
    for path in (conf, hba):
        os.chmod(path, 0o644)
        with contextlib.suppress(PermissionError):
            shutil.chown(path, USER, USER)


def _create_cluster(version: int) -> Cluster:
    _run(
        [
            "pg_createcluster",
            str(version),
            REPLICA_CLUSTER,
            "--port",
            str(REPLICA_PORT),
            "--start-conf",
            "manual",  # not started at boot: a stale replica is built again by `start`, not found running
            "--",
            "--no-sync",  # initdb's files are replaced by the base backup at once
        ]
    )
    cluster = replica()
    assert cluster is not None
    return cluster


# How long pg_ctl waits for the replica to accept connections (its default, 60 s, is too short on a loaded CI
# machine: the replica had reached its consistent state and was streaming when pg_ctl gave up).
START_SECONDS = 300


def _pg_ctl(cluster: Cluster, action: str, *extra: str, check: bool = True) -> None:
    wait = ["--", "-t", str(START_SECONDS)] if action == "start" else []
    _run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            str(cluster.version),
            cluster.name,
            action,
            *extra,
            *wait,
        ],
        check=check,
    )


def _rebuild(cluster: Cluster) -> None:
    """A fresh base backup of the primary in the replica's data directory (written as the postgres user)."""
    _pg_ctl(cluster, "stop", "-m", "immediate", check=False)
    # Emptied, not removed: its parent may belong to root, the directory itself to postgres.
    cluster.pgdata.mkdir(mode=0o700, exist_ok=True)
    with contextlib.suppress(PermissionError):
        shutil.chown(cluster.pgdata, USER, USER)
    for child in cluster.pgdata.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    _run(
        [
            "pg_basebackup",
            "-h",
            HOST,
            "-p",
            str(PRIMARY_PORT),
            "-U",
            USER,
            "-D",
            str(cluster.pgdata),
            "-R",  # standby.signal + primary_conninfo: it starts as a streaming standby
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",  # a disposable copy: after a crash it is built again, never trusted
        ],
        as_postgres=True,
    )
    _pg_ctl(cluster, "start")


def start(*, timeout: float = 120.0) -> bool:
    """The replica streams when this returns (True when this call started it, False when it already ran)."""
    if streaming():
        return False
    check_primary()
    version = primary().version
    cluster = replica() or _create_cluster(version)
    _write_replica_conf(cluster)
    if cluster.running:
        _pg_ctl(cluster, "stop", "-m", "fast", check=False)
    if (cluster.pgdata / "standby.signal").exists():
        # A replica stopped earlier: it catches up if the primary still has its WAL.
        _pg_ctl(cluster, "start", check=False)
        if _wait(streaming, 5.0):
            wait_for_replay(timeout=timeout)
            return True
    _rebuild(cluster)
    if not _wait(streaming, timeout):
        raise ReplicaError(f"the replica on port {REPLICA_PORT} does not stream (see {cluster.name}'s log)")
    wait_for_replay(timeout=timeout)
    return True


def stop() -> None:
    cluster = replica()
    if cluster is not None and cluster.running:
        _pg_ctl(cluster, "stop", "-m", "fast")


def drop() -> None:
    cluster = replica()
    if cluster is not None:
        _run(["pg_dropcluster", "--stop", str(cluster.version), cluster.name])


def status() -> str:
    cluster = replica()
    if cluster is None:
        return f"no replica cluster {REPLICA_CLUSTER!r}"
    if not cluster.running:
        return f"{cluster.version}/{cluster.name} on port {cluster.port}: stopped"
    state = "streaming" if streaming() else "running, NOT streaming"
    return (
        f"{cluster.version}/{cluster.name} on port {cluster.port}: {state}; "
        f"primary at {primary_lsn()}, replayed {replay_lsn()}"
    )


def replica_url(database: str) -> str:
    return f"postgres://{USER}@{HOST}:{REPLICA_PORT}/{database}"


@contextlib.contextmanager
def _lock(name: str, mode: int):
    path = LOCK_DIR / f"minsheng-pg-replica-{REPLICA_PORT}.{name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, mode)
        yield fd
    finally:
        os.close(fd)


@contextlib.contextmanager
def replica_running() -> Iterator[None]:
    """The replica streams inside; the last user out stops it if one of these contexts started it.

    Each user holds a shared lock for as long as it uses the replica; starting and stopping happen under an
    exclusive one, so two pytest-xdist workers never build it at once nor stop it under each other."""
    marker = LOCK_DIR / f"minsheng-pg-replica-{REPLICA_PORT}.started"
    with _lock("users", fcntl.LOCK_SH) as users:
        with _lock("start", fcntl.LOCK_EX):
            if start():
                marker.touch()
        try:
            yield
        finally:
            try:
                fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pass  # someone else still uses it
            else:
                with _lock("start", fcntl.LOCK_EX):
                    if marker.exists():
                        stop()
                        marker.unlink()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    try:
        if command == "start":
            with _lock("start", fcntl.LOCK_EX):
                start()
        elif command == "stop":
            with _lock("start", fcntl.LOCK_EX):
                stop()
        elif command == "drop":
            with _lock("start", fcntl.LOCK_EX):
                drop()
        elif command == "status":
            print(status())
            return 0 if streaming() else 3
        else:
            print(__doc__)
            return 2
    except ReplicaError as error:
        print(f"pg_replica: {error}", file=sys.stderr)
        return 1
    print(status())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
