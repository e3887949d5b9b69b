"""A team lead reads the region's figures, changes the period, downloads a CSV, checks the
staffing forecast, and cannot open another region's dashboard."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from vangnet.accounts.models import Role
from vangnet.chat.models import ConversationStatus
from vangnet.insights import rollup
from vangnet.testing.factories import (
    ContactFactory,
    ConversationFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
)

from .conftest import ConsoleErrors, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_lead_changes_the_period_and_downloads_a_csv(page: Page):
    utrecht = RegionFactory.create(name="Utrecht")
    lead = make_user(Role.TEAM_LEAD, region=utrecht)
    noon_last_month = timezone.localtime().replace(hour=12, minute=15) - timedelta(days=40)
    for _ in range(3):
        ContactFactory.create(region=utrecht, received_at=noon_last_month)
    rollup.rebuild()

    log_in(page, lead, confirmed_totp_device(lead))
    page.get_by_role("link", name="Inzicht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inzicht — Utrecht")
    phone = page.get_by_role("table", name="Tabel: Contacten per uur en weekdag: Telefoon")
    # The default period (the last four weeks) does not hold the calls of 40 days ago.
    expect(page.get_by_role("img", name="Contacten per uur en weekdag: Telefoon")).to_be_visible()
    expect(page.locator("#heatmap-phone figcaption")).to_contain_text("0 contacten")

    start = (noon_last_month - timedelta(days=3)).date().isoformat()
    end = (noon_last_month + timedelta(days=3)).date().isoformat()
    page.get_by_label("Van", exact=True).fill(start)
    page.get_by_label("Tot en met").fill(end)
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("#heatmap-phone figcaption")).to_contain_text("3 contacten")
    weekday = phone.get_by_role("row").nth(noon_last_month.weekday() + 1)
    expect(weekday.get_by_role("cell").nth(12)).to_have_text("3")

    csv_link = "Download CSV: Contacten per uur en weekdag: Telefoon"
    with page.expect_download() as download_info:
        page.get_by_role("link", name=csv_link).click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert content.splitlines()[1].startswith("Weekdag;0:00;1:00")
    assert ";3;" in content.splitlines()[2 + noon_last_month.weekday()]


def test_forecast_shows_the_staff_needed_per_hour(page: Page):
    utrecht = RegionFactory.create(name="Utrecht")
    lead = make_user(Role.TEAM_LEAD, region=utrecht)
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    # The last Monday before today: with the 7 before it, inside the forecast's 8 weeks.
    monday_noon = now - timedelta(days=now.weekday() or 7)
    for week in range(8):  # 8 weeks, 4 chats of 15 minutes every Monday at noon
        for n in range(4):
            start = monday_noon - timedelta(weeks=week) + timedelta(minutes=10 * n)
            ConversationFactory.create(
                region=utrecht,
                created_at=start,
                accepted_at=start + timedelta(seconds=30),
                ended_at=start + timedelta(seconds=30, minutes=15),
                status=ConversationStatus.CLOSED,
            )
    rollup.rebuild()

    log_in(page, lead, confirmed_totp_device(lead))
    page.goto(f"/staff/insights/{utrecht.code}/")
    page.get_by_role("link", name="Bezetting (prognose)").click()
    page.get_by_label("Percentage chats beantwoord").fill("80")
    page.get_by_label("Binnen (seconden)").fill("60")
    page.get_by_role("button", name="Bereken").click()
    table = page.get_by_role("table", name="Benodigde medewerkers per weekdag en uur — Utrecht")
    row = table.get_by_role("row", name="maandag 12:00")
    # 4 chats an hour of 15 minutes: 1 Erlang; 2 employees answer 80 % within a minute
    # (1 - C(2, 1) · e^(-1·60/900) = 1 - 1/3 · 0.9355 = 69 %);
    # 3 do (1 - 1/11 · e^(-2·60/900) = 92 %).
    expect(row.get_by_role("cell").nth(1)).to_have_text("4,00")
    expect(row.get_by_role("cell").nth(3)).to_have_text("3")
    expect(page.get_by_test_id("handling-time")).to_have_text("900 s")


def test_team_lead_cannot_open_another_regions_dashboard(page: Page, console_errors: ConsoleErrors):
    utrecht, twente = RegionFactory.create(name="Utrecht"), RegionFactory.create(name="Twente")
    lead = make_user(Role.TEAM_LEAD, region=utrecht)
    log_in(page, lead, confirmed_totp_device(lead))
    url = f"/staff/insights/{twente.code}/"
    console_errors.expect_failed_load(page.url.split("/staff/")[0] + url)
    response = page.goto(url)
    assert response is not None and response.status == 403
    expect(page.get_by_role("main")).not_to_contain_text("Inzicht — Twente")
