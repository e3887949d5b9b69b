"""Writing to and verifying the access log. The only code that appends entries."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from vangnet.accounts.policy import AccessDenied, Action
from vangnet.regions.models import Region

from .models import (
    GENESIS_HASH,
    AccessLogAction,
    AccessLogEntry,
    AccessLogHead,
    AccessLogRecord,
    audit_key,
)

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


def compute_hash(entry: AccessLogEntry, records: Iterable[tuple[str, str]] = ()) -> str:
    """The entry's HMAC over its own fields, the records it concerns and the hash before it.

    `records` and `record_regions` join the hashed content only when present, so entries
    written before they existed keep verifying."""
    content: dict[str, Any] = {}
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        if name == "at":
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        content[name] = value
    if entry.record_regions:
        content["record_regions"] = entry.record_regions
    keys = sorted(f"{object_type}:{object_id}" for object_type, object_id in records)
    if keys:
        content["records"] = keys
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


def _region_id_of(obj: Model) -> int | None:
    # A record's region, or the region of the report it belongs to (a reporter, a person).
    region_id = getattr(obj, "region_id", None)
    if region_id is None and getattr(obj, "report_id", None) is not None:
        region_id = getattr(obj.report, "region_id", None)  # type: ignore[attr-defined]  # checked above
    return region_id


def _region_codes(region_ids: set[int]) -> str:

    if not region_ids:
        return ""
    codes = Region.objects.filter(pk__in=region_ids).values_list("code", flat=True)
    return ",".join(sorted(codes))[:200]


def record_access(
    *,
    user: User | AnonymousUser | None,
    action: AccessLogAction,
    object_type: str = "",
    object_id: str = "",
    obj: Model | None = None,
    objects: Iterable[Model] | None = None,
    records: Iterable[tuple[str, str]] | None = None,
    roles: Iterable[str] = (),
    request: HttpRequest | None = None,
    reason: str = "",
    username: str = "",
) -> AccessLogEntry:
    """Append one entry. Runs in (or joins) a transaction so it lands with the change it logs.

    One record: `obj` (or `object_type` + `object_id`). Several (a page of a list): `objects`,
    or `records` as (type, id) pairs when they are of different kinds; each becomes a row of
    its own under the entry, covered by its hash, so no id is ever cut off."""
    region_ids: set[int] = set()
    many: list[tuple[str, str]] = list(records or ())
    if obj is not None:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
        region_ids.add(_region_id_of(obj) or 0)
    if objects is not None:
        items = list(objects)
        many += [(o._meta.label_lower, str(o.pk)) for o in items]
        region_ids |= {_region_id_of(o) or 0 for o in items}
        if items and not object_type:
            kinds = {o._meta.label_lower for o in items}
            object_type = kinds.pop() if len(kinds) == 1 else ""
    if len(many) == 1 and not object_id and object_type in ("", many[0][0]):
        # A list of one is an entry about one record.
        object_type, object_id = many.pop()
    region_ids.discard(0)
    authenticated = user is not None and user.is_authenticated
    with transaction.atomic():
        head, _created = AccessLogHead.objects.select_for_update().get_or_create(id=1)
        entry = AccessLogEntry(
            sequence=head.sequence + 1,
            at=timezone.now(),
            user_id=user.pk if authenticated else None,  # type: ignore[union-attr]  # may() above admitted an active User
            username=(user.get_username() if authenticated else username)[:150],  # type: ignore[union-attr]  # authenticated: a User
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
            record_regions=_region_codes(region_ids),
            previous_hash=head.entry_hash,
        )
        entry.entry_hash = compute_hash(entry, many)
        entry.save(force_insert=True)
        if many:
            AccessLogRecord.objects.bulk_create(
                AccessLogRecord(entry=entry, object_type=kind, object_id=pk[:64])
                for kind, pk in many
            )
        head.sequence = entry.sequence
        head.entry_hash = entry.entry_hash
        head.save(update_fields=["sequence", "entry_hash"])
    return entry


# --- Saying no, and showing a page: the two things every selector does the same way -------


def refuse(
    *,
    user: User,
    action: Action,
    obj: Model | None,
    request: HttpRequest | None,
    reason: str = "",
) -> AccessDenied:
    """Log that `user` was refused `action` on `obj`; return the AccessDenied to raise.

    It is marked as logged, so the 403 page does not log the refusal a second time.
    """
    record_access(
        user=user, action=AccessLogAction.REFUSED, obj=obj, request=request, reason=reason
    )
    return AccessDenied(action=action, obj=obj, logged=True)


def record_unlogged_refusal(
    refusal: Exception | None,
    *,
    user: User | AnonymousUser | None,
    kind: str,
    path: str,
    request: HttpRequest | None = None,
) -> None:
    """For the last line of defence (the 403 page, the API, a socket): log a refusal that no
    selector or service logged. The record when there is one, else `kind` and the path (ids
    only, never personal data)."""
    if refusal is not None and getattr(refusal, "logged", False):
        return
    obj = getattr(refusal, "obj", None)
    is_record = isinstance(obj, Model) and obj.pk is not None
    record_access(
        user=user,
        action=AccessLogAction.REFUSED,
        obj=obj if is_record else None,
        object_type="" if is_record else kind,
        object_id="" if is_record else path[:255],
        request=request,
    )


def logged_page[M: Model](
    records: QuerySet[M] | Sequence[M],
    *,
    size: int,
    page: str | int | None,
    user: User,
    roles: Iterable[str],
    request: HttpRequest | None,
    reason: str = "",
) -> Page[M]:
    """One page of `records`; the records on it are logged as seen (an empty page: nothing)."""
    page_obj = Paginator(records, size).get_page(page)
    if page_obj.object_list:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=page_obj.object_list,
            roles=roles,
            request=request,
            reason=reason,
        )
    return page_obj


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def verify_chain(*, batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the whole log in order; return the number of entries checked and the first break."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    entries = AccessLogEntry.objects.order_by("sequence").prefetch_related("records")
    for entry in entries.iterator(chunk_size=batch_size):
        if entry.sequence != expected_sequence:
            return checked, ChainBreak(
                expected_sequence,
                f"entry {expected_sequence} is missing (next present is {entry.sequence})",
            )
        if entry.previous_hash != expected_previous:
            return checked, ChainBreak(entry.sequence, "does not link to the entry before it")
        records = [(r.object_type, r.object_id) for r in entry.records.all()]
        if not hmac.compare_digest(compute_hash(entry, records), entry.entry_hash):
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
