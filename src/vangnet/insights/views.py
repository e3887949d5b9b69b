"""Insights pages: the dashboard, its CSV downloads, the staffing forecast, the statistics.

Thin adapters: the scope (and the policy check) comes from `selectors.insight_scope`, every
figure from the rollup through `figures`, `forecast` and `export`.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import charts as chart_module
from . import export, figures, forecast, selectors


def _wait_days(request: HttpRequest) -> int:
    try:
        return max(0, min(99, int(request.GET.get("wachtdagen", ""))))
    except ValueError:
        return settings.INSIGHTS_TRANSFER_WAIT_DAYS


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    code = selectors.default_scope_code(
        user=request.user, active_region=getattr(request, "active_region", None)
    )
    return redirect("insights:dashboard", scope=code)


def _board(request: HttpRequest, scope: selectors.Scope):
    period = selectors.parse_period(request.GET.get("van"), request.GET.get("tot"))
    board = figures.dashboard(scope.region_ids, period, wait_days=_wait_days(request))
    return period, board


@require_GET
def dashboard(request: HttpRequest, scope: str) -> HttpResponse:
    where = selectors.insight_scope(user=request.user, code=scope)
    period, board = _board(request, where)
    charts = chart_module.build_charts(board)
    return render(
        request,
        "insights/dashboard.html",
        {
            "scope": where,
            "scopes": selectors.other_scopes(user=request.user),
            "period": period,
            "earlier": period.year_earlier(),
            "board": board,
            "sections": {
                name: [c for c in charts if c.section == name]
                for name in ("load", "chat", "protocol", "now")
            },
            "query": request.GET.urlencode(),
            "wait_days": board.now.wait_days,
        },
    )


@require_GET
def chart_csv(request: HttpRequest, scope: str, chart: str) -> HttpResponse:
    where = selectors.insight_scope(user=request.user, code=scope)
    period, board = _board(request, where)
    found = chart_module.chart_by_id(chart_module.build_charts(board), chart)
    if found is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="vangnet-{where.code}-{chart}-{period.start}-{period.end}.csv"'
    )
    writer = csv.writer(response, delimiter=";")
    writer.writerow([found.title, f"{period.start} - {period.end}"])
    writer.writerow(found.columns)
    writer.writerows(found.rows)
    return response


def _percent(value: str | None, default: int) -> int:
    try:
        return max(1, min(99, int(value or "")))
    except ValueError:
        return default


@require_GET
def staffing(request: HttpRequest, scope: str) -> HttpResponse:
    where = selectors.insight_scope(user=request.user, code=scope)
    level = _percent(request.GET.get("niveau"), 80)
    try:
        seconds = max(5, min(3600, int(request.GET.get("seconden", ""))))
    except ValueError:
        seconds = 60
    inputs, rows = forecast.staffing_forecast(
        region_ids=where.region_ids,
        today=timezone.localdate(),
        target_level=level / 100,
        target_seconds=seconds,
    )
    return render(
        request,
        "insights/forecast.html",
        {
            "scope": where,
            "scopes": selectors.other_scopes(user=request.user),
            "inputs": inputs,
            "rows": rows,
            "level": level,
            "seconds": seconds,
            "weekdays": chart_module._weekday_labels(),
        },
    )


@require_GET
def statistics(request: HttpRequest, scope: str) -> HttpResponse:
    where = selectors.insight_scope(user=request.user, code=scope)
    quarter = export.Quarter.parse(request.GET.get("kwartaal"), today=timezone.localdate())
    tables = export.statistics_tables(where, quarter)
    note = export.method_note(settings.INSIGHTS_SUPPRESSION_THRESHOLD)
    heading = f"Vangnet — {where.label} — {quarter.year} K{quarter.number}"
    file_format = request.GET.get("formaat", "")
    name = f"vangnet-statistiek-{where.code}-{quarter.year}-K{quarter.number}"
    if file_format == "csv":
        response = HttpResponse(
            export.as_csv(tables, heading=heading, note=note),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if file_format == "ods":
        response = HttpResponse(
            export.as_ods(tables, heading=heading, note=note), content_type=export.ODS_MIME
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.ods"'
        return response
    return render(
        request,
        "insights/statistics.html",
        {
            "scope": where,
            "scopes": selectors.other_scopes(user=request.user),
            "quarter": quarter,
            "tables": tables,
            "note": note,
        },
    )
