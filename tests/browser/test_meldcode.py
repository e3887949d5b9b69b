"""A teacher walks through the five steps of the meldcode to a decision to report, asking
Veilig Thuis for advice on the way without naming the family; the advice desk calls back."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from vangnet.accounts.models import Role
from vangnet.contacts.models import Contact
from vangnet.meldcode.models import AdviceRequest, MeldcodeRecord, RecordStatus
from vangnet.regions.models import PartnerOrganisation
from vangnet.testing.factories import (
    PartnerOrganisationFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
)

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_walks_the_five_steps_to_a_report_with_anonymous_advice_on_the_way(
    new_page: Callable[[], Page],
):
    utrecht = RegionFactory.create(name="Utrecht")
    regenboog = PartnerOrganisationFactory.create(
        name="Basisschool De Regenboog", kind=PartnerOrganisation.Kind.SCHOOL, region=utrecht
    )
    lisa = make_user(
        Role.PROFESSIONAL,
        region=utrecht,
        organisation=regenboog,
        first_name="Lisa",
        phone_number="030-1234567",
    )
    jolanda = make_user(Role.ADVICE_DESK, region=utrecht, first_name="Jolanda")

    teacher = new_page()
    log_in(teacher, lisa, confirmed_totp_device(lisa))
    teacher.get_by_role("link", name="Meldcode", exact=True).click()
    teacher.get_by_role("link", name="Nieuw meldcodedossier").click()
    teacher.get_by_label("Om wie gaat het (zonder naam)").fill("Leerling groep 5")
    teacher.get_by_label("Uw zorg in een paar zinnen").fill(
        "Komt steeds met blauwe plekken op school en wil na school niet naar huis."
    )
    teacher.get_by_label("Lichamelijke mishandeling").check()
    teacher.get_by_role("button", name="Open het dossier").click()

    # Step 1: signals, ticked and in her own words.
    expect(
        teacher.get_by_role("heading", name="Stap 1: Breng de signalen in kaart")
    ).to_be_visible()
    teacher.get_by_label("Herhaaldelijk letsel, blauwe plekken of brandwonden").check()
    teacher.get_by_label("Wil niet naar huis of is bang voor een ouder").check()
    teacher.get_by_label("Wat zag of hoorde u? (eigen woorden)").fill(
        "Blauwe plek op de bovenarm; zei: 'papa was boos'."
    )
    teacher.get_by_role("button", name="Leg de signalen vast").click()
    expect(teacher.get_by_text("De signalen zijn vastgelegd.")).to_be_visible()
    expect(teacher.get_by_text("papa was boos")).to_be_visible()

    # Step 2: a colleague, then advice from Veilig Thuis without naming the family.
    teacher.get_by_role("link", name=re.compile("Verder naar stap 2")).click()
    teacher.get_by_label("Met wie overlegde u?").select_option(label="Aandachtsfunctionaris")
    teacher.get_by_label("Wat kwam eruit?").fill("Zij herkent de signalen; advies vragen.")
    teacher.get_by_role("button", name="Leg het overleg vast").click()
    teacher.get_by_role("link", name="Vraag Veilig Thuis om advies").click()
    expect(teacher.get_by_label("Op welk nummer kan Veilig Thuis u terugbellen?")).to_have_value(
        "030-1234567"
    )
    teacher.get_by_label("Waar wilt u advies over?").fill(
        "Leerling groep 5 met blauwe plekken. Hoe betrek ik de ouders?"
    )
    teacher.get_by_label("Wanneer bent u bereikbaar?").fill("na 15.00 uur")
    teacher.get_by_role("button", name="Vraag om terugbellen").click()
    expect(teacher.get_by_text("Uw terugbelverzoek staat bij Veilig Thuis.")).to_be_visible()

    # The request appears in the advice desk's call-back queue; the employee calls back.
    employee = new_page()
    log_in(employee, jolanda, confirmed_totp_device(jolanda))
    employee.get_by_role("link", name="Terugbelverzoeken").click()
    row = employee.get_by_role("row", name=re.compile("Hoe betrek ik de ouders"))
    expect(row).to_contain_text("Wacht op terugbellen")
    row.get_by_role("link").click()
    expect(employee.get_by_text("Basisschool De Regenboog")).to_be_visible()
    employee.get_by_role("button", name="Pak dit verzoek op").click()
    employee.get_by_label("Samenvatting van het gesprek").fill(
        "Leerkracht belde over blauwe plekken bij een leerling van groep 5."
    )
    employee.get_by_label("Gegeven advies").fill(
        "Gesprek met de ouders met z'n tweeën voeren; daarna opnieuw wegen."
    )
    employee.get_by_role("button", name="Teruggebeld, advies vastleggen").click()
    expect(employee.get_by_text("Het advies is vastgelegd als contact")).to_be_visible()

    # Step 3: the conversation with the parents, with two people.
    teacher.get_by_role("link", name="3. Gesprek").click()
    teacher.get_by_label("Wie waren erbij").fill("moeder, ik en de intern begeleider")
    teacher.get_by_label("Ik voerde het gesprek met z'n tweeën").check()
    teacher.get_by_label("Wat is er besproken en hoe reageerden zij?").fill(
        "Moeder schrok; vertelt dat vader vaak boos is. Wil geen hulp."
    )
    teacher.get_by_role("button", name="Leg het gesprek vast").click()
    expect(teacher.get_by_text("Het gesprek is vastgelegd.")).to_be_visible()

    # Step 4: the five questions. Yes on 1, yes on 2: the meldnorm.
    teacher.get_by_role("link", name="4. Wegen").click()
    for number, reason in ((1, "Signalen, advies en gesprek wijzen erop."), (2, "Structureel.")):
        question = teacher.locator("#current-question")
        expect(question.get_by_role("heading")).to_have_text(f"Vraag {number}")
        question.get_by_label("Ja", exact=True).check()
        question.get_by_label("Waarom?").fill(reason)
        question.get_by_role("button", name=f"Leg antwoord op vraag {number} vast").click()
    outcome = teacher.get_by_test_id("outcome")
    expect(outcome).to_contain_text("Uitkomst: Melden bij Veilig Thuis")
    expect(outcome).to_contain_text("Meldnorm")
    expect(
        teacher.get_by_text("Deze vraag loopt u samen met Veilig Thuis door").first
    ).to_be_visible()

    # Step 5: she decides to report; the tool prepares the report.
    outcome.get_by_role("link", name="Verder naar stap 5: beslissen").click()
    teacher.get_by_label("Melden bij Veilig Thuis", exact=True).check()
    teacher.get_by_label("Waarom besluit u dit?").fill("Structurele onveiligheid; meldnorm.")
    teacher.get_by_role("button", name="Leg het besluit vast").click()
    expect(teacher.get_by_role("heading", name="Wat u aan Veilig Thuis vertelt")).to_be_visible()
    expect(teacher.get_by_text("Om wie het gaat: Leerling groep 5")).to_be_visible()
    expect(
        teacher.get_by_text(re.compile("Voer lastige gesprekken met ouders altijd"))
    ).to_be_visible()
    expect(teacher.get_by_text(re.compile("Vertel de ouders dat u meldt"))).to_be_visible()
    teacher.get_by_label("Ja, ik heb de ouders verteld dat ik meld").check()
    teacher.get_by_role("button", name="Ik heb telefonisch gemeld").click()

    timeline = teacher.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Telefonisch gemeld bij Veilig Thuis")
    expect(timeline).to_contain_text("heeft u teruggebeld")
    expect(teacher.get_by_text("Gemeld bij Veilig Thuis").first).to_be_visible()

    record = MeldcodeRecord.objects.get()
    assert record.status == RecordStatus.REPORTED
    advice = AdviceRequest.objects.get()
    contact = Contact.objects.get()
    assert contact.dossier == advice.dossier and contact.region == utrecht
    # Pseudonymous all the way: nothing Veilig Thuis received names the child.
    assert "Leerling groep 5" not in contact.asker_name
