"""The quarterly statistics: counted by hand, small cells hidden, totals true."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from vangnet.contacts.models import AskerType, Channel
from vangnet.insights import rollup
from vangnet.insights.export import Quarter, as_csv, as_ods, statistics_tables
from vangnet.insights.selectors import Scope
from vangnet.testing.factories import ContactFactory, RegionFactory

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def test_quarter_tables_count_by_month_and_hide_small_cells():
    region = RegionFactory.create(name="Utrecht")
    # January: 12 about partner violence; February: 2 (small); March: 9. Two more in
    # February about neglect, by a child.
    for month, count in ((1, 12), (2, 2), (3, 9)):
        for n in range(count):
            ContactFactory.create(
                region=region,
                channel=Channel.PHONE,
                received_at=datetime(2026, month, 10, 10, n, tzinfo=AMS),
                forms_of_violence=["partner_violence"],
                asker_type=AskerType.BYSTANDER,
            )
    for n in range(2):
        ContactFactory.create(
            region=region,
            received_at=datetime(2026, 2, 11, 9, n, tzinfo=AMS),
            forms_of_violence=["neglect"],
            asker_type=AskerType.CHILD,
        )
    rollup.rebuild(now=datetime(2026, 4, 2, 9, tzinfo=AMS))
    scope = Scope(code=region.code, label="Utrecht", region_ids=(region.pk,), region=region)
    quarter = Quarter.parse("2026-1", today=date(2026, 4, 2))

    tables = {t.id: t for t in statistics_tables(scope, quarter, threshold=5)}

    totals = tables["advice-and-reports"]
    assert totals.values == [[12, 4, 9], [0, 0, 0]]
    # 4 < 5 is hidden; its row gives up the smaller other cell (9, not 12), and the columns
    # their second cells.
    assert [totals.cell(0, j) for j in range(3)] == [12, "x", "x"]
    assert totals.suppressed == {(0, 1), (0, 2), (1, 1), (1, 2)}
    forms = tables["advice-forms"]
    labels = forms.row_labels
    partner = labels.index("Partnergeweld")
    neglect = labels.index("Verwaarlozing")
    assert forms.values[partner] == [12, 2, 9]
    assert forms.values[neglect] == [0, 2, 0]
    assert forms.suppressed == {(partner, 0), (partner, 1), (neglect, 0), (neglect, 1)}
    assert forms.row_totals[partner] == 23 and forms.grand_total == 25

    csv_text = as_csv(list(tables.values()), heading="Utrecht 2026 K1", note="methode")
    # The two small February cells close a rectangle with January (a column already touched).
    assert "Verwaarlozing;x;x;0;2" in csv_text
    assert "Partnergeweld;x;x;9;23" in csv_text
    ods = zipfile.ZipFile(io.BytesIO(as_ods(list(tables.values()), heading="h", note="n")))
    assert ods.namelist()[0] == "mimetype"
    assert ods.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    assert b"Partnergeweld" in ods.read("content.xml")


def test_the_default_quarter_is_the_last_full_one():
    assert Quarter.parse(None, today=date(2026, 2, 3)).code == "2025-4"
    assert Quarter.parse("", today=date(2026, 8, 3)).code == "2026-2"
    assert Quarter.parse("2026-K3", today=date(2026, 8, 3)).period.end == date(2026, 9, 30)
