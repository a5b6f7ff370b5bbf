"""Development and demo: embedded SQLite, DEBUG on, fixed dev-only keys."""

from .base import *  # noqa: F403
from .base import SECRET_KEY as _SECRET_KEY
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = _SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
FIELD_ENCRYPTION_KEYS = FIELD_ENCRYPTION_KEYS or ["cGVyc29uYWwtZGF0YS1kZXYta2V5LTMyLWJ5dGVzISE="]  # noqa: F405
BLIND_INDEX_KEY = BLIND_INDEX_KEY or "dev-only-blind-index-key"  # noqa: F405

VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded SQLite database and uploads live here
check_media_root(MEDIA_ROOT, [STATIC_ROOT, *STATICFILES_DIRS])  # noqa: F405 - uploads are never served as they are
