"""Checks of the secrets production starts with (prod.py): a key that is set but useless is refused at
start-up, not found out when the first ID number is written or read."""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BLIND_INDEX_KEY_MIN_LENGTH = 32
GENERATE_FERNET = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
GENERATE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def check_field_encryption_keys(keys: list[str]) -> None:
    """Each key must be a Fernet key: 32 bytes in URL-safe base64 (44 characters)."""
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in the environment")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {position} of {len(keys)} is not a Fernet key (32 bytes in URL-safe "
                f"base64, 44 characters). Generate one with: {GENERATE_FERNET}"
            ) from exc


def check_blind_index_key(key: str) -> None:
    if len(key) < BLIND_INDEX_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"BLIND_INDEX_KEY must be at least {BLIND_INDEX_KEY_MIN_LENGTH} characters of random text "
            f"(it has {len(key)}). Generate one with: {GENERATE_SECRET}"
        )


def check_secret_key(key: str) -> None:
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment")
