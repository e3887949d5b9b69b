"""A school's report from receipt to the local team: what the school, Veilig Thuis and the
local team each do, and what the school hears back — who handles it, and nothing more."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from vangnet.accounts.models import Role, User
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.regions.models import PartnerOrganisation
from vangnet.reports.models import Report
from vangnet.reports.workflow import ReportState
from vangnet.testing.factories import (
    PartnerOrganisationFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
)

from .conftest import ACTION_TIMEOUT_MS, PageChecks, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_step(page: Page, label: str) -> None:
    """Open a step's form; the step due next is already open (the case's main action)."""
    step = page.locator("details.step", has=page.locator("summary", has_text=label))
    if step.get_attribute("open") is None:
        step.locator("summary").click()
    expect(step).to_have_attribute("open", "")


@pytest.fixture
def person_page(
    browser: Browser, live_server: LiveServer, page_checks: PageChecks
) -> Iterator[Callable[[User | None], Page]]:
    """A browser of its own for each person (logged in when a user is given)."""
    contexts = []

    def make(user: User | None) -> Page:
        context = browser.new_context(locale="nl-NL", base_url=live_server.url)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page_checks.watch(page)
        if user is not None:
            log_in(page, user, confirmed_totp_device(user))
        return page

    yield make
    problems = page_checks.finish([opened for context in contexts for opened in context.pages])
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("accessibility problems (WCAG 2.1 A/AA, ids):\n" + "\n".join(problems))


def test_a_schools_report_reaches_the_local_team_and_the_school_hears_who_handles_it(
    page: Page, person_page: Callable[[User | None], Page], live_server: LiveServer, settings
):
    settings.PUBLIC_BASE_URL = live_server.url  # the link in the receipt points here
    region = RegionFactory.create(name="Utrecht")
    PartnerOrganisationFactory.create(
        region=region, kind=PartnerOrganisation.Kind.LOCAL_TEAM, name="Wijkteam Utrecht Oost"
    )
    team = PartnerOrganisation.objects.get(name="Wijkteam Utrecht Oost")
    triage = make_user(Role.TRIAGE, region=region, first_name="Sanne", last_name="Visser")
    scientist = make_user(
        Role.BEHAVIOURAL_SCIENTIST, region=region, first_name="Joost", last_name="de Boer"
    )
    member = make_user(Role.LOCAL_TEAM_MEMBER, region=region, organisation=team, first_name="Ilse")

    # Receipt: the school's meldcode contact person phones; triage takes the report.
    log_in(page, triage, confirmed_totp_device(triage))
    page.get_by_role("link", name="Meldingen").click()
    page.get_by_role("link", name="Melding opnemen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Melding opnemen — Utrecht")
    expect(page.get_by_label("Telefoon", exact=True)).to_be_checked()
    page.get_by_label("Naam melder").fill("Annemiek de Vries")
    page.get_by_label("Organisatie").fill("Basisschool De Regenboog")
    page.get_by_label("Sector").select_option("education")
    page.get_by_label("Telefoon melder").fill("030-1234567")
    page.get_by_label("E-mail melder").fill("a.devries@regenboog.example")
    page.get_by_label("De melder wil niet dat het gezin weet wie meldde").check()
    child = page.get_by_role("group", name="Betrokkene 1")
    child.get_by_label("Naam").fill("Sem Jansen")
    child.get_by_label("Geboortedatum").fill("2016-04-12")
    child.get_by_label("Burgerservicenummer").fill("111222333")
    child.get_by_label("Slachtoffer").check()
    parent = page.get_by_role("group", name="Betrokkene 2")
    parent.get_by_label("Naam").fill("Peter Jansen")
    parent.get_by_label("Vermoedelijk pleger").check()
    page.get_by_label("Lichamelijke mishandeling").check()
    page.get_by_label("Zorgen", exact=True).fill(
        "Sem komt al weken met blauwe plekken op school en wil niet naar huis."
    )
    page.get_by_label("Wat de melder al deed (meldcode)").fill(
        "Gesprek met moeder gevoerd; collega en Veilig Thuis geraadpleegd."
    )
    page.get_by_role("button", name="Melding opnemen").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("ontvangen")
    status_url = page.get_by_test_id("status-url").inner_text()
    report = Report.objects.get()
    assert report.reference in status_url

    # Safety assessment, then the triage decision that waits for the second pair of eyes.
    page.get_by_role("link", name="Naar de melding").click()
    open_step(page, "Veiligheidsbeoordeling vastleggen")
    page.get_by_label("Structurele onveiligheid").check()
    page.get_by_label("Veiligheidsbeoordeling", exact=True).fill(
        "Herhaald letsel; moeder erkent spanningen. Geen direct gevaar vandaag."
    )
    page.get_by_role("button", name="Veiligheidsbeoordeling vastleggen").click()
    expect(page.get_by_test_id("state")).to_have_text("Veiligheid beoordeeld, wacht op triage")
    open_step(page, "Triagebesluit vastleggen")
    page.get_by_label("Overdracht aan lokaal team of SAVE-team").check()
    page.get_by_label("Onderbouwing").fill("Ouders staan open voor hulp; het wijkteam kan dit.")
    page.get_by_role("button", name="Triagebesluit vastleggen").click()
    expect(page.get_by_test_id("state")).to_have_text("Triagebesluit wacht op tweede akkoord")
    expect(page.get_by_role("button", name="Triagebesluit goedkeuren (vier ogen)")).to_have_count(0)

    # Four eyes: the behavioural scientist approves.
    desk = person_page(scientist)
    desk.goto(f"/staff/reports/{report.pk}/")
    desk.get_by_role("button", name="Triagebesluit goedkeuren (vier ogen)").click()
    expect(desk.get_by_test_id("state")).to_have_text("Triagebesluit genomen")
    expect(desk.get_by_role("main")).to_contain_text("Goedgekeurd door Joost de Boer")

    # Transfer to the local team.
    page.reload()
    open_step(page, "Overdragen aan lokaal team of SAVE-team")
    page.get_by_label("Ontvangend team").select_option(label="Wijkteam Utrecht Oost")
    page.get_by_label("Wat het team moet weten").fill(
        "Gezin heeft opvoedsteun nodig; vader staat open voor een gesprek."
    )
    page.get_by_role("button", name="Overdragen aan lokaal team of SAVE-team").click()
    expect(page.get_by_test_id("state")).to_have_text("Overdracht wacht op acceptatie")
    expect(page.get_by_test_id("lead")).to_have_text("Veilig Thuis Utrecht")

    # The local team accepts in its partner workspace; it never sees who reported.
    team_page = person_page(member)
    team_page.get_by_role("link", name="Overdrachten").click()
    team_page.get_by_role("link", name=report.reference).click()
    main = team_page.get_by_role("main")
    expect(main).to_contain_text("Sem Jansen")
    expect(main).not_to_contain_text("Annemiek")
    expect(main).not_to_contain_text("Regenboog")
    team_page.get_by_role("button", name="Overdracht accepteren").click()
    expect(team_page.get_by_test_id("accepted")).to_contain_text("Uw team heeft de regie")

    page.reload()
    expect(page.get_by_test_id("state")).to_have_text("Overgedragen")
    expect(page.get_by_test_id("lead")).to_have_text("Wijkteam Utrecht Oost")

    # The school opens its status link: who handles it, and nothing about the family.
    school = person_page(None)
    school.goto(status_url)
    expect(school.get_by_test_id("handled-by")).to_have_text("Wijkteam Utrecht Oost")
    status = school.get_by_role("main")
    for private in ("Sem", "Jansen", "blauwe plekken", "opvoedsteun", "letsel", "Annemiek"):
        expect(status).not_to_contain_text(private)

    report.refresh_from_db()
    assert report.state == ReportState.TRANSFERRED
    assert report.triage_approved_by == scientist


def test_the_reporters_identity_is_shown_on_request_and_the_log_says_who_and_why(page: Page):
    from vangnet.testing.reports import a_report

    region = RegionFactory.create(name="Utrecht")
    triage = make_user(Role.TRIAGE, region=region)
    report = a_report(region).report
    log_in(page, triage, confirmed_totp_device(triage))

    page.goto(f"/staff/reports/{report.pk}/")
    expect(page.get_by_role("main")).not_to_contain_text("Annemiek de Vries")
    page.get_by_label("Waarom heeft u de gegevens van de melder nodig?").fill(
        "Melder terugbellen over het gesprek met de ouders"
    )
    page.get_by_role("button", name="Gegevens melder tonen").click()
    expect(page.get_by_test_id("reporter-identity")).to_contain_text("Annemiek de Vries")

    entry = AccessLogEntry.objects.get(action=AccessLogAction.VIEW, object_type="reports.reporter")
    assert entry.user_id == triage.pk
    assert entry.reason == "Melder terugbellen over het gesprek met de ouders"
