"""Personal data at rest: Fernet-encrypted fields and an HMAC blind index for exact lookups.

`EncryptedCharField` stores ciphertext; to find a row by a value, store `blind_index(value)` in an indexed
column next to it and filter on that. Keys come from settings (FIELD_ENCRYPTION_KEYS: the first encrypts,
all decrypt, so keys can be rotated; BLIND_INDEX_KEY).
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: personal data cannot be stored")
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must fail loudly, never show ciphertext as data
        raise ImproperlyConfigured("Personal data cannot be decrypted with FIELD_ENCRYPTION_KEYS") from exc


def ciphertext_length(plaintext_length: int) -> int:
    """The longest token `encrypt` makes of a text of so many characters (UTF-8: at most 4 bytes each; Fernet:
    version, time stamp, IV, the padded blocks and the HMAC, in padded base64): the database checks this, since
    it cannot see the plaintext."""
    padded = 16 * (4 * plaintext_length // 16 + 1)
    return 4 * -(-(1 + 8 + 16 + padded + 32) // 3)


def blind_index(value: str) -> str:
    """A keyed hash of a normalised value: equal values give equal indexes, the value cannot be recovered."""
    key = settings.BLIND_INDEX_KEY.encode()
    if not key:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is empty")
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """A text field encrypted at rest. It cannot be filtered: pair it with a blind index column."""

    description = "Encrypted text"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise TypeError(f"{self.name} is encrypted and cannot be filtered with {lookup_name!r}")
        return super().get_lookup(lookup_name)
