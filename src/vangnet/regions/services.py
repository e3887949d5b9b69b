"""Keeping the social map: create, update, (de)activate an entry (the region data itself is
loaded by data_import.py).

The social map holds no personal data: a change is recorded on the entry itself
(updated_by, updated_at), not in the access log. A refusal is an AccessDenied, which the
403 handler records in the access log like every refusal.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, require

from .models import Region, SocialMapEntry

# What a caller may set through **fields; the region is its own argument on creation.
SOCIAL_MAP_FIELDS = frozenset({"name", "url", "description", "kind", "municipality"})


def _social_map_fields(fields: dict[str, Any], *, allowed: frozenset[str]) -> dict[str, Any]:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Not a field of a social-map entry: {', '.join(sorted(unknown))}")
    return {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }


@transaction.atomic
def create_social_map_entry(*, by: User, region: Region | None, **fields: Any) -> SocialMapEntry:
    """Put a new entry on the social map of `region`; None makes it national (every region).

    `fields`: name, url, description, kind, municipality.
    """
    entry = SocialMapEntry(
        region=region,
        updated_by=by,
        **_social_map_fields(fields, allowed=SOCIAL_MAP_FIELDS),
    )
    require(by, Action.MANAGE_SOCIAL_MAP, entry)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def update_social_map_entry(*, entry: SocialMapEntry, by: User, **fields: Any) -> SocialMapEntry:
    """Change an entry. Moving it to another region (`region=...`) needs the right to keep
    the social map both where it is and where it goes."""
    locked = SocialMapEntry.objects.select_for_update().get(pk=entry.pk)
    require(by, Action.MANAGE_SOCIAL_MAP, locked)
    for name, value in _social_map_fields(fields, allowed=SOCIAL_MAP_FIELDS | {"region"}).items():
        setattr(locked, name, value)
    require(by, Action.MANAGE_SOCIAL_MAP, locked)
    locked.updated_by = by
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def set_social_map_entry_active(*, entry: SocialMapEntry, by: User, active: bool) -> SocialMapEntry:
    """Offer an entry in the chat again, or stop offering it (it stays, for the history of
    the chats that sent it). Asking for the state it already has changes nothing."""
    locked = SocialMapEntry.objects.select_for_update().get(pk=entry.pk)
    require(by, Action.MANAGE_SOCIAL_MAP, locked)
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.updated_by = by
    locked.full_clean()
    locked.save(update_fields=["is_active", "updated_by", "updated_at"])
    return locked
