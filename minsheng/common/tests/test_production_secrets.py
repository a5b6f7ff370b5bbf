"""Production refuses keys that are set but useless: FIELD_ENCRYPTION_KEYS that are not Fernet keys, a short
BLIND_INDEX_KEY (minsheng/settings/secrets.py, called by prod.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from minsheng.settings.secrets import check_blind_index_key, check_field_encryption_keys

GOOD = Fernet.generate_key().decode()
ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("keys", [["x"], [GOOD, "x"], ["A" * 43], [GOOD[:-2]], []])
def test_field_encryption_keys_that_are_not_fernet_keys_are_refused(keys):
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        check_field_encryption_keys(keys)


def test_valid_fernet_keys_are_accepted_old_ones_after_the_new():
    check_field_encryption_keys([GOOD, Fernet.generate_key().decode()])


def test_a_short_blind_index_key_is_refused_and_a_long_one_accepted():
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        check_blind_index_key("x" * 31)
    check_blind_index_key("k" * 32)


def _import_prod(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}}
    base.update(
        DATABASE_URL="postgres://u@127.0.0.1:5432/never_opened", SECRET_KEY="s" * 50, BLIND_INDEX_KEY="b" * 40
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import minsheng.settings.prod"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
    )


def test_the_production_settings_refuse_the_key_x_with_a_clear_message():
    refused = _import_prod(FIELD_ENCRYPTION_KEYS="x")
    assert refused.returncode != 0
    assert "ImproperlyConfigured: FIELD_ENCRYPTION_KEYS: key 1 of 1 is not a Fernet key" in refused.stderr
    short = _import_prod(FIELD_ENCRYPTION_KEYS=GOOD, BLIND_INDEX_KEY="short")
    assert short.returncode != 0 and "BLIND_INDEX_KEY must be at least 32 characters" in short.stderr
    assert _import_prod(FIELD_ENCRYPTION_KEYS=GOOD).returncode == 0


def _prod_setting(expression: str, **env) -> str:
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DB_CONN_MAX_AGE"}}
    base.update(
        DATABASE_URL="postgres://u@127.0.0.1:5432/never_opened",
        SECRET_KEY="s" * 50,
        BLIND_INDEX_KEY="b" * 40,
        FIELD_ENCRYPTION_KEYS=GOOD,
    )
    base.update(env)
    done = subprocess.run(
        [sys.executable, "-c", f"import minsheng.settings.prod as s; print({expression})"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_production_keeps_sessions_in_redis_and_database_connections_open():
    """Issue 13: cached sessions only with a shared cache; persistent, health-checked connections."""
    assert _prod_setting("s.SESSION_ENGINE", REDIS_URL="redis://127.0.0.1:6379/5").endswith(".cached_db")
    assert _prod_setting("getattr(s, 'SESSION_ENGINE', 'django.contrib.sessions.backends.db')") == (
        "django.contrib.sessions.backends.db"
    )
    assert _prod_setting(
        "(s.DATABASES['default']['CONN_MAX_AGE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    ) == ("(600, True)")
