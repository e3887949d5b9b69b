"""Charts drawn on the server as accessible SVG, each with the same data as a table and CSV.

A `Chart` is a title, a description, a table (columns and rows) and the SVG drawn from that
table: `role="img"` with `<title>` and `<desc>`, no script, no style attribute (CSP), colours
from classes in vangnet.css. The page shows the table right behind the picture, and the CSV
download is the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.contacts.models import Channel, Sector, ViolenceForm
from vangnet.reports.workflow import TriageOutcome

from .figures import Dashboard, Timeliness

WEEKDAYS = (
    gettext_lazy("maandag"),
    gettext_lazy("dinsdag"),
    gettext_lazy("woensdag"),
    gettext_lazy("donderdag"),
    gettext_lazy("vrijdag"),
    gettext_lazy("zaterdag"),
    gettext_lazy("zondag"),
)

Cell = str | int | None


@dataclass
class Chart:
    id: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[Cell]]
    svg: SafeString = field(default=mark_safe(""))
    section: str = ""


def percent(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)} %"


def _weekday_labels() -> list[str]:
    return [str(day) for day in WEEKDAYS]


def _svg_open(chart_id: str, title: str, description: str, width: int, height: int) -> str:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        width,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )


def heat_map_svg(chart_id: str, title: str, description: str, grid: list[list[int]]) -> SafeString:
    cell, left, top = 22, 78, 18
    width, height = left + 24 * cell + 4, top + 7 * cell + 4
    peak = max((max(row) for row in grid), default=0) or 1
    parts = [_svg_open(chart_id, title, description, width, height)]
    for hour in range(0, 24, 3):
        parts.append(
            format_html(
                '<text class="chart__axis" x="{}" y="12">{}</text>', left + hour * cell + 2, hour
            )
        )
    for day, label in enumerate(_weekday_labels()):
        y = top + day * cell
        parts.append(format_html('<text class="chart__axis" x="0" y="{}">{}</text>', y + 15, label))
        for hour, value in enumerate(grid[day]):
            level = 0 if value == 0 else 1 + min(4, int(4 * value / peak))
            parts.append(
                format_html(
                    '<rect class="heat heat--{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{} {}:00 — {}</title></rect>",
                    level,
                    left + hour * cell,
                    y,
                    cell - 2,
                    cell - 2,
                    label,
                    hour,
                    value,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every part above is escaped by format_html)


def bars_svg(
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[tuple[str, list[float]]],
    *,
    norm: float | None = None,
    unit: str = "",
) -> SafeString:
    """Horizontal bars, one group per label, one bar per series (this period, a year earlier)."""
    bar, gap, left, right = 12, 10, 210, 60
    plot = 360
    group = bar * len(series) + gap
    height = 24 + group * max(1, len(labels))
    width = left + plot + right
    peak = max([v for _name, values in series for v in values] + [norm or 0, 0]) or 1
    parts = [_svg_open(chart_id, title, description, width, height)]
    for s, (name, _values) in enumerate(series):
        parts.append(
            format_html(
                '<rect class="bar bar--{}" x="{}" y="4" width="10" height="10"></rect>'
                '<text class="chart__axis" x="{}" y="13">{}</text>',
                s,
                left + s * 150,
                left + s * 150 + 14,
                name,
            )
        )
    for i, label in enumerate(labels):
        y = 22 + i * group
        parts.append(
            format_html('<text class="chart__label" x="0" y="{}">{}</text>', y + bar, label[:34])
        )
        for s, (_name, values) in enumerate(series):
            value = values[i]
            length = plot * value / peak
            parts.append(
                format_html(
                    '<rect class="bar bar--{}" x="{}" y="{}" width="{}" height="{}"></rect>'
                    '<text class="chart__value" x="{}" y="{}">{}{}</text>',
                    s,
                    left,
                    y + s * bar,
                    f"{length:.1f}",
                    bar - 2,
                    f"{left + length + 4:.1f}",
                    y + s * bar + bar - 3,
                    f"{value:g}",
                    unit,
                )
            )
    if norm is not None:
        x = left + plot * norm / peak
        parts.append(
            format_html(
                '<line class="chart__norm" x1="{}" y1="18" x2="{}" y2="{}"></line>'
                '<text class="chart__axis" x="{}" y="{}">{} {}{}</text>',
                f"{x:.1f}",
                f"{x:.1f}",
                height,
                f"{x + 3:.1f}",
                height - 2,
                _("norm"),
                f"{norm:g}",
                unit,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every part above is escaped by format_html)


def _compare_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Mapping[str, object],
    current: dict[str, int],
    earlier: dict[str, int],
    section: str,
) -> Chart:
    keys = [k for k in labels if current.get(k) or earlier.get(k)]
    keys += sorted(k for k in set(current) | set(earlier) if k not in labels)
    names = [str(labels.get(k, k)) for k in keys]
    this_period, year_earlier = _("Deze periode"), _("Jaar eerder")
    rows: list[list[Cell]] = [
        [names[i], current.get(k, 0), earlier.get(k, 0)] for i, k in enumerate(keys)
    ]
    svg = bars_svg(
        chart_id,
        title,
        description,
        names,
        [
            (this_period, [float(current.get(k, 0)) for k in keys]),
            (year_earlier, [float(earlier.get(k, 0)) for k in keys]),
        ],
    )
    return Chart(
        chart_id,
        title,
        description,
        [_("Categorie"), this_period, year_earlier],
        rows,
        svg,
        section,
    )


def source_labels() -> dict[str, str]:
    labels = {"police": str(_("Politie"))}
    labels.update(
        {
            code: f"{_('Professional')}: {label}"
            for code, label in Sector.choices
            if code != "police"
        }
    )
    labels["citizen"] = str(_("Burger"))
    labels["unknown"] = str(_("Onbekend"))
    return labels


def _timeliness_row(label: str, now: Timeliness, before: Timeliness) -> list[Cell]:
    return [
        label,
        now.on_time,
        now.measured,
        percent(now.on_time_share),
        percent(before.on_time_share),
        f"{now.norm_percent} %",
        now.open_overdue,
    ]


def build_charts(board: Dashboard) -> list[Chart]:
    current, earlier = board.current, board.earlier
    charts: list[Chart] = []
    for channel, label in Channel.choices:
        grid = current.heat_map[channel]
        total = sum(map(sum, grid))
        title = _("Contacten per uur en weekdag: %(channel)s") % {"channel": label}
        description = _(
            "%(total)s contacten via %(channel)s in deze periode, per weekdag (rijen) en uur "
            "van de dag (kolommen); donkerder is drukker. Een jaar eerder: %(earlier)s."
        ) % {
            "total": total,
            "channel": str(label).lower(),
            "earlier": sum(map(sum, earlier.heat_map[channel])),
        }
        rows: list[list[Cell]] = [[day, *grid[i]] for i, day in enumerate(_weekday_labels())]
        charts.append(
            Chart(
                f"heatmap-{channel}",
                title,
                description,
                [_("Weekdag")] + [f"{h}:00" for h in range(24)],
                rows,
                heat_map_svg(f"heatmap-{channel}", title, description, grid),
                "load",
            )
        )
    weeks = sorted(set(current.advice_weekly) | set(current.reports_weekly))
    title = _("Adviezen en meldingen per week")
    description = _(
        "%(advice)s adviezen en %(reports)s meldingen in deze periode; een jaar eerder "
        "%(advice_before)s adviezen en %(reports_before)s meldingen."
    ) % {
        "advice": current.advice_total,
        "reports": current.reports_total,
        "advice_before": earlier.advice_total,
        "reports_before": earlier.reports_total,
    }
    week_labels = [_week_label(w) for w in weeks]
    charts.append(
        Chart(
            "advice-reports-weekly",
            title,
            description,
            [_("Week van"), _("Adviezen"), _("Meldingen")],
            [
                [week_labels[i], current.advice_weekly.get(w, 0), current.reports_weekly.get(w, 0)]
                for i, w in enumerate(weeks)
            ],
            bars_svg(
                "advice-reports-weekly",
                title,
                description,
                week_labels,
                [
                    (_("Adviezen"), [float(current.advice_weekly.get(w, 0)) for w in weeks]),
                    (_("Meldingen"), [float(current.reports_weekly.get(w, 0)) for w in weeks]),
                ],
            ),
            "load",
        )
    )
    charts.append(
        _compare_chart(
            "report-sources",
            _("Meldingen naar melder"),
            _("Wie meldde: de politie, een professional per sector, of een burger."),
            source_labels(),
            current.report_sources,
            earlier.report_sources,
            "load",
        )
    )
    charts.append(
        _compare_chart(
            "report-forms",
            _("Meldingen naar vorm van geweld"),
            _("Een melding kan over meer vormen gaan; dan telt zij bij elke vorm."),
            dict(ViolenceForm.choices),
            current.report_forms,
            earlier.report_forms,
            "load",
        )
    )
    chat, chat_before = current.chat, earlier.chat

    def seconds(value: float | None) -> str:
        return "-" if value is None else f"{round(value)} s"

    def minutes(value: float | None) -> str:
        return "-" if value is None else f"{value / 60:.1f} min"

    title = _("De chat")
    description = _(
        "%(offered)s chats aangeboden; de helft wachtte hoogstens %(p50)s, negen van de tien "
        "hoogstens %(p90)s."
    ) % {"offered": chat.offered, "p50": seconds(chat.wait_p50), "p90": seconds(chat.wait_p90)}
    charts.append(
        Chart(
            "chat",
            title,
            description,
            [_("Maat"), _("Deze periode"), _("Jaar eerder")],
            [
                [_("Chats aangeboden"), chat.offered, chat_before.offered],
                [_("Beantwoord"), chat.answered, chat_before.answered],
                [_("Wachttijd p50"), seconds(chat.wait_p50), seconds(chat_before.wait_p50)],
                [_("Wachttijd p90"), seconds(chat.wait_p90), seconds(chat_before.wait_p90)],
                [
                    _("Doorgezet naar landelijk loket"),
                    percent(chat.overflow_share),
                    percent(chat_before.overflow_share),
                ],
                [
                    _("Vertrokken voor antwoord"),
                    percent(chat.abandoned_share),
                    percent(chat_before.abandoned_share),
                ],
                [
                    _("Gemiddelde gespreksduur"),
                    minutes(chat.average_handling_seconds),
                    minutes(chat_before.average_handling_seconds),
                ],
            ],
            mark_safe(""),
            "chat",
        )
    )
    title = _("Duur van de chatgesprekken (minuten)")
    description = _("Aantal gesprekken per duur; de meeste duren 15 tot 20 minuten.")
    labels = [label for label, _n in chat.durations]
    charts.append(
        Chart(
            "chat-durations",
            title,
            description,
            [_("Minuten"), _("Deze periode"), _("Jaar eerder")],
            [
                [label, n, chat_before.durations[i][1]]
                for i, (label, n) in enumerate(chat.durations)
            ],
            bars_svg(
                "chat-durations",
                title,
                description,
                labels,
                [
                    (_("Deze periode"), [float(n) for _l, n in chat.durations]),
                    (_("Jaar eerder"), [float(n) for _l, n in chat_before.durations]),
                ],
            ),
            "chat",
        )
    )
    rows = [
        _timeliness_row(
            _("Veiligheidsbeoordeling met triage binnen 5 werkdagen"),
            current.assessment,
            earlier.assessment,
        ),
        _timeliness_row(
            _("Onderzoek binnen 10 weken"), current.investigation, earlier.investigation
        ),
        _timeliness_row(
            _("Terugkoppeling aan de melder op tijd"), current.feedback, earlier.feedback
        ),
    ]
    title = _("Termijnen van het Handelingsprotocol")
    description = _(
        "Van de meldingen ontvangen in deze periode: het deel waarvan de stap op tijd gezet is. "
        "Veldnorm: %(a)s %% van de beoordelingen binnen 5 werkdagen, %(i)s %% van de onderzoeken "
        "binnen 10 weken."
    ) % {"a": current.assessment.norm_percent, "i": current.investigation.norm_percent}
    shares = [current.assessment, current.investigation, current.feedback]
    charts.append(
        Chart(
            "protocol",
            title,
            description,
            [
                _("Termijn"),
                _("Op tijd"),
                _("Gemeten"),
                _("Deze periode"),
                _("Jaar eerder"),
                _("Norm"),
                _("Open en over de termijn"),
            ],
            rows,
            bars_svg(
                "protocol",
                title,
                description,
                [str(r[0]) for r in rows],
                [
                    (_("Deze periode"), [round((t.on_time_share or 0) * 100) for t in shares]),
                    (
                        _("Jaar eerder"),
                        [
                            round((t.on_time_share or 0) * 100)
                            for t in (earlier.assessment, earlier.investigation, earlier.feedback)
                        ],
                    ),
                ],
                norm=float(current.assessment.norm_percent),
                unit=" %",
            ),
            "protocol",
        )
    )
    charts.append(
        _compare_chart(
            "triage-outcomes",
            _("Triagebesluiten"),
            _("De uitkomst van de triage van de meldingen uit deze periode."),
            dict(TriageOutcome.choices),
            current.triage_outcomes,
            earlier.triage_outcomes,
            "protocol",
        )
    )
    now = board.now
    charts.append(
        Chart(
            "caseload",
            _("Werkvoorraad per medewerker"),
            _("Open meldingen, open adviesdossiers en chats van deze week, per medewerker."),
            [_("Medewerker"), _("Open meldingen"), _("Open adviesdossiers"), _("Chats deze week")],
            [
                [r.employee, r.open_reports, r.open_dossiers, r.chats_this_week]
                for r in now.caseload
            ],
            mark_safe(""),
            "now",
        )
    )
    return charts


def _week_label(monday: date) -> str:
    return monday.isoformat()


def chart_by_id(charts: list[Chart], chart_id: str) -> Chart | None:
    return next((c for c in charts if c.id == chart_id), None)


__all__ = ["Chart", "build_charts", "chart_by_id", "escape", "percent"]
