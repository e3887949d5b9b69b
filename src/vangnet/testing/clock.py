"""A frozen clock for tests: `timezone.now()` (and so `localdate()`) answers a fixed moment.

Model defaults that hold `timezone.now` itself are not affected; tests set those fields."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def moment(day: date, hour: int = 3, minute: int = 0) -> datetime:
    """That day at that hour, Dutch time."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


@contextmanager
def frozen_clock(at: datetime | date) -> Iterator[datetime]:
    fixed = at if isinstance(at, datetime) else moment(at)
    with mock.patch("django.utils.timezone.now", return_value=fixed):
        yield fixed
