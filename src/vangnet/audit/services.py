"""Writing to and verifying the access log. The only code that appends entries."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from .models import GENESIS_HASH, AccessLogAction, AccessLogEntry, AccessLogHead, audit_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vangnet.accounts.models import User

HASHED_FIELDS = (
    "sequence",
    "at",
    "user_id",
    "username",
    "roles",
    "region_code",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "reason",
    "previous_hash",
)


def compute_hash(entry: AccessLogEntry) -> str:
    content: dict[str, Any] = {}
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        if name == "at":
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        content[name] = value
    message = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(audit_key(), message.encode(), hashlib.sha256).hexdigest()


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a proxy, Axes' ipware settings decide which header is trusted (settings.py).
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return address or None


def active_region_code(request: HttpRequest | None) -> str:
    region = getattr(request, "active_region", None) if request is not None else None
    return region.code if region is not None else ""


def record_access(
    *,
    user: User | AnonymousUser | None,
    action: AccessLogAction,
    object_type: str = "",
    object_id: str = "",
    obj: Model | None = None,
    objects: Iterable[Model] | None = None,
    roles: Iterable[str] = (),
    request: HttpRequest | None = None,
    reason: str = "",
    username: str = "",
) -> AccessLogEntry:
    """Append one entry. Runs in (or joins) a transaction so it lands with the change it logs."""
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    if objects is not None:
        items = list(objects)
        if items:
            object_type = items[0]._meta.label_lower
            object_id = ",".join(str(o.pk) for o in items)[:255]
    authenticated = user is not None and user.is_authenticated
    with transaction.atomic():
        head, _created = AccessLogHead.objects.select_for_update().get_or_create(id=1)
        entry = AccessLogEntry(
            sequence=head.sequence + 1,
            at=timezone.now(),
            user_id=user.pk if authenticated else None,  # type: ignore[union-attr]
            username=(user.get_username() if authenticated else username)[:150],  # type: ignore[union-attr]
            roles=",".join(sorted(set(roles)))[:200],
            region_code=active_region_code(request),
            action=action,
            object_type=object_type,
            object_id=object_id,
            # Stored as the database will give it back, so the hash survives a round trip.
            ip_address=AccessLogEntry._meta.get_field("ip_address").get_prep_value(
                client_address(request)
            ),
            reason=reason.replace("\x00", ""),
            previous_hash=head.entry_hash,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save(force_insert=True)
        head.sequence = entry.sequence
        head.entry_hash = entry.entry_hash
        head.save(update_fields=["sequence", "entry_hash"])
    return entry


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def verify_chain(*, batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the whole log in order; return the number of entries checked and the first break."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in AccessLogEntry.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if entry.sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence,
                f"entry {expected_sequence} is missing (next present is {entry.sequence})",
            )
        if entry.previous_hash != expected_previous:
            return checked, ChainBreak(entry.sequence, "does not link to the entry before it")
        if not hmac.compare_digest(compute_hash(entry), entry.entry_hash):
            return checked, ChainBreak(entry.sequence, "its content was changed after writing")
        expected_previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    head = AccessLogHead.objects.filter(id=1).first()
    if head is not None and head.sequence != checked:
        return checked, ChainBreak(
            checked + 1, f"the log ends at {checked} but {head.sequence} entries were written"
        )
    return checked, None
