"""Personal data encrypted at rest, with rotatable keys, and keyed hashes to find it again.

`EncryptedTextField` stores a Fernet token (AES-128-CBC + HMAC-SHA256, from `cryptography`)
instead of the text: a database dump or backup without FIELD_ENCRYPTION_KEYS shows nothing
readable. Keys are a MultiFernet: the first encrypts, all decrypt (ADR 0011). Encrypted
columns cannot be searched; `search_hash` gives the keyed hash (HMAC-SHA256 with
FIELD_HASH_KEY) of a normalised value to store next to it — the citizen service number, a
name with a date of birth — so equal values can be found without storing them readable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


def _development_key() -> bytes:
    digest = hashlib.sha256(("vangnet.field-encryption:" + settings.SECRET_KEY).encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key "
            "(make one with `manage.py generate_field_key`)."
        ) from error


def fernet() -> MultiFernet:
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS) or (_development_key().decode(),)
    return _fernet(keys)


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with FIELD_ENCRYPTION_KEYS: a key is missing."
        ) from error


def rotate(stored: str) -> str:
    """The same value encrypted with the newest key."""
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


def normalise(value: str) -> str:
    """Case, accents, spaces and punctuation do not make two values different."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def search_hash(kind: str, value: str) -> str:
    """Keyed hash of a normalised value; empty for an empty value (nothing to find)."""
    normal = normalise(value)
    if not normal:
        return ""
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{normal}".encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # stubs want generics
    """Text the application reads as plain text and the database holds only encrypted."""

    description = "Text, encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value  # type: ignore[no-any-return]  # None or "" pass through
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
