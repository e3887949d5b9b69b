"""Who may see which figures, and the period they ask for.

A scope is one region (`VIEW_INSIGHTS` there: the team lead) or the whole country (the
national desk's team lead, `policy.may_view_national_insights`). Figures hold no personal
data, so reading them leaves no access-log entry; a refusal is logged by the 403 page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.policy import (
    AccessDenied,
    Action,
    may,
    may_view_national_insights,
    regions_where,
    require,
)
from vangnet.regions.models import Region

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vangnet.accounts.models import User

NATIONAL = "landelijk"


@dataclass(frozen=True)
class Scope:
    code: str  # in the address: a region's code, or NATIONAL
    label: str
    region_ids: tuple[int, ...]
    national: bool = False
    region: Region | None = None


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def year_earlier(self) -> Period:
        return Period(_year_back(self.start), _year_back(self.end))


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def insight_scope(*, user: User | AnonymousUser, code: str) -> Scope:
    if code == NATIONAL:
        if not may_view_national_insights(user):
            raise AccessDenied(action=Action.VIEW_INSIGHTS)
        regions = tuple(Region.objects.values_list("pk", flat=True))
        return Scope(code=NATIONAL, label=_("Landelijk"), region_ids=regions, national=True)
    region = Region.objects.filter(code=code).first()
    if region is None:
        if not regions_where(user, Action.VIEW_INSIGHTS):
            raise AccessDenied(action=Action.VIEW_INSIGHTS)
        raise Http404(_("Deze regio bestaat niet."))
    require(user, Action.VIEW_INSIGHTS, region)
    return Scope(code=region.code, label=region.name, region_ids=(region.pk,), region=region)


def default_scope_code(*, user: User | AnonymousUser, active_region: Region | None) -> str:
    """The active region's figures when allowed there (at the national desk: the national
    view), else the first region allowed."""
    at_desk = active_region is not None and active_region.is_national_desk
    if at_desk and may_view_national_insights(user):
        return NATIONAL
    if active_region is not None and may(user, Action.VIEW_INSIGHTS, active_region):
        return active_region.code
    regions = Region.objects.filter(pk__in=regions_where(user, Action.VIEW_INSIGHTS))
    first = regions.first()
    if first is None:
        raise AccessDenied(action=Action.VIEW_INSIGHTS)
    return first.code


def other_scopes(*, user: User | AnonymousUser) -> list[tuple[str, str]]:
    """The scopes the user may switch to: (code, label)."""
    regions = Region.objects.filter(pk__in=regions_where(user, Action.VIEW_INSIGHTS))
    scopes = [(region.code, region.name) for region in regions]
    if may_view_national_insights(user):
        scopes.append((NATIONAL, _("Landelijk")))
    return scopes


def parse_period(start: str | None, end: str | None, *, today: date | None = None) -> Period:
    """The asked period; by default the last 4 full weeks up to yesterday. Bad input falls
    back to the default (the form shows what was used)."""
    today = today or timezone.localdate()
    default = Period(today - timedelta(days=28), today - timedelta(days=1))
    try:
        period = Period(date.fromisoformat(start or ""), date.fromisoformat(end or ""))
    except ValueError:
        return default
    if period.end < period.start or period.days > 366 * 2:
        return default
    return period
