"""Writing to and verifying the access log. The only code that appends entries."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from vangnet.accounts.policy import AccessDenied, Action
from vangnet.audit.context import AuditContext
from vangnet.pagination import Key, KeysetPage, keyset_page
from vangnet.regions.models import Region

from .models import (
    GENESIS_HASH,
    AccessLogAction,
    AccessLogCheckpoint,
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
    audit: AuditContext | None = None,
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
            region_code=audit.region_code if audit is not None else "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            # Stored as the database will give it back, so the hash survives a round trip.
            ip_address=AccessLogEntry._meta.get_field("ip_address").get_prep_value(
                audit.ip_address if audit is not None else None
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


@dataclass(frozen=True)
class Access:
    """One look at one record, for `record_accesses`."""

    user: User
    obj: Model
    action: AccessLogAction = AccessLogAction.VIEW
    roles: Sequence[str] = ()
    audit: AuditContext | None = None
    reason: str = ""


def record_accesses(accesses: Sequence[Access]) -> list[AccessLogEntry]:
    """Append one entry per access, all in one chain step: the head is locked, read and
    written once for the lot instead of once per entry (ADR 0035).

    Each entry is an entry like `record_access` writes — its own user, record, roles and
    hash, linked to the one before it — so the search by user and by record finds it and
    `verify_chain` checks it. For what many people are shown at the same moment (a queue
    row pushed to every open queue page)."""
    if not accesses:
        return []
    region_ids = {_region_id_of(access.obj) or 0 for access in accesses} - {0}
    codes = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "code"))
    with transaction.atomic():
        head, _created = AccessLogHead.objects.select_for_update().get_or_create(id=1)
        sequence, previous = head.sequence, head.entry_hash
        now = timezone.now()
        entries = []
        for access in accesses:
            region_id = _region_id_of(access.obj)
            sequence += 1
            entry = AccessLogEntry(
                sequence=sequence,
                at=now,
                user_id=access.user.pk,
                username=access.user.get_username()[:150],
                roles=",".join(sorted(set(access.roles)))[:200],
                region_code=access.audit.region_code if access.audit is not None else "",
                action=access.action,
                object_type=access.obj._meta.label_lower,
                object_id=str(access.obj.pk),
                ip_address=AccessLogEntry._meta.get_field("ip_address").get_prep_value(
                    access.audit.ip_address if access.audit is not None else None
                ),
                reason=access.reason.replace("\x00", ""),
                record_regions=codes.get(region_id, "") if region_id else "",
                previous_hash=previous,
            )
            entry.entry_hash = compute_hash(entry)
            previous = entry.entry_hash
            entries.append(entry)
        AccessLogEntry.objects.bulk_create(entries)
        head.sequence, head.entry_hash = sequence, previous
        head.save(update_fields=["sequence", "entry_hash"])
    return entries


def log_destroyed(
    object_type: str,
    object_id: int,
    *,
    reason: str,
    by: User | None = None,
    audit: AuditContext | None = None,
) -> AccessLogEntry:
    """Log that a record was destroyed — by its type and id only, so that nothing of the
    destroyed data stays behind (ADR 0015, 0031, 0032). Without `by` the retention did it."""
    return record_access(
        user=by,
        username="" if by is not None else "bewaartermijn",
        action=AccessLogAction.DELETE,
        object_type=object_type,
        object_id=str(object_id),
        audit=audit,
        reason=reason,
    )


# --- Saying no, and showing a page: the two things every selector does the same way -------


def refuse(
    *,
    user: User,
    action: Action,
    obj: Model | None,
    audit: AuditContext | None,
    reason: str = "",
) -> AccessDenied:
    """Log that `user` was refused `action` on `obj`; return the AccessDenied to raise.

    It is marked as logged, so the 403 page does not log the refusal a second time.
    """
    record_access(user=user, action=AccessLogAction.REFUSED, obj=obj, audit=audit, reason=reason)
    return AccessDenied(action=action, obj=obj, logged=True)


def record_unlogged_refusal(
    refusal: Exception | None,
    *,
    user: User | AnonymousUser | None,
    kind: str,
    path: str,
    audit: AuditContext | None = None,
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
        audit=audit,
    )


def logged_page[M: Model](
    records: QuerySet[M],
    *,
    keys: Sequence[Key],
    size: int,
    params: Mapping[str, str],
    user: User,
    roles: Iterable[str],
    audit: AuditContext | None,
    reason: str = "",
    by_id: bool = False,
) -> KeysetPage[M]:
    """One page of `records`, read by key (vangnet.pagination: `params` holds the request's
    `after`/`before`/`last`); the records on it are logged as seen (an empty page: nothing)."""
    page_obj = keyset_page(records, keys=keys, size=size, params=params, by_id=by_id)
    log_page_shown(page_obj.object_list, user=user, roles=roles, audit=audit, reason=reason)
    return page_obj


def log_page_shown(
    shown: Sequence[Model],
    *,
    user: User,
    roles: Iterable[str],
    audit: AuditContext | None,
    reason: str = "",
) -> None:
    """Log the records a page showed as seen, in one entry (an empty page: nothing). For
    pages that are read otherwise than through `logged_page`."""
    if shown:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=shown,
            roles=roles,
            audit=audit,
            reason=reason,
        )


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def checkpoint_signature(checkpoint: AccessLogCheckpoint) -> str:
    """The checkpoint's HMAC (the log's key) over its fields and the checkpoint before it."""
    content = {
        "created_at": checkpoint.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "up_to_sequence": checkpoint.up_to_sequence,
        "up_to_hash": checkpoint.up_to_hash,
        "removed_count": checkpoint.removed_count,
        "removed_before": checkpoint.removed_before.astimezone(UTC).isoformat(
            timespec="microseconds"
        ),
        "previous_signature": checkpoint.previous_signature,
    }
    message = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hmac.new(audit_key(), b"checkpoint:" + message.encode(), hashlib.sha256).hexdigest()


def _walk(
    entries: QuerySet[AccessLogEntry],
    *,
    expected_sequence: int,
    expected_previous: str,
    batch_size: int,
) -> tuple[int, str, ChainBreak | None]:
    """Check entries in order from `expected_sequence`; returns (checked, last hash, break)."""
    checked = 0
    for entry in entries.order_by("sequence").prefetch_related("records").iterator(batch_size):
        if entry.sequence != expected_sequence:
            return (
                checked,
                expected_previous,
                ChainBreak(
                    expected_sequence,
                    f"entry {expected_sequence} is missing (next present is {entry.sequence})",
                ),
            )
        if entry.previous_hash != expected_previous:
            return (
                checked,
                expected_previous,
                ChainBreak(entry.sequence, "does not link to the entry before it"),
            )
        records = [(r.object_type, r.object_id) for r in entry.records.all()]
        if not hmac.compare_digest(compute_hash(entry, records), entry.entry_hash):
            return (
                checked,
                expected_previous,
                ChainBreak(entry.sequence, "its content was changed after writing"),
            )
        expected_previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    return checked, expected_previous, None


def _latest_checkpoint() -> tuple[AccessLogCheckpoint | None, ChainBreak | None]:
    """The newest checkpoint, after checking every checkpoint's signature and link."""
    previous_signature = GENESIS_HASH
    previous_sequence = 0
    latest = None
    for checkpoint in AccessLogCheckpoint.objects.order_by("up_to_sequence"):
        if (
            checkpoint.previous_signature != previous_signature
            or checkpoint.up_to_sequence <= previous_sequence
            or not hmac.compare_digest(checkpoint_signature(checkpoint), checkpoint.signature)
        ):
            return None, ChainBreak(
                checkpoint.up_to_sequence,
                "the checkpoint of removed entries up to here is not signed by the log's key",
            )
        previous_signature = checkpoint.signature
        previous_sequence = checkpoint.up_to_sequence
        latest = checkpoint
    return latest, None


def verify_chain(*, batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the kept log in order; return the number of entries checked and the first break.

    After the retention removed old entries (`remove_entries_before`), the walk starts at the
    newest signed checkpoint: the first kept entry must link to the hash it holds."""
    checkpoint, broken = _latest_checkpoint()
    if broken is not None:
        return 0, broken
    start = checkpoint.up_to_sequence if checkpoint is not None else 0
    checked, _last, broken = _walk(
        AccessLogEntry.objects.filter(sequence__gt=start),
        expected_sequence=start + 1,
        expected_previous=checkpoint.up_to_hash if checkpoint is not None else GENESIS_HASH,
        batch_size=batch_size,
    )
    if broken is not None:
        return checked, broken
    head = AccessLogHead.objects.filter(id=1).first()
    if head is not None and head.sequence != start + checked:
        return checked, ChainBreak(
            start + checked + 1,
            f"the log ends at {start + checked} but {head.sequence} entries were written",
        )
    return checked, None


class ChainBrokenError(Exception):
    """The part of the log that would be removed does not verify: keep it as evidence."""


def remove_entries_before(*, cutoff: datetime, batch_size: int = 2000) -> int:
    """Remove the entries written before `cutoff` (the access log's retention, ADR 0031).

    Only a run from the start of the kept log is removed, never a gap: up to the last entry
    before the first one written at or after `cutoff`. The removed part is verified first (a
    broken chain is kept, as evidence); then its records and entries go and a signed
    checkpoint takes their place, in one transaction that holds the head row, so no entry is
    written meanwhile. Returns the number of entries removed."""
    with transaction.atomic():
        head, _created = AccessLogHead.objects.select_for_update().get_or_create(id=1)
        checkpoint, broken = _latest_checkpoint()
        if broken is not None:
            raise ChainBrokenError(f"#{broken.sequence}: {broken.problem}")
        start = checkpoint.up_to_sequence if checkpoint is not None else 0
        first_kept = (
            AccessLogEntry.objects.filter(sequence__gt=start, at__gte=cutoff)
            .order_by("sequence")
            .values_list("sequence", flat=True)
            .first()
        )
        last_removed = (first_kept - 1) if first_kept is not None else head.sequence
        if last_removed <= start:
            return 0
        removed = AccessLogEntry.objects.filter(sequence__gt=start, sequence__lte=last_removed)
        checked, last_hash, broken = _walk(
            removed,
            expected_sequence=start + 1,
            expected_previous=checkpoint.up_to_hash if checkpoint is not None else GENESIS_HASH,
            batch_size=batch_size,
        )
        if broken is not None or checked != last_removed - start:
            problem = broken.problem if broken is not None else "entries are missing"
            raise ChainBrokenError(f"#{broken.sequence if broken else start + 1}: {problem}")
        if connection.vendor == "postgresql":
            # The one deletion path the trigger admits, for this transaction only (audit
            # migration 0006).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL vangnet.allow_access_log_prune = on")
        # Plain querysets: the model's own managers refuse deletion everywhere else.
        QuerySet(model=AccessLogRecord).filter(
            entry__sequence__gt=start, entry__sequence__lte=last_removed
        ).delete()
        QuerySet(model=AccessLogEntry).filter(
            sequence__gt=start, sequence__lte=last_removed
        ).delete()
        created = AccessLogCheckpoint(
            created_at=timezone.now(),
            up_to_sequence=last_removed,
            up_to_hash=last_hash,
            removed_count=checked,
            removed_before=cutoff,
            previous_signature=checkpoint.signature if checkpoint is not None else GENESIS_HASH,
        )
        created.signature = checkpoint_signature(created)
        created.save(force_insert=True)
    return checked
