"""The format of the codes a chat visitor is given: continuity codes (back to the same dossier
and employee) and join codes (into a warm handover).

Here, below chat, because the dossier search (contacts.selectors) recognises a continuity
code too; chat.continuity issues, redeems and rate-limits them. Only a code's digest is
stored.
"""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: easy to read aloud
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
CONTINUITY_LENGTH = 12  # 60 bits: 4-4-4
JOIN_LENGTH = 8  # 40 bits, valid for half an hour


def generate(length: int) -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + 4] for i in range(0, length, 4))


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper().translate(_LOOKALIKES) if ch in ALPHABET)


def digest(code: str) -> str:
    return salted_hmac("vangnet.chat.code", normalise(code), algorithm="sha256").hexdigest()


def looks_like_code(text: str) -> bool:
    return len(normalise(text)) in (CONTINUITY_LENGTH, JOIN_LENGTH)
