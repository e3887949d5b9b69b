"""Routing a 4-digit postcode to the Veilig Thuis region that serves it.

Nothing here reads personal data: a postcode area and the region that serves it are public
facts, so these reads need no policy check and leave no access-log entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .models import Municipality, Postcode, Region

# Four ASCII digits, the first not 0, optionally followed by the two letters of a full
# postcode ("3511 AB", "3511ab"). Spaces may separate the digits from the letters, never
# the digits from each other: "35 11" is not a postcode.
_POSTCODE_PATTERN = re.compile(r"([1-9][0-9]{3})(?: *[A-Za-z]{2})?", re.ASCII)


class InvalidPostcode(ValueError):
    """The input is not a Dutch postcode; the message says how to fix it."""


class RoutingUnavailable(RuntimeError):
    """The region data has not been loaded, so no postcode can be routed."""


@dataclass(frozen=True)
class Route:
    region: Region
    postcode: str
    municipality: Municipality | None
    national_desk_fallback: bool


def normalise_pc4(raw: str | None) -> str:
    """The 4 digits of a postcode given as '3511', ' 3511 ', '3511AB' or '3511 ab'.

    Raises InvalidPostcode with a Dutch message for anything else, including digits from
    other scripts (such as fullwidth digits from a phone keyboard), which look right on
    screen but are not a postcode.
    """
    value = (raw or "").strip()
    if not value:
        raise InvalidPostcode(_("Vul de 4 cijfers van een postcode in, bijvoorbeeld 3511."))
    match = _POSTCODE_PATTERN.fullmatch(value)
    if match is None:
        raise InvalidPostcode(
            _(
                "Dit is geen geldige postcode. Een postcode begint met 4 cijfers, waarvan het "
                "eerste geen 0 is, bijvoorbeeld 3511 of 3511 AB."
            )
        )
    return match.group(1)


def national_desk() -> Region:
    desk = Region.objects.filter(is_national_desk=True).first()
    if desk is None:
        raise RoutingUnavailable(
            _("Postcodes kunnen nu niet worden doorverwezen: de regio's zijn niet geladen.")
        )
    return desk


def route_postcode(raw: str | None) -> Route:
    """The region for a postcode; a well-formed but unassigned one goes to the national desk."""
    code = normalise_pc4(raw)
    postcode = Postcode.objects.select_related("municipality__region").filter(code=code).first()
    if postcode is None:
        return Route(
            region=national_desk(),
            postcode=code,
            municipality=None,
            national_desk_fallback=True,
        )
    return Route(
        region=postcode.municipality.region,
        postcode=code,
        municipality=postcode.municipality,
        national_desk_fallback=False,
    )


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code.strip().upper()).first()


def municipalities_of(region: Region) -> QuerySet[Municipality]:
    return Municipality.objects.filter(region=region).order_by("name", "code")
