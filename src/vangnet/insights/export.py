"""The quarterly statistics (as Veilig Thuis reports them to CBS), protected and as CSV or ODS.

Tables per quarter: advice and reports; advice and reports by form of violence; advice by
asker and reports by reporter; advice and reports by outcome. The columns are the regions
(national scope) or the three months of the quarter (one region). Read from the rollup only.
Every table goes through `suppression.ProtectedTable`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vangnet.contacts.models import AskerType, ViolenceForm
from vangnet.regions.models import Region
from vangnet.reports.workflow import TriageOutcome

from .charts import source_labels
from .figures import tallies
from .models import Metric
from .selectors import Period, Scope
from .suppression import ProtectedTable


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str | None, *, today: date) -> Quarter:
        """ "2026-3" (or "2026-K3"); by default the last full quarter."""
        try:
            year, number = (text or "").upper().replace("K", "").split("-")
            quarter = cls(int(year), int(number))
            if 1 <= quarter.number <= 4 and 2000 <= quarter.year <= 2100:
                return quarter
        except ValueError:
            pass
        current = (today.month - 1) // 3 + 1
        return cls(today.year - 1, 4) if current == 1 else cls(today.year, current - 1)

    @property
    def code(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def months(self) -> list[date]:
        return [date(self.year, 3 * (self.number - 1) + m, 1) for m in (1, 2, 3)]

    @property
    def period(self) -> Period:
        first = self.months[0]
        after = (
            date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, first.month + 3, 1)
        )
        return Period(first, date.fromordinal(after.toordinal() - 1))


def method_note(threshold: int) -> str:
    return _(
        "Celbeveiliging: aantallen groter dan 0 en kleiner dan %(threshold)s zijn weggelaten "
        "(x, primaire onderdrukking). Daarna zijn zo weinig mogelijk andere cellen weggelaten "
        "(secundaire onderdrukking), zodat geen weggelaten cel uit de gepubliceerde cellen en "
        "de totalen terug te rekenen is: elke rij en kolom met een weggelaten cel heeft er "
        "minstens twee, en elke weggelaten cel ligt op een rondgang van weggelaten cellen. "
        "Totalen zijn de ware totalen. Een melding of advies over meer vormen van geweld telt "
        "bij elke vorm."
    ) % {"threshold": threshold}


def _columns(scope: Scope, quarter: Quarter) -> tuple[list[str], list[object]]:
    if scope.national:
        regions = list(Region.objects.filter(pk__in=scope.region_ids))
        return [r.code for r in regions], [r.pk for r in regions]
    return [date_format(m, "F Y") for m in quarter.months], [m.month for m in quarter.months]


def _counts(scope: Scope, quarter: Quarter, metric: str) -> dict[tuple[str, object], int]:
    period = quarter.period
    rows = (
        tallies(scope.region_ids, period, metric)  # a quarter's months from the month sums
        .values("key", "region_id", "day")
        .annotate(n=Sum("count"))
    )
    counts: dict[tuple[str, object], int] = defaultdict(int)
    for row in rows:
        column = row["region_id"] if scope.national else row["day"].month
        counts[(row["key"], column)] += row["n"]
    return counts


def statistics_tables(
    scope: Scope, quarter: Quarter, *, threshold: int | None = None
) -> list[ProtectedTable]:
    threshold = threshold if threshold is not None else settings.INSIGHTS_SUPPRESSION_THRESHOLD
    labels, keys = _columns(scope, quarter)
    column_title = _("Regio") if scope.national else _("Maand")

    def table(
        table_id: str, title: str, row_title: str, metric: str, rows: Sequence[tuple[str, object]]
    ) -> ProtectedTable:
        counts = _counts(scope, quarter, metric)
        return ProtectedTable(
            id=table_id,
            title=f"{title} — {column_title.lower()}",
            row_title=row_title,
            row_labels=[str(label) for _key, label in rows],
            column_labels=labels,
            values=[[counts.get((key, column), 0) for column in keys] for key, _l in rows],
            threshold=threshold,
        )

    advice = _counts(scope, quarter, Metric.CONTACTS_DAY)
    reports = _counts(scope, quarter, Metric.REPORTS)
    totals = ProtectedTable(
        id="advice-and-reports",
        title=_("Adviezen en meldingen") + f" — {column_title.lower()}",
        row_title=_("Soort"),
        row_labels=[_("Adviezen"), _("Meldingen")],
        column_labels=labels,
        values=[
            [sum(n for (_k, c), n in advice.items() if c == column) for column in keys],
            [sum(n for (_k, c), n in reports.items() if c == column) for column in keys],
        ],
        threshold=threshold,
    )
    outcomes = [*TriageOutcome.choices, ("", _("Nog geen triage"))]
    return [
        totals,
        table(
            "advice-forms",
            _("Adviezen naar vorm van geweld"),
            _("Vorm"),
            Metric.ADVICE_FORM,
            ViolenceForm.choices,
        ),
        table(
            "report-forms",
            _("Meldingen naar vorm van geweld"),
            _("Vorm"),
            Metric.REPORT_FORM,
            ViolenceForm.choices,
        ),
        table(
            "advice-askers",
            _("Adviezen naar vrager"),
            _("Vrager"),
            Metric.ADVICE_ASKER,
            AskerType.choices,
        ),
        table(
            "report-sources",
            _("Meldingen naar melder"),
            _("Melder"),
            Metric.REPORT_SOURCE,
            list(source_labels().items()),
        ),
        table(
            "advice-outcomes",
            _("Adviezen naar uitkomst"),
            _("Uitkomst"),
            Metric.ADVICE_OUTCOME,
            [
                ("advice", _("Advies")),
                ("advised_to_report", _("Uitgelegd hoe te melden")),
                ("referred", _("Verwezen")),
            ],
        ),
        table(
            "report-outcomes",
            _("Meldingen naar triagebesluit"),
            _("Besluit"),
            Metric.TRIAGE_OUTCOME,
            outcomes[:-1],
        ),
    ]


def as_csv(tables: list[ProtectedTable], *, heading: str, note: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([heading])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerows(table.published_rows(_("Totaal")))
    writer.writerow([])
    writer.writerow([note])
    return out.getvalue()


ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"


def _ods_cell(value: object) -> str:
    if isinstance(value, int):
        kind = f'office:value-type="float" office:value="{value}"'
    else:
        kind = 'office:value-type="string"'
    return f"<table:table-cell {kind}><text:p>{escape(str(value))}</text:p></table:table-cell>"


def _ods_sheet(name: str, rows: Iterable[Sequence[object]]) -> str:
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
        for row in rows
    )
    return f'<table:table table:name="{escape(name[:31])}">{body}</table:table>'


def as_ods(tables: list[ProtectedTable], *, heading: str, note: str) -> bytes:
    """A minimal OpenDocument spreadsheet: one sheet per table and one with the method."""
    sheets = [
        _ods_sheet(f"{i + 1} {table.id}", [[table.title], *table.published_rows(_("Totaal"))])
        for i, table in enumerate(tables)
    ]
    sheets.append(_ods_sheet(_("Methode"), [[heading], [note]]))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        + "".join(sheets)
        + "</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first and uncompressed (OpenDocument 1.2, part 3, 3.3).
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
