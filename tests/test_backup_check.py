"""The restore drill (`manage.py backup_check`) at tiny scale: on PostgreSQL it dumps the test database with
pg_dump -Fc, restores it into a new database, and checks migrations, encrypted fields and row counts; CI runs
it with the PostgreSQL tests."""

import os
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import translation

from minsheng.common import crypto

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drill needs PostgreSQL")


def drill(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("backup_check", *args, stdout=out)
    return out.getvalue()


def _databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def people(transactional_db, city_staff, town_deputy):
    """Committed personal data: a user's mobile and a deputy's ID number and mobile, encrypted."""
    return city_staff, town_deputy


@pytest.mark.postgres
@on_postgres
def test_a_fresh_dump_restores_with_its_migrations_its_personal_data_and_every_row(people, settings):
    before = _databases()
    report = drill("--sample", "5")
    assert "Dumped" in report and "Restored" in report
    assert "every migration of this code is applied" in report
    assert "sampled values decrypted" in report and " 0 sampled" not in report
    assert "the same in the source and the restored database" in report
    assert "The restore check passed." in report
    assert _databases() == before  # the restored database is dropped


@pytest.mark.postgres
@on_postgres
def test_a_dump_behind_its_source_and_keys_that_do_not_open_it_fail_the_drill(people, tmp_path, settings):
    from minsheng.notifications.models import Notification

    s = connection.settings_dict
    dump = tmp_path / "night.dump"
    subprocess.run(
        [
            "pg_dump",
            "-Fc",
            "-f",
            str(dump),
            "-h",
            s["HOST"] or "127.0.0.1",
            "-p",
            str(s["PORT"] or 5432),
            "-U",
            s["USER"],
            "-d",
            s["NAME"],
        ],
        check=True,
        env={**os.environ, "PGPASSWORD": s["PASSWORD"] or ""},
    )
    Notification.objects.create(user=people[0], text="dump 之后写入")  # the source moved on
    settings.FIELD_ENCRYPTION_KEYS = [crypto.Fernet.generate_key().decode()]  # not the key of the data
    crypto._fernet.cache_clear()
    try:
        with pytest.raises(CommandError, match="FAILED: 2 problem") as failed:
            drill("--dump", str(dump))
    finally:
        crypto._fernet.cache_clear()
    assert "notifications_notification: 1 rows in the source, 0 restored" in str(failed.value)
    assert "could not be read with the configured FIELD_ENCRYPTION_KEYS" in str(failed.value)
    assert not hasattr(connections._connections, "restore_check")  # the restored database is dropped


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the message of SQLite")
def test_on_sqlite_the_drill_says_it_needs_postgresql(db):
    with pytest.raises(CommandError, match="PostgreSQL only"):
        drill()
