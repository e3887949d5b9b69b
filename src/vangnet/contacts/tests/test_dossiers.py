"""Advice dossiers: anonymous until the asker names someone, an owner, a history, close and
reopen, search that respects the policy and logs what it shows."""

from __future__ import annotations

import pytest
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogEntry
from vangnet.chat.continuity import digest
from vangnet.contacts import services
from vangnet.contacts.models import AdviceDossier, Channel, DossierEvent, DossierPerson
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    AdviceDossierFactory,
    ContactFactory,
    ContinuityCodeFactory,
    DossierPersonFactory,
    RegionFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    region = RegionFactory.create(name="Utrecht")
    user = make_user(Role.ADVICE_DESK, region=region, first_name="Sanne", last_name="Bakker")
    login_verified(client, user)
    return client, region, user


def test_an_anonymous_dossier_says_so_and_offers_to_name_persons(desk):
    client, region, _user = desk
    dossier = AdviceDossierFactory.create(region=region)

    page = client.get(f"/staff/contacts/dossiers/{dossier.pk}/").content.decode()

    assert "Geen personen: het dossier is anoniem." in page
    assert "De vrager wil personen benoemen" in page


def test_naming_a_person_ends_anonymity_and_is_in_the_history(desk):
    client, region, _user = desk
    dossier = AdviceDossierFactory.create(region=region)

    response = client.post(
        f"/staff/contacts/dossiers/{dossier.pk}/persons/",
        {"relation": "child", "name": "Sem Jansen", "date_of_birth": "2014-03-14"},
        follow=True,
    )

    dossier.refresh_from_db()
    assert not dossier.is_anonymous
    page = response.content.decode()
    assert "Sem Jansen" in page and "14-03-2014" in page
    assert "Personen benoemd (niet meer anoniem)" in page
    assert "Persoon toegevoegd" in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"relation": "child", "name": ""}, "Vul de naam van de persoon in."),
        ({"relation": "child", "name": "Sem", "date_of_birth": "2999-01-01"}, "in de toekomst"),
        ({"relation": "child", "name": "Sem", "date_of_birth": "14-14-2014"}, "geldige datum"),
        ({"relation": "neighbour", "name": "Sem"}, "Selecteer een geldige keuze"),
    ],
)
def test_a_wrong_person_is_refused_and_the_dossier_stays_anonymous(desk, body, message):
    client, region, _user = desk
    dossier = AdviceDossierFactory.create(region=region)

    response = client.post(f"/staff/contacts/dossiers/{dossier.pk}/persons/", body)

    assert response.status_code == 400
    assert message in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.is_anonymous
    assert not DossierPerson.objects.exists()
    assert not dossier.events.exists()


def test_an_anonymous_dossier_holds_no_personal_data_in_the_database(desk):
    client, _region, _user = desk
    client.post(
        "/staff/contacts/new/",
        {
            "channel": "phone",
            "asker_type": "professional",
            "asker_sector": "education",
            "is_anonymous": "on",
            "forms_of_violence": ["psychological_abuse"],
            "question": "Leerling groep 7 is stil en bang om naar huis te gaan.",
            "advice_given": "Meldcode doorgenomen; eerst gesprek met ouders voorbereiden.",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )

    dossier = AdviceDossier.objects.get()
    # The dossier's own columns: a reference, a region, the owning employee, dates — nobody else.
    columns = {f.attname for f in AdviceDossier._meta.concrete_fields}
    assert columns == {
        "id",
        "reference",
        "region_id",
        "owner_id",
        "is_anonymous",
        "title",
        "opened_at",
        "closed_at",
    }
    assert dossier.is_anonymous
    assert not dossier.persons.exists()
    contact = dossier.contacts.get()
    assert (contact.asker_name, contact.asker_phone) == ("", "")
    assert all(event.note in ("", "Telefoon") for event in dossier.events.all())


def test_close_and_reopen_with_a_reason(desk):
    client, region, _user = desk
    dossier = AdviceDossierFactory.create(region=region)

    client.post(f"/staff/contacts/dossiers/{dossier.pk}/close/", {"reason": "Advies gegeven"})
    dossier.refresh_from_db()
    assert not dossier.is_open

    no_reason = client.post(f"/staff/contacts/dossiers/{dossier.pk}/reopen/", {"reason": ""})
    assert no_reason.status_code == 400
    assert "Geef aan waarom het dossier heropend wordt." in no_reason.content.decode()
    dossier.refresh_from_db()
    assert not dossier.is_open

    page = client.post(
        f"/staff/contacts/dossiers/{dossier.pk}/reopen/",
        {"reason": "Mentor belt opnieuw"},
        follow=True,
    ).content.decode()
    dossier.refresh_from_db()
    assert dossier.is_open
    assert "Dossier heropend (Mentor belt opnieuw)" in page


def test_closing_twice_says_it_is_closed_already(desk):
    client, region, _user = desk
    dossier = AdviceDossierFactory.create(region=region, closed_at=timezone.now())

    page = client.post(
        f"/staff/contacts/dossiers/{dossier.pk}/close/", {"reason": ""}, follow=True
    ).content.decode()

    assert "Dit dossier is al gesloten." in page
    assert not dossier.events.exists()


def test_the_owner_hands_the_dossier_to_a_colleague(desk):
    client, region, user = desk
    colleague = make_user(Role.ADVICE_DESK, region=region, first_name="Tim", last_name="de Wit")
    dossier = AdviceDossierFactory.create(region=region, owner=user)

    page = client.post(
        f"/staff/contacts/dossiers/{dossier.pk}/owner/", {"owner": colleague.pk}, follow=True
    ).content.decode()

    dossier.refresh_from_db()
    assert dossier.owner == colleague
    assert "Eigenaar gewijzigd (Tim de Wit)" in page


def test_a_colleague_without_advice_work_cannot_become_owner(desk):
    client, region, user = desk
    scientist = make_user(Role.BEHAVIOURAL_SCIENTIST, region=region)
    dossier = AdviceDossierFactory.create(region=region, owner=user)

    response = client.post(f"/staff/contacts/dossiers/{dossier.pk}/owner/", {"owner": scientist.pk})

    assert response.status_code == 400
    assert "Deze collega werkt niet met adviesdossiers in deze regio." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.owner == user


def test_removing_a_person_is_recorded_without_the_name(desk):
    client, region, _user = desk
    person = DossierPersonFactory.create(dossier__region=region, name="Lotte Visser")

    client.post(f"/staff/contacts/dossiers/{person.dossier.pk}/persons/{person.pk}/remove/")

    assert not DossierPerson.objects.exists()
    event = DossierEvent.objects.get(kind=DossierEvent.Kind.PERSON_REMOVED)
    assert "Lotte" not in event.note


def test_a_chat_alone_can_never_become_a_report():
    region = RegionFactory.create()
    dossier = AdviceDossierFactory.create(region=region, is_anonymous=False)
    ContactFactory.create(region=region, dossier=dossier, channel=Channel.CHAT)

    assert not services.may_become_report(dossier)
    with pytest.raises(services.ContactError, match="Via de chat kan geen melding"):
        services.refuse_chat_only_report(dossier)

    ContactFactory.create(region=region, dossier=dossier, channel=Channel.PHONE)
    assert services.may_become_report(dossier)


# --- search ------------------------------------------------------------------------------


def test_search_by_reference_finds_the_dossier_and_logs_what_it_showed(desk):
    client, region, user = desk
    wanted = AdviceDossierFactory.create(region=region, title="Zorgen om leerling")
    AdviceDossierFactory.create(region=region, title="Iets anders")

    page = client.post("/staff/contacts/search/", {"reference": wanted.reference}).content.decode()

    assert "1 dossier gevonden" in page
    assert "Zorgen om leerling" in page and "Iets anders" not in page
    entry = AccessLogEntry.objects.filter(user_id=user.pk, object_type="contacts.advicedossier")
    assert entry.get().object_id == str(wanted.pk)


def test_search_by_continuity_code_finds_the_dossier_the_code_leads_to(desk):
    client, region, _user = desk
    code = ContinuityCodeFactory.create(region=region, digest=digest("ABCD-EFGH-JKLM"))

    page = client.post("/staff/contacts/search/", {"reference": "abcd efgh jklm"}).content.decode()

    assert code.dossier.reference in page


def test_search_by_person_name_and_date_of_birth_finds_only_named_dossiers(desk):
    client, region, _user = desk
    person = DossierPersonFactory.create(dossier__region=region, name="Sem Jansen")
    person.date_of_birth = timezone.localdate().replace(year=2014, month=3, day=14)
    person.save()
    DossierPersonFactory.create(dossier__region=region, name="Sem de Boer")

    page = client.post(
        "/staff/contacts/search/", {"person_name": "jansen", "date_of_birth": "2014-03-14"}
    ).content.decode()

    assert "1 dossier gevonden" in page
    assert person.dossier.reference in page


def test_search_never_shows_dossiers_of_a_region_the_user_does_not_work_in(desk):
    client, _region, user = desk
    foreign = DossierPersonFactory.create(
        dossier__region=RegionFactory.create(name="Twente"), name="Sem Jansen"
    )

    page = client.post("/staff/contacts/search/", {"person_name": "Sem"}).content.decode()

    assert "0 dossiers gevonden" in page
    assert foreign.dossier.reference not in page
    assert not AccessLogEntry.objects.filter(
        user_id=user.pk, object_type="contacts.advicedossier"
    ).exists()


def test_search_by_employee_and_period(desk):
    client, region, user = desk
    mine = AdviceDossierFactory.create(region=region, owner=user)
    ContactFactory.create(region=region, dossier=mine, received_at=timezone.now())
    AdviceDossierFactory.create(region=region)

    today = timezone.localdate().isoformat()
    page = client.post(
        "/staff/contacts/search/", {"employee": user.pk, "date_from": today, "date_to": today}
    ).content.decode()

    assert "1 dossier gevonden" in page and mine.reference in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Vul minstens één zoekgegeven in"),
        (
            {"date_from": "2026-12-03", "date_to": "2026-12-01"},
            "De einddatum ligt vóór de begindatum.",
        ),
        ({"person_name": "S"}, "Vul minstens twee letters van de naam in."),
        ({"date_of_birth": "gisteren"}, "Vul een geldige datum in"),
    ],
)
def test_a_search_without_usable_criteria_explains_itself(desk, body, message):
    client, _region, _user = desk

    response = client.post("/staff/contacts/search/", body)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_search_results_are_paged_without_putting_criteria_in_the_url(desk):
    client, region, user = desk
    for _ in range(23):
        AdviceDossierFactory.create(region=region, owner=user)

    first = client.post("/staff/contacts/search/", {"employee": user.pk}).content.decode()
    second = client.post("/staff/contacts/search/", {"employee": user.pk, "page": 2})

    assert "23 dossiers gevonden" in first and "Pagina 1 van 2" in first
    assert "Pagina 2 van 2" in second.content.decode()
    assert 'name="page" value="2"' in first  # a button in a POST form, not a link
