"""The desk on the phone: register an advice call by keyboard, then group the mentor's call into
the same dossier; an anonymous dossier keeps nobody's personal data."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vangnet.accounts.models import Role
from vangnet.contacts.models import AdviceDossier, Channel, Contact, DossierPerson
from vangnet.reports.models import Report
from vangnet.testing.factories import (
    AdviceDossierFactory,
    ContactFactory,
    DossierPersonFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
)

from .conftest import ConsoleErrors, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advice_call_is_registered_by_keyboard_and_a_second_call_joins_its_dossier(page: Page):
    region = RegionFactory.create(name="Utrecht")
    user = make_user(Role.ADVICE_DESK, region=region, first_name="Sanne", last_name="Visser")
    log_in(page, user, confirmed_totp_device(user))

    page.get_by_role("link", name="Contact registreren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact registreren — Utrecht")
    # The cursor starts at "who is calling"; phone and anonymous are already chosen.
    expect(page.get_by_label("Wie neemt contact op?")).to_be_focused()
    expect(page.get_by_label("Telefoon")).to_be_checked()
    expect(page.get_by_label("Anoniem", exact=True)).to_be_checked()
    page.get_by_label("Wie neemt contact op?").select_option("bystander")
    page.get_by_label("Verwaarlozing").check()
    page.get_by_label("Vraag of verhaal").fill(
        "Buurvrouw hoort 's avonds kinderen huilen; de ouders schreeuwen vaak."
    )
    page.get_by_label("Gegeven advies").fill(
        "Signalen besproken. Zij spreekt de moeder aan en belt terug als het niet beter gaat."
    )
    page.get_by_label("Duur in minuten").fill("9")
    page.get_by_label("Gegeven advies").press("Control+Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Adviesdossier AD-")
    expect(page.get_by_role("main")).to_contain_text("Contact geregistreerd in adviesdossier")
    expect(page.get_by_role("main")).to_contain_text("Geen personen: het dossier is anoniem.")
    dossier = AdviceDossier.objects.get()
    assert dossier.contacts.get().duration_minutes == 9

    # Days later the mentor calls about the same child: into the same dossier.
    page.get_by_role("link", name="Contact toevoegen").click()
    expect(page.get_by_label("Hoort bij adviesdossier")).to_have_value(dossier.reference)
    page.get_by_label("Wie neemt contact op?").select_option("professional")
    page.get_by_label("Sector").select_option("education")
    page.get_by_label("Psychische mishandeling").check()
    page.get_by_label("Vraag of verhaal").fill("Mentor ziet dat de leerling bang is voor thuis.")
    page.get_by_label("Gegeven advies").fill("Meldcode besproken; gesprek met moeder voorbereid.")
    page.get_by_role("button", name="Registreren").click()

    expect(page.get_by_role("main")).to_contain_text(f"adviesdossier {dossier.reference}")
    history = page.get_by_role("list").filter(has_text="Telefooncontact")
    expect(history.get_by_role("listitem").filter(has_text="Telefooncontact")).to_have_count(2)
    assert Contact.objects.filter(dossier=dossier).count() == 2
    assert AdviceDossier.objects.count() == 1


def test_a_refused_registration_keeps_what_was_typed_and_says_what_is_missing(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors
):
    console_errors.expect_failed_load(f"{live_server.url}/staff/contacts/new/")  # the refusal: 400
    region = RegionFactory.create(name="Utrecht")
    user = make_user(Role.ADVICE_DESK, region=region)
    log_in(page, user, confirmed_totp_device(user))

    page.goto("/staff/contacts/new/")
    page.get_by_label("Wie neemt contact op?").select_option("professional")
    page.get_by_label("Vraag of verhaal").fill("Huisarts twijfelt over blauwe plekken.")
    page.get_by_role("button", name="Registreren").click()

    main = page.get_by_role("main")
    expect(main).to_contain_text("Kies minstens één vorm van geweld")
    expect(main).to_contain_text("Beschrijf het gegeven advies.")
    expect(page.get_by_label("Vraag of verhaal")).to_have_value(
        "Huisarts twijfelt over blauwe plekken."
    )
    assert not Contact.objects.exists()


def test_an_anonymous_dossier_holds_no_personal_data_until_the_asker_names_someone(page: Page):
    region = RegionFactory.create(name="Utrecht")
    user = make_user(Role.ADVICE_DESK, region=region)
    log_in(page, user, confirmed_totp_device(user))

    page.goto("/staff/contacts/new/")
    page.get_by_label("Wie neemt contact op?").select_option("professional")
    page.get_by_label("Sector").select_option("childcare")
    page.get_by_label("Lichamelijke mishandeling").check()
    page.get_by_label("Vraag of verhaal").fill("Pedagogisch medewerker ziet vaak blauwe plekken.")
    page.get_by_label("Gegeven advies").fill("Signalen vastleggen, collega raadplegen.")
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("main")).to_contain_text("Geen personen: het dossier is anoniem.")

    dossier = AdviceDossier.objects.get()
    assert dossier.is_anonymous and not DossierPerson.objects.exists()
    contact = dossier.contacts.get()
    assert (contact.asker_name, contact.asker_phone) == ("", "")

    # The asker chooses to name the child: now, and only now, a person is recorded.
    page.get_by_text("De vrager wil personen benoemen").click()
    page.get_by_label("Naam", exact=True).fill("Noah Bakker")
    page.get_by_label("Geboortedatum").fill("2021-05-02")
    page.get_by_role("button", name="Persoon vastleggen").click()
    expect(page.get_by_role("main")).to_contain_text("Noah Bakker")
    expect(page.get_by_role("main")).to_contain_text("nee — de vrager heeft personen benoemd")
    dossier.refresh_from_db()
    assert not dossier.is_anonymous
    assert DossierPerson.objects.get().name == "Noah Bakker"


def test_a_named_dossier_is_turned_into_a_report_but_a_chat_only_one_cannot_be(page: Page):
    region = RegionFactory.create(name="Utrecht")
    user = make_user(Role.TRIAGE, region=region, first_name="Sanne", last_name="Visser")
    chat_only = AdviceDossierFactory.create(region=region, is_anonymous=False)
    ContactFactory.create(region=region, dossier=chat_only, channel=Channel.CHAT)
    named = AdviceDossierFactory.create(region=region, is_anonymous=False)
    ContactFactory.create(
        region=region,
        dossier=named,
        channel=Channel.PHONE,
        summary="Mentor ziet dat Noah bang is om naar huis te gaan.",
        forms_of_violence=["psychological_abuse"],
    )
    DossierPersonFactory.create(dossier=named, name="Noah Bakker")
    log_in(page, user, confirmed_totp_device(user))

    page.goto(f"/staff/contacts/dossiers/{chat_only.pk}/")
    expect(page.get_by_role("link", name="Omzetten in melding")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("via de chat kan geen melding worden gedaan")

    page.goto(f"/staff/contacts/dossiers/{named.pk}/")
    page.get_by_role("link", name="Omzetten in melding").click()
    # What the dossier knows is carried over; the employee adds the reporter.
    child = page.get_by_role("group", name="Betrokkene 1")
    expect(child.get_by_label("Naam")).to_have_value("Noah Bakker")
    expect(page.get_by_label("Psychische mishandeling")).to_be_checked()
    page.get_by_label("Naam melder").fill("Annemiek de Vries")
    page.get_by_label("Organisatie").fill("Basisschool De Regenboog")
    page.get_by_label("Sector").select_option("education")
    page.get_by_label("Telefoon melder").fill("030-1234567")
    page.get_by_role("button", name="Melding opnemen").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("ontvangen")
    report = Report.objects.get()
    assert report.source_dossier == named
    assert report.persons.get().name == "Noah Bakker"
    named.refresh_from_db()
    assert not named.is_open
