"""The desk registers a contact: validation that explains itself, and nothing saved on refusal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.contacts.models import AdviceDossier, Contact, DossierEvent
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import AdviceDossierFactory, RegionFactory, make_user

pytestmark = pytest.mark.django_db


def a_typical_call(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "channel": "phone",
        "asker_type": "bystander",
        "is_anonymous": "on",
        "forms_of_violence": ["neglect"],
        "question": "Buurvrouw hoort 's nachts kinderen huilen, ouders schreeuwen.",
        "advice_given": "Signalen besproken; zij spreekt de moeder aan en belt terug.",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "12",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def input_tag(page: str, marker: str) -> str:
    """The whole <input …> tag that contains `marker`."""
    found = re.search(r"<input[^>]*" + re.escape(marker) + r"[^>]*>", page)
    assert found, f"no input with {marker}"
    return found.group(0)


@pytest.fixture
def desk(client):
    region = RegionFactory.create(name="Utrecht")
    user = make_user(Role.ADVICE_DESK, region=region)
    login_verified(client, user)
    return client, region, user


def test_a_typical_advice_call_is_registered_in_a_new_anonymous_dossier(desk):
    client, region, user = desk

    response = client.post("/staff/contacts/new/", a_typical_call(), follow=True)

    contact = Contact.objects.get()
    assert contact.region == region
    assert contact.registered_by == user
    assert contact.duration_minutes == 12
    assert contact.is_anonymous and contact.asker_name == ""
    dossier = contact.dossier
    assert dossier is not None and dossier.is_anonymous and dossier.owner == user
    page = response.content.decode()
    assert f"Contact geregistreerd in adviesdossier {dossier.reference}" in page
    assert "Buurvrouw hoort" in page
    assert list(dossier.events.values_list("kind", flat=True)) == [
        DossierEvent.Kind.OPENED,
        DossierEvent.Kind.CONTACT_ADDED,
    ]
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.CREATE, object_type="contacts.contact", object_id=str(contact.pk)
    ).exists()


def test_the_form_opens_with_defaults_for_a_phone_call(desk):
    client, _region, _user = desk

    page = client.get("/staff/contacts/new/").content.decode()

    assert "checked" in input_tag(page, 'value="phone"')
    assert "checked" in input_tag(page, 'name="is_anonymous"')
    assert timezone.localtime().strftime("%Y-%m-%dT") in page
    assert 'value="chat"' not in page  # a chat registers itself when it is closed


def test_a_second_contact_joins_the_dossier_by_its_reference(desk):
    client, region, _user = desk
    dossier = AdviceDossierFactory.create(region=region)

    client.post(
        "/staff/contacts/new/",
        a_typical_call(
            asker_type="professional",
            asker_sector="education",
            dossier_reference=dossier.reference.lower(),
        ),
    )

    assert list(dossier.contacts.values_list("asker_sector", flat=True)) == ["education"]
    assert AdviceDossier.objects.count() == 1


def test_the_dossier_page_offers_the_form_with_its_reference_filled_in(desk):
    client, region, _user = desk
    dossier = AdviceDossierFactory.create(region=region)

    page = client.get(f"/staff/contacts/new/?dossier={dossier.pk}").content.decode()

    assert f'value="{dossier.reference}"' in page


BAD_INPUT = [
    ({"asker_type": ""}, "Kies wie er contact opnam."),
    ({"channel": ""}, "Kies hoe het contact binnenkwam."),
    ({"channel": "chat"}, "Selecteer een geldige keuze"),
    ({"forms_of_violence": None}, "Kies minstens één vorm van geweld"),
    ({"forms_of_violence": ["shouting"]}, "Selecteer een geldige keuze"),
    ({"question": "  "}, "Beschrijf kort de vraag of het verhaal."),
    ({"advice_given": ""}, "Beschrijf het gegeven advies."),
    ({"asker_type": "professional"}, "Kies de sector van de professional of ketenpartner."),
    ({"asker_sector": "education"}, "Een sector hoort alleen bij een professional"),
    ({"asker_name": "Joke de Vries"}, "Het contact staat op anoniem"),
    ({"is_anonymous": None}, "Vul de naam van de vrager in, of vink"),
    (
        {"is_anonymous": None, "asker_name": "Joke", "asker_phone": "12345"},
        "Vul een telefoonnummer van 10 tot 15 cijfers in.",
    ),
    ({"duration_minutes": "0"}, "De duur is tussen 1 en 600 minuten."),
    ({"duration_minutes": "veel"}, "Vul de duur in hele minuten in."),
    ({"received_at": "gisteren"}, "Vul datum en tijd in"),
    (
        {"received_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
        "Het tijdstip ligt in de toekomst.",
    ),
    (
        {"received_at": (timezone.localtime() - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M")},
        "dit tijdstip is te lang geleden",
    ),
    ({"dossier_reference": "AD-2026-NOPE00"}, "Er is geen adviesdossier AD-2026-NOPE00"),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUT, ids=[m for _c, m in BAD_INPUT])
def test_bad_input_is_explained_and_nothing_is_saved(desk, change, message):
    client, _region, _user = desk
    log_before = AccessLogEntry.objects.filter(action=AccessLogAction.CREATE).count()

    response = client.post("/staff/contacts/new/", a_typical_call(**change))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Contact.objects.count() == 0
    assert AdviceDossier.objects.count() == 0
    assert AccessLogEntry.objects.filter(action=AccessLogAction.CREATE).count() == log_before


def test_what_was_typed_stays_in_the_form_after_a_refusal(desk):
    client, _region, _user = desk

    page = client.post("/staff/contacts/new/", a_typical_call(advice_given="")).content.decode()

    assert "Buurvrouw hoort" in page


def test_a_closed_dossier_takes_no_new_contact_and_nothing_changes(desk):
    client, region, _user = desk
    dossier = AdviceDossierFactory.create(region=region, closed_at=timezone.now())

    response = client.post(
        "/staff/contacts/new/", a_typical_call(dossier_reference=dossier.reference)
    )

    assert response.status_code == 400
    assert "Dit adviesdossier is gesloten" in response.content.decode()
    assert Contact.objects.count() == 0
    assert not dossier.events.exists()


def test_a_dossier_of_another_region_cannot_be_used(desk):
    client, _region, _user = desk
    foreign = AdviceDossierFactory.create(region=RegionFactory.create(name="Twente"))

    response = client.post(
        "/staff/contacts/new/", a_typical_call(dossier_reference=foreign.reference)
    )

    assert response.status_code == 400
    assert (
        f"Er is geen adviesdossier {foreign.reference} in deze regio." in response.content.decode()
    )
    assert not foreign.contacts.exists()


def test_a_named_caller_with_call_back_number_is_kept_on_the_contact(desk):
    client, _region, _user = desk

    client.post(
        "/staff/contacts/new/",
        a_typical_call(
            is_anonymous=None,
            asker_type="professional",
            asker_sector="childcare",
            asker_name="Joke de Vries",
            asker_organisation="Kinderopvang De Boomhut",
            asker_phone="030-1234567",
        ),
    )

    contact = Contact.objects.get()
    assert (contact.asker_name, contact.asker_organisation, contact.asker_phone) == (
        "Joke de Vries",
        "Kinderopvang De Boomhut",
        "030-1234567",
    )
    assert (
        contact.dossier is not None and contact.dossier.is_anonymous
    )  # the caller, not the family


@pytest.mark.parametrize("role", [Role.BEHAVIOURAL_SCIENTIST, Role.PRIVACY_OFFICER])
def test_roles_without_advice_work_cannot_register(client, role):
    region = RegionFactory.create()
    login_verified(client, make_user(role, region=region))

    response = client.post("/staff/contacts/new/", a_typical_call())

    assert response.status_code == 403
    assert Contact.objects.count() == 0
