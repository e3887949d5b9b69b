"""A parent asks Veilig Thuis for a copy of the file about their child (issue 17): the team
lead registers the request, reviews every passage, and releases a PDF that holds the child's
data and no trace of the reporter; a correction and an own statement appear in the next copy
and in the transfer document; a destruction request is refused with its ground."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import Page, expect

from vangnet.accounts.models import Role
from vangnet.reports import services
from vangnet.reports.models import Report
from vangnet.testing.factories import (
    PartnerOrganisationFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
)
from vangnet.testing.reports import CHILD, FATHER, SCHOOL_REPORTER, a_report

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The reporter is named by a string found nowhere else: any trace of it in a copy is a leak.
CANARY = "Zwaluwstaart-Qx7"


def _transferred_report_of_a_named_reporter() -> Report:
    region = RegionFactory.create(name="Utrecht")
    team = PartnerOrganisationFactory.create(region=region, name="Wijkteam Oost")
    triage = make_user(Role.TRIAGE, region=region)
    report = a_report(
        region,
        by=triage,
        reporter=replace(SCHOOL_REPORTER, name=f"Juf {CANARY}", organisation=f"OBS {CANARY}"),
        concerns=f"Juf {CANARY} ziet al weken blauwe plekken bij Sem.",
        signals="Sem is stil in de klas.",
    ).report
    report = services.record_safety_assessment(
        report=report, by=triage, acute_unsafety=False, structural_unsafety=True, assessment="Zorg."
    )
    report = services.record_triage_decision(
        report=report, by=triage, outcome="local_team", rationale="Hulp via het wijkteam."
    )
    report = services.approve_triage(
        report=report, by=make_user(Role.BEHAVIOURAL_SCIENTIST, region=region)
    )
    return services.transfer_report(
        report=report, to_team=team, by=triage, summary="Gezin heeft opvoedsteun nodig."
    )


def _register(page: Page, reference: str, kind: str) -> None:
    page.goto("/staff/rights/requests/")
    page.get_by_label("Kenmerk van de melding").fill(reference)
    page.get_by_role("button", name="Dossier zoeken").click()
    page.get_by_label("Wat wordt gevraagd?").select_option(label=kind)
    page.get_by_label("Voor wie?").select_option(label=f"{CHILD.name} (Kind)")
    page.get_by_label("Wie vraagt het?").select_option(label="Ouder met gezag of voogd")
    page.get_by_label("Naam van wie vraagt").fill("Mirjam Jansen")
    page.get_by_role("button", name="Verzoek registreren").click()
    expect(page.get_by_test_id("request-state")).to_have_text("In behandeling")


def _review_and_download(page: Page) -> bytes:
    for passage in page.get_by_test_id("passage").all():
        heading = passage.locator("legend").inner_text()
        if "melder" in passage.inner_text() and "onthullen" in passage.inner_text():
            continue  # marked by the system: never released
        if "andere betrokkene" in heading:
            passage.get_by_label("Niet verstrekken", exact=True).check()
            passage.get_by_role("textbox").fill("Gegevens van een ander")
        else:
            passage.get_by_label("Verstrekken", exact=True).check()
    page.get_by_role("button", name="Beoordeling vastleggen en afschrift vrijgeven").click()
    expect(page.get_by_test_id("request-state")).to_have_text("Deels uitgevoerd")
    with page.expect_download() as download:
        page.get_by_test_id("copy-pdf").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        return pdf.read()


def test_a_parent_gets_a_reviewed_copy_about_their_child_without_the_reporter(page: Page):
    report = _transferred_report_of_a_named_reporter()
    lead = make_user(Role.TEAM_LEAD, region=report.region)
    log_in(page, lead, confirmed_totp_device(lead))

    _register(page, report.reference, "Afschrift")
    concerns = page.get_by_test_id("passage").filter(has_text="Zorgen")
    expect(concerns).to_contain_text("Kan de melder onthullen")
    expect(concerns).not_to_contain_text(CANARY)
    pdf = _review_and_download(page)
    assert CHILD.name.encode() in pdf
    assert b"Sem is stil in de klas." in pdf
    for trace in (CANARY, SCHOOL_REPORTER.phone, SCHOOL_REPORTER.email, FATHER.name):
        assert trace.encode() not in pdf

    # A correction of the child's address, and the parent's own statement.
    _register(page, report.reference, "Correctie")
    page.get_by_label("Wat wordt gecorrigeerd?").select_option(label="Van de betrokkene: adres")
    page.get_by_label("De juiste tekst").fill("Kastanjelaan 9, Utrecht")
    page.get_by_role("button", name="Correctie vastleggen").click()
    expect(page.get_by_test_id("request-state")).to_have_text("Uitgevoerd")
    _register(page, report.reference, "Eigen verklaring")
    page.get_by_label("Eigen verklaring van de betrokkene").fill(
        "Moeder: de plekken komen van het voetballen."
    )
    page.get_by_role("button", name="Verklaring toevoegen").click()
    expect(page.get_by_test_id("request-state")).to_have_text("Uitgevoerd")

    _register(page, report.reference, "Afschrift")
    pdf = _review_and_download(page)
    assert b"Kastanjelaan 9, Utrecht" in pdf
    assert b"de plekken komen van het voetballen" in pdf
    assert CANARY.encode() not in pdf
    transfer = page.request.get(f"/staff/reports/{report.pk}/transfer.pdf").body()
    assert b"Kastanjelaan 9, Utrecht" in transfer
    assert b"de plekken komen van het voetballen" in transfer
    assert CANARY.encode() not in transfer

    # Destruction: refused, with the ground.
    _register(page, report.reference, "Vernietiging")
    page.get_by_role("radio", name="Weigeren").check()
    page.get_by_label("Grond bij weigeren (optioneel)").select_option(
        label="Aanmerkelijk belang van een ander"
    )
    page.get_by_label("Onderbouwing").fill("Het kind heeft er belang bij dat het dossier blijft.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("request-state")).to_have_text("Geweigerd")
    expect(page.get_by_text("Aanmerkelijk belang van een ander:")).to_be_visible()
    assert Report.objects.filter(pk=report.pk).exists()
