"""The social map: team leads and functional administrators keep it for their own region,
the national desk's functional administrators keep the national entries, and the chat
offers what is active in the visitor's region plus everything national."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError

from vangnet.accounts.models import Membership, Role
from vangnet.accounts.policy import AccessDenied, Action, may
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.demo.people import (
    DEMO_LOCAL_TEAMS,
    DEMO_NATIONAL_SOCIAL_MAP,
    load_demo_people_and_contacts,
)
from vangnet.regions.data_import import load_shipped_region_data
from vangnet.regions.models import Region, SocialMapEntry
from vangnet.regions.selectors import social_map_for
from vangnet.regions.services import (
    create_social_map_entry,
    set_social_map_entry_active,
    update_social_map_entry,
)
from vangnet.regions.views import PAGE_SIZE
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    MunicipalityFactory,
    RegionFactory,
    SocialMapEntryFactory,
    make_user,
    national_desk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def utrecht():
    return RegionFactory.create(code="VT09", name="Utrecht")


@pytest.fixture
def twente():
    return RegionFactory.create(code="VT05", name="Twente")


@pytest.fixture
def desk():
    return national_desk()


@pytest.fixture
def lead(utrecht):
    return make_user(Role.TEAM_LEAD, region=utrecht, username="tanno")


@pytest.fixture
def lead_client(client, lead):
    return login_verified(client, lead)


@pytest.fixture
def national_admin(desk):
    return make_user(Role.FUNCTIONAL_ADMIN, region=desk, username="yara")


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def entry_form(region, **overrides):
    data = {
        "name": "Wijkteam Amersfoort",
        "kind": SocialMapEntry.Kind.LOCAL_TEAM,
        "url": "https://www.amersfoort.nl/wijkteams",
        "description": "Hulp dichtbij huis, in je eigen wijk.",
        "region": region.pk if region else "",
        "municipality": "",
    }
    data.update(overrides)
    return data


def refusals() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED))


# --- What the chat offers -------------------------------------------------------------


def test_national_entries_are_offered_in_every_region(utrecht, twente):
    villa_pinedo = SocialMapEntryFactory.create(name="Villa Pinedo", region=None)
    utrecht_team = SocialMapEntryFactory.create(name="Buurtteams Utrecht", region=utrecht)
    twente_team = SocialMapEntryFactory.create(name="Wijkteam Enschede", region=twente)

    assert set(social_map_for(region=utrecht)) == {villa_pinedo, utrecht_team}
    assert set(social_map_for(region=twente)) == {villa_pinedo, twente_team}


def test_a_deactivated_entry_is_no_longer_offered(utrecht, lead):
    entry = SocialMapEntryFactory.create(region=utrecht)
    national = SocialMapEntryFactory.create(region=None, is_active=False)

    set_social_map_entry_active(entry=entry, by=lead, active=False)

    assert entry not in social_map_for(region=utrecht)
    assert national not in social_map_for(region=utrecht)
    set_social_map_entry_active(entry=entry, by=lead, active=True)
    assert entry in social_map_for(region=utrecht)


def test_the_chat_gets_the_entries_by_kind_then_name(utrecht):
    kinds = SocialMapEntry.Kind
    SocialMapEntryFactory.create(name="Villa Pinedo", kind=kinds.SUPPORT, region=None)
    SocialMapEntryFactory.create(name="De Kindertelefoon", kind=kinds.HELPLINE, region=None)
    SocialMapEntryFactory.create(name="Wijkteam Zeist", kind=kinds.LOCAL_TEAM, region=utrecht)
    SocialMapEntryFactory.create(name="Buurtteams Utrecht", kind=kinds.LOCAL_TEAM, region=utrecht)
    SocialMapEntryFactory.create(name="Fier", kind=kinds.SUPPORT, region=None)

    assert [e.name for e in social_map_for(region=utrecht)] == [
        "Buurtteams Utrecht",
        "Wijkteam Zeist",
        "De Kindertelefoon",
        "Fier",
        "Villa Pinedo",
    ]


def test_reading_the_social_map_leaves_no_access_log_entry(utrecht):
    SocialMapEntryFactory.create(region=utrecht)
    before = AccessLogEntry.objects.count()

    list(social_map_for(region=utrecht))

    assert AccessLogEntry.objects.count() == before


# --- A team lead keeps the map of their own region --------------------------------------


def test_team_lead_puts_a_local_team_on_the_map_of_their_region(lead_client, lead, utrecht):
    response = lead_client.post("/staff/social-map/new/", entry_form(utrecht))

    assert response.status_code == 302
    entry = SocialMapEntry.objects.get(name="Wijkteam Amersfoort")
    assert (entry.region, entry.updated_by, entry.is_active) == (utrecht, lead, True)
    assert entry in social_map_for(region=utrecht)
    page = page_text(lead_client.get(response["Location"]))
    assert "Wijkteam Amersfoort staat nu op de sociale kaart." in page
    assert "https://www.amersfoort.nl/wijkteams" in page


def test_team_lead_edits_an_entry_of_their_region(lead_client, lead, utrecht):
    entry = SocialMapEntryFactory.create(name="Wijkteam Amersfoort", region=utrecht)
    amersfoort = MunicipalityFactory.create(name="Amersfoort", region=utrecht)

    form = lead_client.get(f"/staff/social-map/{entry.pk}/edit/")
    assert form.status_code == 200
    assert 'value="Wijkteam Amersfoort"' in form.content.decode()
    response = lead_client.post(
        f"/staff/social-map/{entry.pk}/edit/",
        entry_form(
            utrecht,
            name="Wijkteams Amersfoort",
            url="https://www.amersfoort.nl/wijkteams-amersfoort",
            municipality=amersfoort.pk,
        ),
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Wijkteams Amersfoort"
    assert entry.url == "https://www.amersfoort.nl/wijkteams-amersfoort"
    assert (entry.municipality, entry.updated_by) == (amersfoort, lead)
    assert [e.name for e in social_map_for(region=utrecht)] == ["Wijkteams Amersfoort"]


def test_team_lead_deactivates_and_reactivates_an_entry(lead_client, utrecht):
    entry = SocialMapEntryFactory.create(region=utrecht)

    response = lead_client.post(f"/staff/social-map/{entry.pk}/deactivate/")
    assert response.status_code == 302
    assert entry not in social_map_for(region=utrecht)
    page = page_text(lead_client.get("/staff/social-map/"))
    assert "wordt niet meer aangeboden in de chat" in page
    assert "Weer aanbieden" in page

    # Pressing twice (a double click) leaves it deactivated.
    lead_client.post(f"/staff/social-map/{entry.pk}/deactivate/")
    entry.refresh_from_db()
    assert entry.is_active is False

    lead_client.post(f"/staff/social-map/{entry.pk}/reactivate/")
    assert entry in social_map_for(region=utrecht)


def test_team_lead_cannot_change_an_entry_of_another_region(lead_client, twente):
    entry = SocialMapEntryFactory.create(name="Wijkteam Enschede", region=twente)
    original = SocialMapEntry.objects.values().get(pk=entry.pk)

    for path, data in [
        (f"/staff/social-map/{entry.pk}/edit/", None),
        (f"/staff/social-map/{entry.pk}/edit/", entry_form(twente, name="Overgenomen")),
        (f"/staff/social-map/{entry.pk}/deactivate/", {}),
    ]:
        before = len(refusals())
        response = lead_client.get(path) if data is None else lead_client.post(path, data)
        assert response.status_code == 403, path
        assert len(refusals()) == before + 1, f"{path}: one REFUSED entry per refusal"

    assert SocialMapEntry.objects.values().get(pk=entry.pk) == original
    assert entry in social_map_for(region=twente)


def test_team_lead_cannot_put_an_entry_on_another_regions_map(lead_client, lead, twente):
    response = lead_client.post("/staff/social-map/new/", entry_form(twente))

    assert response.status_code == 400
    assert "U houdt de sociale kaart van deze regio niet bij." in page_text(response)
    assert not SocialMapEntry.objects.exists()
    # The service refuses on its own too, whatever the form lets through.
    with pytest.raises(AccessDenied):
        create_social_map_entry(
            by=lead, region=twente, name="Wijkteam Enschede", url="https://www.enschede.nl"
        )
    assert not SocialMapEntry.objects.exists()


def test_team_lead_cannot_make_an_entry_national(lead_client, lead):
    response = lead_client.post("/staff/social-map/new/", entry_form(None))

    assert response.status_code == 400
    assert "Kies de regio waarvoor deze regel geldt." in page_text(response)
    with pytest.raises(AccessDenied):
        create_social_map_entry(
            by=lead, region=None, name="Villa Pinedo", url="https://www.villapinedo.nl"
        )
    assert not SocialMapEntry.objects.exists()


def test_moving_an_entry_to_a_region_one_does_not_keep_is_refused(lead, utrecht, twente):
    entry = SocialMapEntryFactory.create(region=utrecht)

    with pytest.raises(AccessDenied):
        update_social_map_entry(entry=entry, by=lead, region=twente)

    entry.refresh_from_db()
    assert entry.region == utrecht


def test_an_http_address_is_refused_with_a_message(lead_client, lead, utrecht):
    response = lead_client.post(
        "/staff/social-map/new/", entry_form(utrecht, url="http://www.amersfoort.nl/wijkteams")
    )

    assert response.status_code == 400
    page = page_text(response)
    assert "Gebruik een beveiligd webadres dat begint met https:// (niet http://)." in page
    assert 'aria-invalid="true"' in page
    assert 'href="#id_url"' in page  # the error summary leads to the field
    assert not SocialMapEntry.objects.exists()

    entry = SocialMapEntryFactory.create(region=utrecht, url="https://www.zeist.nl/wijkteam")
    with pytest.raises(ValidationError) as refused:
        update_social_map_entry(entry=entry, by=lead, url="http://www.zeist.nl/wijkteam")
    assert "url" in refused.value.message_dict
    entry.refresh_from_db()
    assert entry.url == "https://www.zeist.nl/wijkteam"


def test_a_name_is_used_once_per_region(lead_client, utrecht):
    SocialMapEntryFactory.create(name="Wijkteam Amersfoort", region=utrecht)

    response = lead_client.post("/staff/social-map/new/", entry_form(utrecht))

    assert response.status_code == 400
    assert "Er staat in deze regio al een regel met deze naam" in page_text(response)
    assert 'id="id_name_error"' in response.content.decode()
    assert SocialMapEntry.objects.count() == 1


def test_the_municipality_belongs_to_the_region(lead, utrecht, twente):
    enschede = MunicipalityFactory.create(name="Enschede", region=twente)

    with pytest.raises(ValidationError) as refused:
        create_social_map_entry(
            by=lead,
            region=utrecht,
            name="Wijkteam Enschede",
            url="https://www.enschede.nl/wijkteams",
            municipality=enschede,
        )

    assert refused.value.message_dict["municipality"] == [
        "Deze gemeente hoort niet bij de gekozen regio."
    ]


def test_services_take_only_the_fields_of_an_entry(lead, utrecht):
    with pytest.raises(TypeError):
        create_social_map_entry(
            by=lead, region=utrecht, name="X", url="https://x.example", is_active=False
        )


# --- National entries: the national desk's functional administrators --------------------


def test_functional_admin_of_the_national_desk_keeps_the_national_entries(
    client, national_admin, utrecht, twente
):
    login_verified(client, national_admin)

    response = client.post(
        "/staff/social-map/new/",
        entry_form(
            None,
            name="Villa Pinedo",
            kind=SocialMapEntry.Kind.SUPPORT,
            url="https://www.villapinedo.nl",
        ),
    )
    assert response.status_code == 302
    entry = SocialMapEntry.objects.get(name="Villa Pinedo")
    assert entry.region is None
    assert entry in social_map_for(region=utrecht)
    assert entry in social_map_for(region=twente)

    response = client.post(
        f"/staff/social-map/{entry.pk}/edit/",
        entry_form(
            None,
            name="Villa Pinedo",
            kind=SocialMapEntry.Kind.SUPPORT,
            url="https://www.villapinedo.nl/buddy",
        ),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.url == "https://www.villapinedo.nl/buddy"

    assert client.post(f"/staff/social-map/{entry.pk}/deactivate/").status_code == 302
    assert entry not in social_map_for(region=utrecht)


def test_only_the_national_desks_functional_admins_keep_national_entries(
    lead, utrecht, desk, national_admin
):
    entry = SocialMapEntryFactory.create(name="De Kindertelefoon", region=None)
    regional_admin = make_user(Role.FUNCTIONAL_ADMIN, region=utrecht)
    desk_lead = make_user(Role.TEAM_LEAD, region=desk)

    assert may(national_admin, Action.MANAGE_SOCIAL_MAP, entry)
    for user in (lead, regional_admin, desk_lead):
        assert not may(user, Action.MANAGE_SOCIAL_MAP, entry), user
        with pytest.raises(AccessDenied):
            set_social_map_entry_active(entry=entry, by=user, active=False)
    entry.refresh_from_db()
    assert entry.is_active


def test_without_a_national_desk_nobody_keeps_national_entries(utrecht):
    admin = make_user(Role.FUNCTIONAL_ADMIN, region=utrecht)

    assert not Region.objects.filter(is_national_desk=True).exists()
    assert not may(admin, Action.MANAGE_SOCIAL_MAP, SocialMapEntry(region=None))


def test_team_lead_sees_national_entries_read_only(lead_client, utrecht, twente):
    SocialMapEntryFactory.create(name="De Kindertelefoon", region=None)
    own = SocialMapEntryFactory.create(name="Buurtteams Utrecht", region=utrecht)
    SocialMapEntryFactory.create(name="Wijkteam Enschede", region=twente)

    page = page_text(lead_client.get("/staff/social-map/"))

    assert "De Kindertelefoon" in page
    assert "Alleen te lezen: landelijk beheer" in page
    assert f"/staff/social-map/{own.pk}/edit/" in page
    assert "Wijkteam Enschede" not in page
    # The form offers only the lead's own region, not "national".
    form = page_text(lead_client.get("/staff/social-map/new/"))
    assert "Landelijk (in elke regio)" not in form
    assert "Twente" not in form


# --- The list -----------------------------------------------------------------------------


def test_the_list_filters_by_region_and_pages(client, utrecht, twente):
    admin = make_user(Role.FUNCTIONAL_ADMIN, region=utrecht)
    Membership.objects.create(user=admin, region=twente, role=Role.TEAM_LEAD)
    login_verified(client, admin)
    for n in range(PAGE_SIZE + 1):
        SocialMapEntryFactory.create(name=f"Wijkteam Utrecht {n:02d}", region=utrecht)
    SocialMapEntryFactory.create(name="Wijkteam Enschede", region=twente)
    SocialMapEntryFactory.create(name="Fier", region=None)

    first = page_text(client.get("/staff/social-map/", {"region": utrecht.pk}))
    assert "Wijkteam Enschede" not in first and "Fier" not in first
    assert "Pagina 1 van 2" in first
    assert (
        f"region={utrecht.pk}&amp;page=2"
        in client.get("/staff/social-map/", {"region": utrecht.pk}).content.decode()
    )

    national = page_text(client.get("/staff/social-map/", {"region": "landelijk"}))
    assert "Fier" in national and "Wijkteam" not in national

    partial = client.get(
        "/staff/social-map/", {"region": twente.pk}, headers={"HX-Request": "true"}
    )
    assert "Wijkteam Enschede" in partial.content.decode()
    assert "<h1>" not in partial.content.decode()


def test_an_empty_map_says_so(lead_client):
    page = page_text(lead_client.get("/staff/social-map/"))

    assert "De sociale kaart is nog leeg." in page


def test_the_navigation_shows_the_social_map_to_those_who_keep_it(lead_client, client, utrecht):
    assert 'href="/staff/social-map/"' in lead_client.get("/staff/").content.decode()

    client.cookies.clear()
    login_verified(client, make_user(Role.ADVICE_DESK, region=utrecht))
    assert 'href="/staff/social-map/"' not in client.get("/staff/").content.decode()


# --- Demo data ----------------------------------------------------------------------------


def test_the_demo_social_map_loads_twice_without_duplicates():
    load_shipped_region_data()
    load_demo_people_and_contacts()
    load_demo_people_and_contacts()

    assert SocialMapEntry.objects.count() == len(DEMO_NATIONAL_SOCIAL_MAP) + len(DEMO_LOCAL_TEAMS)
    for region in Region.objects.filter(is_national_desk=False):
        assert social_map_for(region=region).filter(kind=SocialMapEntry.Kind.LOCAL_TEAM).exists()
    for entry in SocialMapEntry.objects.all():
        entry.full_clean()  # https only, municipality in its region
