"""Working days: the one place that knows which days count for the protocol's deadlines.

A working day is Monday to Friday and not a public holiday as the Algemene termijnenwet
(art. 3) counts them for legal deadlines: New Year's Day, Easter Monday, Ascension Day, Whit
Monday, King's Day, 5 May (Liberation Day, every year) and both Christmas days. The dates of
the moving ones come from the `holidays` package; that package also lists Good Friday, which
the law does not count, and has 5 May only in lustrum years, so both are corrected here.
Veilig Thuis' Handelingsprotocol counts its deadlines in these days (DOMAIN.md: safety
assessment including triage within 5 working days of receipt).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import holidays


@cache
def _holidays(year: int) -> frozenset[date]:
    listed = holidays.country_holidays("NL", years=year, language="en_US")
    days = {day for day, name in listed.items() if "good friday" not in name.lower()}
    days.add(date(year, 5, 5))  # Algemene termijnenwet art. 3: "de vijfde mei", every year
    return frozenset(days)


def holidays_in(year: int) -> list[date]:
    """The public holidays that do not count as working days in `year`, in order."""
    return sorted(_holidays(year))


def is_working_day(day: date | datetime) -> bool:
    if isinstance(day, datetime):
        day = day.date()
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the day of receipt itself does not count).

    `add_working_days(friday, 1)` is the next Monday (when that is no holiday);
    0 gives `start` itself when it is a working day, otherwise the next working day.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    current = start
    if days == 0:
        while not is_working_day(current):
            current += timedelta(days=1)
        return current
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_before(end: date, days: int) -> date:
    """The date `days` working days before `end` (for a reminder ahead of a deadline)."""
    if days < 0:
        raise ValueError("days must be zero or more")
    current = end
    remaining = days
    while remaining:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
