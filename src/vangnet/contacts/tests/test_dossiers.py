"""Advice dossiers: anonymous until the asker names someone, an owner, a history, close and
reopen, search that respects the policy and logs what it shows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogEntry
from vangnet.chat.continuity import digest
from vangnet.contacts import selectors, services
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


def _buttons(html: str) -> dict[str, dict[str, str]]:
    """The paging buttons of a search result: label -> the fields the button sends."""
    form = re.search(r'<form method="post" class="pagination".*?</form>', html, re.S)
    if form is None:
        return {}
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form[0]))
    hidden.pop("csrfmiddlewaretoken", None)
    buttons = {}
    for attrs, label in re.findall(r"<button ([^>]*)>([^<]+)</button>", form[0]):
        fields = dict(hidden)
        named = re.search(r'name="([^"]+)" value="([^"]*)"', attrs)
        if named:
            fields[named[1]] = named[2]
        buttons[label] = fields
    return buttons


def _found(html: str) -> list[str]:
    return re.findall(r'<a href="/staff/contacts/dossiers/\d+/">([^<]+)</a>', html)


@pytest.fixture
def many_found(desk, monkeypatch):
    client, region, user = desk
    monkeypatch.setattr(selectors, "SEARCH_PAGE_SIZE", 3)
    now = timezone.now()
    mine = [
        AdviceDossierFactory.create(region=region, owner=user, opened_at=now - timedelta(days=i))
        for i in range(8)
    ]
    # Two opened at the same moment: the record number decides between them.
    AdviceDossier.objects.filter(pk=mine[5].pk).update(opened_at=mine[4].opened_at)
    AdviceDossierFactory.create(region=region)  # someone else's: never found
    newest_first = list(
        AdviceDossier.objects.filter(owner=user)
        .order_by("-opened_at", "-id")
        .values_list("reference", flat=True)
    )
    return client, user, newest_first


def _walk_search(client, fields, *, forward="Volgende"):
    pages = []
    while True:
        html = client.post("/staff/contacts/search/", fields).content.decode()
        pages.append(_found(html))
        buttons = _buttons(html)
        if forward not in buttons:
            return pages, html
        fields = buttons[forward]
        assert len(pages) < 10


def test_search_results_are_paged_without_putting_criteria_in_the_url(many_found):
    client, user, newest_first = many_found

    pages, _html = _walk_search(client, {"employee": user.pk})

    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:8]]
    first = client.post("/staff/contacts/search/", {"employee": user.pk}).content.decode()
    assert "8 dossiers gevonden" in first
    # The criteria travel in the POST form with the paging buttons, not in a link.
    assert _buttons(first)["Volgende"]["employee"] == str(user.pk)
    paging_form = re.search(r'<form method="post" class="pagination"[^>]*>', first)
    assert paging_form is not None and "?" not in paging_form[0]


def test_the_last_page_of_a_search_and_back_to_the_first(many_found):
    client, user, newest_first = many_found
    first = client.post("/staff/contacts/search/", {"employee": user.pk}).content.decode()

    pages, _html = _walk_search(client, _buttons(first)["Laatste pagina"], forward="Vorige")

    assert pages == [newest_first[5:8], newest_first[2:5], newest_first[0:2]]
    last = client.post("/staff/contacts/search/", _buttons(first)["Laatste pagina"]).content
    assert set(_buttons(last.decode())) == {"Eerste pagina", "Vorige"}
    assert (
        _found(
            client.post(
                "/staff/contacts/search/", _buttons(last.decode())["Eerste pagina"]
            ).content.decode()
        )
        == newest_first[0:3]
    )


def test_an_edited_page_position_shows_the_first_page_of_the_search(many_found):
    client, user, newest_first = many_found
    for edited in ({"after": "bm9uc2Vuc2U"}, {"before": "%%%"}, {"page": "2"}):
        response = client.post("/staff/contacts/search/", {"employee": user.pk, **edited})
        assert response.status_code == 200
        assert _found(response.content.decode()) == newest_first[0:3]


def test_each_search_page_logs_exactly_the_dossiers_shown(many_found):
    client, user, newest_first = many_found
    first = client.post("/staff/contacts/search/", {"employee": user.pk}).content.decode()
    client.post("/staff/contacts/search/", _buttons(first)["Volgende"])

    entry = (
        AccessLogEntry.objects.filter(user_id=user.pk, object_type="contacts.advicedossier")
        .order_by("-id")
        .first()
    )
    assert entry is not None
    shown = AdviceDossier.objects.filter(reference__in=newest_first[3:6])
    logged = {r.object_id for r in entry.records.all()}
    assert logged == {str(d.pk) for d in shown}


def test_a_search_that_finds_very_many_says_more_than_and_asks_to_narrow_it(
    many_found, monkeypatch
):
    client, user, _newest_first = many_found
    monkeypatch.setattr(selectors, "SEARCH_COUNT_LIMIT", 5)

    page = client.post("/staff/contacts/search/", {"employee": user.pk}).content.decode()

    assert "Meer dan 5 dossiers gevonden" in page
    assert "Maak de zoekopdracht nauwkeuriger" in page


def test_a_person_is_found_on_name_and_date_of_birth_of_the_same_person(desk):
    client, region, _user = desk
    both = DossierPersonFactory.create(dossier__region=region, name="Sem Jansen")
    both.date_of_birth = timezone.localdate().replace(year=2014, month=3, day=14)
    both.save()
    # Another dossier: one person has the name, another the date of birth.
    split = DossierPersonFactory.create(dossier__region=region, name="Sem Jansen")
    other = DossierPersonFactory.create(dossier=split.dossier, name="Noor de Vries")
    other.date_of_birth = both.date_of_birth
    other.save()

    page = client.post(
        "/staff/contacts/search/", {"person_name": "Jansen", "date_of_birth": "2014-03-14"}
    ).content.decode()

    assert _found(page) == [both.dossier.reference]


def test_the_employee_to_search_by_is_chosen_from_staff_not_from_partner_professionals(desk):
    client, region, user = desk
    make_user(Role.PROFESSIONAL, region=region, first_name="Leerkracht", last_name="Vanschool")

    page = client.get("/staff/contacts/search/").content.decode()

    assert user.display_name in page
    assert "Vanschool" not in page
