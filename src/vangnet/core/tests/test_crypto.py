from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from vangnet.core import crypto


def test_encrypted_value_does_not_show_the_plain_text():
    token = crypto.encrypt("Juf Annemiek de Vries")
    assert "Annemiek" not in token
    assert crypto.decrypt(token) == "Juf Annemiek de Vries"


def test_empty_stays_empty():
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""


def test_old_key_still_decrypts_after_a_new_key_is_put_in_front(settings):
    old = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = crypto.encrypt("Basisschool De Regenboog")
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == "Basisschool De Regenboog"
    assert not crypto.is_encrypted_with_current_key(token)
    rotated = crypto.rotate(token)
    assert crypto.is_encrypted_with_current_key(rotated)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == "Basisschool De Regenboog"


def test_a_value_without_its_key_cannot_be_read(settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = crypto.encrypt("geheim")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(token)


def test_a_key_that_is_not_a_fernet_key_is_refused_loudly(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["te-kort"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")


def test_search_hash_is_keyed_and_stable(settings):
    first = crypto.search_hash("123456782")
    assert first == crypto.search_hash("123456782")
    assert "123456782" not in first
    settings.FIELD_HASH_KEY = "another-key"
    assert crypto.search_hash("123456782") != first
