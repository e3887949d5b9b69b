"""Which Veilig Thuis region a postcode goes to, and which inputs count as a postcode."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vangnet.regions.models import Region
from vangnet.regions.selectors import (
    InvalidPostcode,
    RoutingUnavailable,
    normalise_pc4,
    route_postcode,
)

# Fullwidth digits, as some phone keyboards type them: they look like 3511 but are not.
FULLWIDTH_3511 = "\uff13\uff15\uff11\uff11"


def test_postcode_3511_routes_to_veilig_thuis_utrecht(loaded_regions):
    route = route_postcode("3511")

    assert (route.region.code, route.region.name) == ("VT09", "Utrecht")
    assert route.municipality is not None and route.municipality.name == "Utrecht"
    assert route.national_desk_fallback is False


def test_full_postcode_routes_by_its_four_digits(loaded_regions):
    assert route_postcode("3811 ab").region.code == "VT09"
    assert route_postcode("1011AB").region.name == "Amsterdam-Amstelland"


def test_well_formed_but_unassigned_postcode_goes_to_the_national_desk(loaded_regions):
    route = route_postcode("9999")

    assert route.region.is_national_desk
    assert route.national_desk_fallback is True
    assert route.municipality is None
    assert route.postcode == "9999"


def test_without_region_data_routing_says_it_is_unavailable(db):
    assert not Region.objects.exists()
    with pytest.raises(RoutingUnavailable, match="niet geladen"):
        route_postcode("3511")


@pytest.mark.parametrize("raw", ["abc", "0123", "12345", "", "   ", None, FULLWIDTH_3511, "35 11"])
def test_malformed_postcode_is_refused_with_a_dutch_message(raw):
    with pytest.raises(InvalidPostcode) as refused:
        normalise_pc4(raw)
    assert "postcode" in str(refused.value)
    assert "3511" in str(refused.value)  # every message shows an example to copy


# --- normalise_pc4 accepts exactly the valid forms -------------------------------------
#
# Valid: after trimming surrounding whitespace, four ASCII digits whose first is not 0,
# optionally followed by two ASCII letters, which may be set apart by spaces.


def is_valid_postcode(raw: str) -> bool:
    """The rule above, written without regular expressions, as an independent oracle."""
    value = raw.strip()
    digits, rest = value[:4], value[4:]
    if len(digits) != 4 or any(c not in string.digits for c in digits) or digits[0] == "0":
        return False
    letters = rest.lstrip(" ")
    if not rest:
        return True
    return len(letters) == 2 and all(c in string.ascii_letters for c in letters)


valid_postcodes = st.builds(
    lambda first, others, space, letters, before, after: (
        f"{before}{first}{others}{space}{letters}{after}"
    ),
    st.sampled_from("123456789"),
    st.text(alphabet=string.digits, min_size=3, max_size=3),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["", "AB", "ab", "Zz", "XY"]),
    st.sampled_from(["", " ", "\t", "\u00a0"]),
    st.sampled_from(["", " ", "\n"]),
)

# Near misses: the characters a postcode is made of, and a few that only look like them.
postcode_like = st.text(alphabet="0123456789 ABab\t-\uff13\u0663\u00b9", max_size=9)


@given(valid_postcodes)
def test_every_valid_form_gives_its_four_digits(raw):
    assert normalise_pc4(raw) == raw.strip()[:4]


@given(st.one_of(postcode_like, st.text(max_size=12)))
@example("3511 A")
@example("3511ABC")
@example("0511")
@example("351\uff11")
@example("3511-AB")
def test_normalise_accepts_exactly_the_valid_forms(raw):
    if is_valid_postcode(raw):
        assert normalise_pc4(raw) == raw.strip()[:4]
    else:
        with pytest.raises(InvalidPostcode):
            normalise_pc4(raw)
