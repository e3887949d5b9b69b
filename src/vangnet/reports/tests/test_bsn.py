"""The 11-check of a citizen service number, as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vangnet.reports.services import is_valid_bsn

digits = st.lists(st.integers(0, 9), min_size=8, max_size=8)


def _with_check_digit(first: list[int]) -> str | None:
    total = sum(d * w for d, w in zip(first, range(9, 1, -1), strict=True))
    check = total % 11
    return None if check == 10 else "".join(map(str, first)) + str(check)


@given(digits)
def test_at_most_one_last_digit_completes_a_valid_number(first):
    valid = [d for d in range(10) if is_valid_bsn("".join(map(str, first)) + str(d))]
    expected = _with_check_digit(first)
    if expected is None or expected == "000000000":  # no check digit fits; all zeros is no number
        assert valid == []
    else:
        assert valid == [int(expected[-1])]


@given(digits, st.integers(0, 8), st.integers(1, 9))
def test_a_single_mistyped_digit_is_always_caught(first, position, shift):
    bsn = _with_check_digit(first)
    if bsn is None or bsn == "000000000":
        return
    wrong = list(bsn)
    wrong[position] = str((int(wrong[position]) + shift) % 10)
    assert not is_valid_bsn("".join(wrong))


@given(st.text(max_size=12))
def test_anything_but_nine_ascii_digits_is_refused(text):
    if len(text) == 9 and text.isascii() and text.isdigit():
        return
    assert not is_valid_bsn(text)


def test_digits_of_other_scripts_are_refused():
    assert is_valid_bsn("111222333")
    assert not is_valid_bsn("١١١٢٢٢٣٣٣")  # the same number in Arabic-Indic digits
