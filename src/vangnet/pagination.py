"""Keyset pagination for registers that grow without end (ADR 0030).

A page is found by the sort key of the row before (or after) it, not by OFFSET: the database
walks an index from that key and reads one page of rows, however far back the page is, where
OFFSET sorts and skips every row before it. There are no page numbers: a register offers the
newest, the previous, the next and the oldest page, and the address carries the key of the
boundary row (a moment and a record number, never personal data). A list sorted by what is
personal data (people's names) pages `by_id`: its address carries only the boundary row's
record number, and the row's sort key is read back from the database.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class Key:
    """One column of the sort order: its name (a field or an annotation), its direction, and
    how a value written in an address is read back."""

    name: str
    descending: bool = False
    parse: Callable[[str], Any] = int


def _write(value: Any) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_write(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, keys: Sequence[Key]) -> list[Any] | None:
    """The key values in `token`, or None for anything that is not a cursor of these keys
    (an edited or old address falls back to the first page rather than to an error)."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        written = json.loads(raw)
        if not isinstance(written, list) or len(written) != len(keys):
            return None
        return [key.parse(value) for key, value in zip(keys, written, strict=True)]
    except (ValueError, TypeError, binascii.Error):
        return None


def _beyond(keys: Sequence[Key], values: Sequence[Any], *, forward: bool) -> Q:
    """Rows strictly after (forward) or before the row with `values`, in the keys' order.

    Written as `k1 <= v1 AND (k1 < v1 OR (k1 = v1 AND k2 < v2) ...)` (for descending keys):
    the leading range on the first key lets the database start the index walk there."""
    ors = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        smaller = key.descending == forward
        ors |= equal & Q(**{f"{key.name}__{'lt' if smaller else 'gt'}": value})
        equal &= Q(**{key.name: value})
    first, first_value = keys[0], values[0]
    smaller = first.descending == forward
    return Q(**{f"{first.name}__{'lte' if smaller else 'gte'}": first_value}) & ors


def _order(keys: Sequence[Key], *, reverse: bool) -> list[str]:
    return [("-" if key.descending != reverse else "") + key.name for key in keys]


@dataclass
class KeysetPage[M: Model]:
    """One page of a register, with the addresses of its neighbours."""

    object_list: list[M]
    keys: Sequence[Key] = field(repr=False)
    has_next: bool = False
    has_previous: bool = False
    by_id: bool = False

    def __iter__(self) -> Iterator[M]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def _cursor(self, obj: M) -> str:
        keys = self.keys[-1:] if self.by_id else self.keys
        return encode_cursor([getattr(obj, key.name) for key in keys])

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_cursor(self) -> str:
        return self._cursor(self.object_list[-1]) if self.has_next else ""

    @property
    def previous_cursor(self) -> str:
        return self._cursor(self.object_list[0]) if self.has_previous else ""


def _boundary[M: Model](
    token: str, queryset: QuerySet[M], keys: Sequence[Key], *, by_id: bool
) -> list[Any] | None:
    """The sort key of the row a cursor names; None for no cursor or one that names nothing."""
    if not token:
        return None
    if not by_id:
        return decode_cursor(token, keys)
    written = decode_cursor(token, keys[-1:])
    if written is None:
        return None
    # Read from the same (scoped) query: a record number outside it names no row.
    row = queryset.filter(pk=written[0]).values_list(*(key.name for key in keys)).first()
    return list(row) if row is not None else None


def keyset_page[M: Model](
    queryset: QuerySet[M],
    *,
    keys: Sequence[Key],
    size: int,
    params: Mapping[str, str],
    by_id: bool = False,
) -> KeysetPage[M]:
    """The page of `queryset` (sorted by `keys`) that the request's `after`, `before` or
    `last` parameter asks for; the first page without one. The last key must be unique;
    with `by_id` it must be the record number (`id`), the only key the address carries."""
    after = _boundary(params.get("after", ""), queryset, keys, by_id=by_id)
    before = _boundary(params.get("before", ""), queryset, keys, by_id=by_id)
    if before is not None or (after is None and params.get("last")):
        # Backwards: the rows just before the cursor (or the very last ones), read in reverse.
        backwards = queryset
        if before is not None:
            backwards = backwards.filter(_beyond(keys, before, forward=False))
        rows = list(backwards.order_by(*_order(keys, reverse=True))[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        rows.reverse()
        return KeysetPage(
            rows, keys, has_next=before is not None and bool(rows), has_previous=more, by_id=by_id
        )
    forwards = queryset
    if after is not None:
        forwards = forwards.filter(_beyond(keys, after, forward=True))
    rows = list(forwards.order_by(*_order(keys, reverse=False))[: size + 1])
    more = len(rows) > size
    return KeysetPage(rows[:size], keys, has_next=more, has_previous=after is not None, by_id=by_id)


def parse_datetime_key(value: str) -> datetime:
    return datetime.fromisoformat(value)


def parse_date_key(value: str) -> date:
    return date.fromisoformat(value)


NEWEST_FIRST = (
    Key("received_at", descending=True, parse=parse_datetime_key),
    Key("id", descending=True),
)
