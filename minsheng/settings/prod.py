"""Production: PostgreSQL via DATABASE_URL, secrets required from the environment, HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    BLIND_INDEX_KEY,
    CACHES,
    DATABASES,
    FIELD_ENCRYPTION_KEYS,
    MEDIA_ROOT,
    MINSHENG,
    SECRET_KEY,
    STATIC_ROOT,
    STATICFILES_DIRS,
    check_media_root,
    env_bool,
)
from .secrets import check_blind_index_key, check_field_encryption_keys, check_secret_key

# Set, and usable: without valid keys the personal data can be neither written nor read (README: Keys).
check_secret_key(SECRET_KEY)
check_field_encryption_keys(FIELD_ENCRYPTION_KEYS)
check_blind_index_key(BLIND_INDEX_KEY)
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL: set DATABASE_URL=postgres://...")
if "replica" in DATABASES and DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("The read replica is PostgreSQL's: set DATABASE_REPLICA_URL=postgres://...")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Uploads are sent by nginx (X-Accel-Redirect to its internal /protected/ location: README, "Uploads");
# MINSHENG_SENDFILE=django makes Django stream them itself (no nginx in front).
_sendfile = os.environ.get("MINSHENG_SENDFILE", "nginx")
if _sendfile not in ("nginx", "django"):
    raise ImproperlyConfigured('MINSHENG_SENDFILE must be "nginx" or "django"')
MINSHENG["SENDFILE"] = "" if _sendfile == "django" else "nginx"
check_media_root(MEDIA_ROOT, [STATIC_ROOT, *STATICFILES_DIRS])

# Issue 13. Persistent database connections, checked before reuse (psycopg_pool is not installed: Django's
# "pool" option would need it, and a sync worker holds one connection at a time anyway).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Sessions read from the shared cache (written through to the database), so a signed-in request costs no
# session query. Only with Redis: a per-process memory cache would keep a signed-out session alive elsewhere.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
