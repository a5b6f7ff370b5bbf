"""Settings of the benchmark's own server and process: production-like (DEBUG off, Argon2, persistent
connections on PostgreSQL), with bench-only keys, on a database whose name says it is a bench database."""

import os

from django.core.exceptions import ImproperlyConfigured

from minsheng.settings.base import *  # noqa: F403
from minsheng.settings.base import DATABASES, VAR_DIR

from .database import is_bench_url

if not is_bench_url(os.environ.get("DATABASE_URL", "")):
    raise ImproperlyConfigured("bench.settings runs only on a bench database (its name must contain 'bench')")

DEBUG = False
SECRET_KEY = "bench-only-secret-key-never-used-elsewhere"
FIELD_ENCRYPTION_KEYS = ["bWluc2hlbmctYmVuY2gtb25seS1rZXktMzJieXRlcyE="]
BLIND_INDEX_KEY = "bench-only-blind-index-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# The benchmark runs import_execute itself, synchronously, to time it.
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "bench" / "media")},
    },
    # No collectstatic before a run: pages name static files without the manifest's hashes.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = VAR_DIR / "bench" / "static"  # exists (the run makes it) and stays empty: whitenoise is quiet
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
assert DATABASES["default"]["NAME"]
