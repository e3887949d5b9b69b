"""The staffing forecast: employees needed per weekday and hour for the chat (Erlang C).

Inputs, all from the rollup: the chats offered per weekday and hour over the last weeks
(their average is the expected arrivals per hour) and the average handling time. Per hour the
scope's need is computed, and — to show the pooling effect — the need of every region on its
own, summed, against the need of all regions pooled at the national desk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import ExtractIsoWeekDay

from vangnet.regions.models import Region

from .erlang import Staffing, agents_needed
from .models import Metric, Tally


@dataclass(frozen=True)
class ForecastInputs:
    weeks: int
    first_day: date
    last_day: date
    target_level: float  # 0.8
    target_seconds: int
    handling_seconds: float
    handling_from_data: bool


@dataclass(frozen=True)
class ForecastRow:
    weekday: int  # 1 = Monday
    hour: int
    scope: Staffing
    regions_apart: int  # every region staffed on its own, summed
    pooled: int  # all regions pooled with the national desk


def _arrivals(
    region_ids: list[int] | tuple[int, ...], first: date, last: date, weeks: int
) -> dict[int, dict[tuple[int, int], float]]:
    rows = (
        Tally.objects.filter(
            metric=Metric.CHAT,
            key="offered",
            region_id__in=region_ids,
            day__gte=first,
            day__lte=last,
        )
        .annotate(weekday=ExtractIsoWeekDay("day"))
        .values("region_id", "weekday", "hour")
        .annotate(n=Sum("count"))
    )
    per_region: dict[int, dict[tuple[int, int], float]] = defaultdict(dict)
    for row in rows:
        per_region[row["region_id"]][(row["weekday"], row["hour"])] = row["n"] / weeks
    return per_region


def handling_time(region_ids: list[int] | tuple[int, ...], first: date, last: date) -> float | None:
    totals = Tally.objects.filter(
        metric=Metric.CHAT, key="handled", region_id__in=region_ids, day__gte=first, day__lte=last
    ).aggregate(n=Sum("count"), t=Sum("total"))
    return totals["t"] / totals["n"] if totals["n"] else None


def staffing_forecast(
    *,
    region_ids: tuple[int, ...],
    today: date,
    target_level: float,
    target_seconds: int,
    weeks: int | None = None,
) -> tuple[ForecastInputs, list[ForecastRow]]:
    weeks = weeks or settings.INSIGHTS_FORECAST_WEEKS
    last = today - timedelta(days=1)
    first = today - timedelta(weeks=weeks)
    all_regions = list(Region.objects.values_list("pk", flat=True))
    observed = handling_time(all_regions, first, last)
    handling = observed or settings.CHAT_TYPICAL_DURATION_MINUTES * 60.0
    per_region = _arrivals(all_regions, first, last, weeks)
    cells = sorted({cell for arrivals in per_region.values() for cell in arrivals})

    def need(rate: float) -> Staffing:
        return agents_needed(
            arrivals_per_hour=rate,
            handling_seconds=handling,
            target_level=target_level,
            target_seconds=target_seconds,
        )

    rows = []
    for cell in cells:
        mine = sum(per_region.get(r, {}).get(cell, 0.0) for r in region_ids)
        apart = sum(need(arrivals.get(cell, 0.0)).agents for arrivals in per_region.values())
        pooled = need(sum(arrivals.get(cell, 0.0) for arrivals in per_region.values())).agents
        rows.append(ForecastRow(cell[0], cell[1], need(mine), apart, pooled))
    inputs = ForecastInputs(
        weeks=weeks,
        first_day=first,
        last_day=last,
        target_level=target_level,
        target_seconds=target_seconds,
        handling_seconds=handling,
        handling_from_data=observed is not None,
    )
    return inputs, rows
