"""Routing a 4-digit postcode to the Veilig Thuis region that serves it, and the social map.

Nothing here reads personal data: a postcode area, the region that serves it and the help
on the social map are public facts, so these reads leave no access-log entry. Only keeping
the social map (`social_map_to_manage`) asks the policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from vangnet.accounts.policy import Action, may, regions_where, require
from vangnet.errors import DomainError

from .models import Municipality, Postcode, Region, SocialMapEntry

if TYPE_CHECKING:
    from vangnet.accounts.models import User

# Four ASCII digits, the first not 0, optionally followed by the two letters of a full
# postcode ("3511 AB", "3511ab"). Spaces may separate the digits from the letters, never
# the digits from each other: "35 11" is not a postcode.
_POSTCODE_PATTERN = re.compile(r"([1-9][0-9]{3})(?: *[A-Za-z]{2})?", re.ASCII)


class InvalidPostcode(DomainError, ValueError):
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


def _kind_order() -> Case:
    """The kinds in the order the model declares them: local team first, "other" last."""
    return Case(
        *(When(kind=kind, then=Value(i)) for i, kind in enumerate(SocialMapEntry.Kind.values)),
        default=Value(len(SocialMapEntry.Kind.values)),
        output_field=IntegerField(),
    )


def social_map_for(*, region: Region) -> QuerySet[SocialMapEntry]:
    """What a chat employee of `region` can send: the region's own active entries and the
    national ones, by kind (in the order of SocialMapEntry.Kind), then name.

    The social map holds no personal data, so reading it needs no policy check and leaves no
    access-log entry.
    """
    return (
        SocialMapEntry.objects.filter(Q(region=region) | Q(region__isnull=True), is_active=True)
        .select_related("region", "municipality")
        .order_by(_kind_order(), "name", "pk")
    )


# --- Keeping the social map (team leads, functional administrators) --------------------


def social_map_regions(*, by: User) -> QuerySet[Region]:
    """The regions whose social map `by` keeps."""
    return Region.objects.filter(pk__in=regions_where(by, Action.MANAGE_SOCIAL_MAP))


def may_manage_national_social_map(*, by: User) -> bool:
    """National entries are kept by the national desk's functional administrators."""
    return may(by, Action.MANAGE_SOCIAL_MAP, SocialMapEntry(region=None))


def social_map_to_manage(
    *, by: User, region: Region | None = None, national_only: bool = False
) -> QuerySet[SocialMapEntry]:
    """The entries of the regions `by` keeps, and the national ones (which everyone who keeps
    a region sees, since the chat offers them there too), active and inactive.

    `region` narrows it to one of those regions, `national_only` to the national entries.
    """
    require(by, Action.MANAGE_SOCIAL_MAP)
    managed = regions_where(by, Action.MANAGE_SOCIAL_MAP)
    if national_only:
        condition = Q(region__isnull=True)
    elif region is not None:
        condition = Q(region=region) if region.pk in managed else Q(pk__in=[])
    else:
        condition = Q(region__in=managed) | Q(region__isnull=True)
    return (
        SocialMapEntry.objects.filter(condition)
        .select_related("region", "municipality", "updated_by")
        .order_by(F("region__name").asc(nulls_first=True), _kind_order(), "name", "pk")
    )
