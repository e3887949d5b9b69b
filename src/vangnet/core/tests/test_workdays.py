"""Deadlines in working days: weekends, Dutch public holidays and the turn of the year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vangnet.core.workdays import (
    add_working_days,
    holidays_in,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 12, 1), 5, date(2026, 12, 8)),  # Tuesday → next Tuesday, over a weekend
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday → Monday
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # received on Saturday → Monday
        # Christmas on Friday and Saturday, New Year's Day on Friday: the turn of the year.
        (date(2026, 12, 23), 5, date(2026, 12, 31)),
        (date(2026, 12, 24), 5, date(2027, 1, 4)),
        (date(2026, 12, 24), 1, date(2026, 12, 28)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        (date(2026, 4, 2), 2, date(2026, 4, 7)),  # Good Friday counts; Easter Monday does not
        (date(2026, 4, 24), 1, date(2026, 4, 28)),  # King's Day, Monday 27 April
        (date(2026, 5, 4), 1, date(2026, 5, 6)),  # 5 May, also outside lustrum years
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Ascension Day
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Whit Monday
        (date(2026, 12, 7), 0, date(2026, 12, 7)),
        (date(2026, 12, 26), 0, date(2026, 12, 28)),
    ],
)
def test_adding_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_the_holidays_of_a_year_are_those_of_the_algemene_termijnenwet():
    assert holidays_in(2027) == [
        date(2027, 1, 1),
        date(2027, 3, 28),  # Easter Sunday (a Sunday anyway)
        date(2027, 3, 29),
        date(2027, 4, 27),
        date(2027, 5, 5),
        date(2027, 5, 6),
        date(2027, 5, 16),
        date(2027, 5, 17),
        date(2027, 12, 25),
        date(2027, 12, 26),
    ]
    assert not is_working_day(date(2027, 5, 5))
    assert is_working_day(date(2027, 3, 26))  # Good Friday


def test_counting_working_days_between_two_dates():
    assert working_days_between(date(2026, 12, 1), date(2026, 12, 8)) == 5
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 5
    assert working_days_between(date(2026, 12, 8), date(2026, 12, 1)) == -5


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 12, 1), -1)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    days=st.integers(min_value=1, max_value=60),
)
def test_a_deadline_is_a_working_day_exactly_that_many_working_days_later(start, days):
    deadline = add_working_days(start, days)
    assert is_working_day(deadline)
    assert working_days_between(start, deadline) == days
    assert working_days_between(start, deadline - timedelta(days=1)) == days - 1
