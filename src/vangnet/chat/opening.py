"""When the public chat is open: working days (Dutch public holidays excluded), set hours.

DOMAIN.md: the Veilig Thuis chat is open on working days 9:00-17:00, and opening hours are a
setting (`CHAT_OPENING_HOURS`: "09:00-17:00", or "always" for a desk that is staffed 24/7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from vangnet.core.workdays import is_working_day


@dataclass(frozen=True)
class OpeningHours:
    always: bool
    opens: time = time(0, 0)
    closes: time = time(23, 59)


@cache
def _parse(value: str) -> OpeningHours:
    text = value.strip().lower()
    if text == "always":
        return OpeningHours(always=True)
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"CHAT_OPENING_HOURS must look like 09:00-17:00 or be 'always', not {value!r}."
        ) from error
    if start >= end:
        raise ImproperlyConfigured("CHAT_OPENING_HOURS: the chat must open before it closes.")
    return OpeningHours(always=False, opens=start, closes=end)


def opening_hours() -> OpeningHours:
    return _parse(settings.CHAT_OPENING_HOURS)


def chat_hours_open(now: datetime | None = None) -> bool:
    """True when `now` falls within the chat's opening hours (not whether a desk is staffed)."""
    hours = opening_hours()
    if hours.always:
        return True
    local = timezone.localtime(now or timezone.now())
    return is_working_day(local) and hours.opens <= local.time() < hours.closes
