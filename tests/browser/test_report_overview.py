"""The report page as a case overview (issue 18): state, deadline and owner at the top, the
step due next as the main action, the rest in sections that fold — all by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.factories import RegionFactory, confirmed_totp_device, make_user

from .conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_page_leads_with_the_next_step_and_folds_the_rest_by_keyboard(page: Page):
    from vangnet.testing.reports import a_report

    region = RegionFactory.create(name="Utrecht")
    triage = make_user(Role.TRIAGE, region=region)
    report = a_report(region).report
    log_in(page, triage, confirmed_totp_device(triage))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/staff/reports/{report.pk}/")

    header = page.locator(".case-header")
    expect(header).to_contain_text("Ontvangen")  # the state
    expect(header).to_contain_text("Termijn")
    expect(header).to_contain_text("Behandelaar")
    # The step due next leads, open; the next section after the header is that step.
    next_step = page.locator(".case-next")
    expect(next_step.get_by_role("heading", name="Volgende stap")).to_be_visible()
    expect(
        next_step.get_by_role("button", name="Veiligheidsbeoordeling vastleggen")
    ).to_be_visible()
    check_page(page)

    # Persons fold away and come back, by keyboard only.
    persons = page.locator("summary", has_text="Betrokkenen")
    persons.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="Betrokkenen bij de melding")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="Betrokkenen bij de melding")).to_be_visible()

    # The state stays in view while scrolling down to the journal.
    page.locator("summary", has_text="Journaal").scroll_into_view_if_needed()
    expect(header).to_be_in_viewport()

    # The reporter's identity stays behind its logged reveal, by keyboard too.
    expect(page.get_by_role("main")).not_to_contain_text("Annemiek de Vries")
    reason = page.get_by_label("Waarom heeft u de gegevens van de melder nodig?")
    reason.focus()
    page.keyboard.type("Melder terugbellen over het gesprek met de ouders")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Gegevens melder tonen")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("reporter-identity")).to_contain_text("Annemiek de Vries")
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.VIEW, object_type="reports.reporter", user_id=triage.pk
    ).exists()
    check_page(page)
