"""Field encryption at rest with rotatable keys, and a keyed hash to search what is encrypted.

DESIGN.md: the reporter's identity and citizen service numbers are encrypted at rest with
rotatable keys and searchable through a keyed hash. `EncryptedTextField` encrypts on the way
into the database and decrypts on the way out (ADR 0011), so a dump of the database without
`FIELD_ENCRYPTION_KEYS` shows only Fernet tokens. The keys are a list: the first encrypts,
all decrypt (cryptography's MultiFernet); `rotate_field_keys` re-encrypts with the first.

Encrypted values cannot be filtered on (each encryption differs); search goes through
`search_hash`, an HMAC-SHA256 under `FIELD_HASH_KEY`, stored beside the encrypted value.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "fernet:"  # noqa: S105  (a marker, not a secret)


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds no key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "Every key in FIELD_ENCRYPTION_KEYS must be a Fernet key (32 url-safe base64 bytes; "
            "make one with `manage.py generate_field_key`)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    """A token for `value`; the empty string stays empty (nothing to hide, nothing to store)."""
    if value == "":
        return ""
    return TOKEN_PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if token == "":
        return ""
    if not token.startswith(TOKEN_PREFIX):
        raise ValueError("Not an encrypted value.")
    try:
        return fernet().decrypt(token[len(TOKEN_PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with any key in FIELD_ENCRYPTION_KEYS: "
            "a key that is still in use was removed."
        ) from exc


def rotate(token: str) -> str:
    """The same value, encrypted with the first (newest) key."""
    if token == "":
        return ""
    return TOKEN_PREFIX + fernet().rotate(token[len(TOKEN_PREFIX) :].encode()).decode()


def is_encrypted_with_current_key(token: str) -> bool:
    if token == "":
        return True
    first = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode())
    try:
        first.decrypt(token[len(TOKEN_PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


def search_hash(value: str) -> str:
    """Keyed hash for lookups of an encrypted value; empty for an empty value."""
    if value == "":
        return ""
    key = str(settings.FIELD_HASH_KEY).encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted. Python code sees plain text; the database a token.

    Only exact emptiness can be queried (`field=""`); anything else needs a search hash.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return value
        return encrypt(str(value))
