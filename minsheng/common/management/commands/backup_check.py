"""The restore drill: `manage.py backup_check [--dump FILE] [--source-url URL]` proves that a backup restores.

1. the dump: the file given (`pg_dump -Fc`), or a fresh `pg_dump -Fc` of the source database;
2. restored with `pg_restore` into a NEW database on the same server (`<source>_restore_check_<time>`);
3. `migrate --check` against the restored database: its schema is the code's;
4. a sample of every encrypted column decrypted with the configured FIELD_ENCRYPTION_KEYS, and the blind
   indexes beside them recomputed with BLIND_INDEX_KEY: the keys kept apart from the dumps still open them;
5. the rows of every table counted, in the restored database and in the source.

It reports each step (in the active language) and exits non-zero on any problem. The restored database is
dropped at the end unless --keep. PostgreSQL only. A source that changes while the drill runs gives other
counts: run it against a quiet source (a replica, the night's window) or a dump just made of it."""

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import dj_database_url
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import load_backend
from django.utils.translation import gettext as _

from minsheng.common.crypto import EncryptedCharField, blind_index, decrypt

ALIAS = "restore_check"
SOURCE_ALIAS = "restore_check_source"


def _libpq(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection options of pg_dump/pg_restore for a Django database (the password through the environment)."""
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432)]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


class Command(BaseCommand):
    help = "Check that a backup restores: restore into a new database, migrate --check, decrypt, count rows."

    def add_arguments(self, parser):
        parser.add_argument("--dump", help="a pg_dump -Fc file (default: dump the source now)")
        parser.add_argument("--source-url", help="the database to compare with (default: the configured one)")
        parser.add_argument("--sample", type=int, default=20, help="values decrypted per encrypted column")
        parser.add_argument("--keep", action="store_true", help="keep the restored database")

    def handle(self, *args, dump, source_url, sample, keep, **options):
        self.problems: list[str] = []
        source = self._source(source_url)
        if source["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError(
                _(
                    "The restore check runs on PostgreSQL only (this database is %(engine)s): back up SQLite by copying its file."
                )
                % {"engine": source["ENGINE"].rsplit(".", 1)[-1]}
            )
        for tool in ("pg_dump", "pg_restore"):
            if not shutil.which(tool):
                raise CommandError(
                    _("%(tool)s is not installed (Debian: apt-get install postgresql-client).")
                    % {"tool": tool}
                )
        target = f"{source['NAME'][:30]}_restore_check_{dt.datetime.now():%Y%m%d%H%M%S}"
        with tempfile.TemporaryDirectory() as tmp:
            if not dump:
                dump = str(Path(tmp) / "source.dump")
                self._run(
                    ["pg_dump", "-Fc", "-f", dump, *self._libpq_db(source)], source, _("dump of the source")
                )
                self.say(_("Dumped %(db)s with pg_dump -Fc.") % {"db": source["NAME"]})
            elif not Path(dump).is_file():
                raise CommandError(_("The dump file %(file)s does not exist.") % {"file": dump})
            self._create(source, target)
            try:
                self._restore(source, target, dump)
                self._check_migrations()
                self._check_encrypted(sample)
                self._count_rows()
            finally:
                if keep:
                    _forget(ALIAS)
                    self.say(_("The restored database %(db)s is kept.") % {"db": target})
                else:
                    self._drop(source, target)
        if self.problems:
            raise CommandError(
                _("The restore check FAILED: %(n)d problem(s).") % {"n": len(self.problems)}
                + "\n"
                + "\n".join(f"- {p}" for p in self.problems)
            )
        self.say(self.style.SUCCESS(_("The restore check passed.")))

    # --- helpers -----------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.stdout.write(text)

    def problem(self, text: str) -> None:
        self.problems.append(text)
        self.stdout.write(self.style.ERROR(text))

    def _source(self, url: str | None) -> dict:
        if not url:
            return connections["default"].settings_dict
        return _register(SOURCE_ALIAS, {**connections["default"].settings_dict, **dj_database_url.parse(url)})

    def _libpq_db(self, settings_dict: dict) -> list[str]:
        return [*_libpq(settings_dict)[0], "-d", settings_dict["NAME"]]

    def _run(self, command: list[str], settings_dict: dict, what: str) -> None:
        done = subprocess.run(command, env=_libpq(settings_dict)[1], capture_output=True, text=True)
        if done.returncode != 0:
            raise CommandError(
                _("The %(what)s failed: %(error)s") % {"what": what, "error": done.stderr.strip()[-2000:]}
            )

    def _admin(self, source: dict, sql: str) -> None:
        import psycopg

        args, env = _libpq(source)
        with psycopg.connect(
            host=args[1],
            port=args[3],
            user=source.get("USER") or None,
            password=env.get("PGPASSWORD"),
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(sql)

    def _create(self, source: dict, target: str) -> None:
        self._admin(source, f'CREATE DATABASE "{target}"')
        _register(ALIAS, {**source, "NAME": target})

    def _drop(self, source: dict, target: str) -> None:
        _forget(ALIAS)
        _forget(SOURCE_ALIAS)
        self._admin(source, f'DROP DATABASE IF EXISTS "{target}"')

    def _restore(self, source: dict, target: str, dump: str) -> None:
        self._run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *self._libpq_db({**source, "NAME": target}),
                dump,
            ],
            source,
            _("restore"),
        )
        self.say(
            _("Restored %(file)s into the new database %(db)s.") % {"file": Path(dump).name, "db": target}
        )

    def _check_migrations(self) -> None:
        try:
            call_command("migrate", check=True, database=ALIAS, verbosity=0, interactive=False)
        except SystemExit:
            self.problem(
                _("Migrations: the restored database lacks migrations of this code (migrate --check).")
            )
        else:
            self.say(_("Migrations: every migration of this code is applied in the restored database."))

    def _check_encrypted(self, sample: int) -> None:
        """Decrypt up to `sample` values of each encrypted column; where a `<column>_index` blind index sits
        beside it, recompute it. Raw SQL: the values are decrypted here, one by one, so that each failure counts."""
        checked = failed = 0
        with connections[ALIAS].cursor() as cursor:
            for model in apps.get_models():
                fields = [f for f in model._meta.local_fields if isinstance(f, EncryptedCharField)]
                names = {f.name for f in model._meta.local_fields}
                for field in fields:
                    index = f"{field.name}_index" if f"{field.name}_index" in names else None
                    columns = f'"{field.column}"' + (
                        f', "{model._meta.get_field(index).column}"' if index else ""
                    )
                    cursor.execute(
                        f'SELECT {columns} FROM "{model._meta.db_table}" WHERE "{field.column}" <> \'\' '
                        f'ORDER BY "{model._meta.pk.column}" LIMIT %s',
                        [sample],
                    )
                    for row in cursor.fetchall():
                        checked += 1
                        try:
                            value = decrypt(row[0])
                        except ImproperlyConfigured:
                            failed += 1
                            continue
                        if index and row[1] and blind_index(value) != row[1]:
                            failed += 1
        if failed:
            self.problem(
                _(
                    "Encrypted fields: %(failed)d of %(checked)d sampled values could not be read with the "
                    "configured FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY."
                )
                % {"failed": failed, "checked": checked}
            )
        else:
            self.say(
                _("Encrypted fields: %(checked)d sampled values decrypted (and their blind indexes matched).")
                % {"checked": checked}
            )

    def _count_rows(self) -> None:
        source_alias = SOURCE_ALIAS if _registered(SOURCE_ALIAS) else "default"
        source_counts = _counts(source_alias)
        restored_counts = _counts(ALIAS)
        wrong = 0
        for table, count in sorted(source_counts.items()):
            restored = restored_counts.get(table)
            if restored is None:
                wrong += 1
                self.problem(_("Table %(table)s is missing from the restored database.") % {"table": table})
            elif restored != count:
                wrong += 1
                self.problem(
                    _("Table %(table)s: %(source)d rows in the source, %(restored)d restored.")
                    % {"table": table, "source": count, "restored": restored}
                )
        if not wrong:
            self.say(
                _("Rows: %(tables)d tables, %(rows)d rows, the same in the source and the restored database.")
                % {"tables": len(source_counts), "rows": sum(source_counts.values())}
            )


def _register(alias: str, settings_dict: dict) -> dict:
    """A connection of this command only, outside settings.DATABASES (the restored database is not one of the
    installation's databases; Django's test isolation lets such connections be)."""
    _forget(alias)
    connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        {**settings_dict, "TEST": {}}, alias
    )
    return connections[alias].settings_dict


def _registered(alias: str) -> bool:
    return hasattr(connections._connections, alias)


def _forget(alias: str) -> None:
    """Close and forget a connection of this command (a second run in the same process starts afresh)."""
    if _registered(alias):
        connections[alias].close()
        del connections[alias]


def _counts(alias: str) -> dict[str, int]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts
