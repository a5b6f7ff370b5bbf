"""Tests: fast hashing, tasks run immediately, keys fixed. DATABASE_URL selects SQLite or PostgreSQL."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key"
FIELD_ENCRYPTION_KEYS = ["dGVzdC1wZXJzb25hbC1kYXRhLWtleS0zMi1ieXRlcyE="]
BLIND_INDEX_KEY = "test-blind-index-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve static files from the apps' folders: tests don't run collectstatic
check_media_root(MEDIA_ROOT, [STATIC_ROOT, *STATICFILES_DIRS])  # noqa: F405 - uploads are never served as they are
