"""The workspace shell: navigation per role and the region switcher."""

from __future__ import annotations

import pytest

from vangnet.accounts.models import Role
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    ContactFactory,
    RegionFactory,
    add_membership,
    make_user,
)

pytestmark = pytest.mark.django_db


def nav_labels(html: str) -> set[str]:
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return {label for label in ("Contacten", "Gebruikers", "Toegangslog") if f">{label}<" in nav}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADVICE_DESK, {"Contacten"}),
        (Role.TEAM_LEAD, {"Contacten"}),
        (Role.FUNCTIONAL_ADMIN, {"Gebruikers"}),
        (Role.PRIVACY_OFFICER, {"Toegangslog"}),
        (Role.HELPLINE_VOLUNTEER, set()),
    ],
)
def test_navigation_shows_what_the_role_may_use(client, role, expected):
    login_verified(client, make_user(role))
    assert nav_labels(client.get("/staff/").content.decode()) == expected


def test_user_without_role_is_told_to_ask_the_functional_admin(client):
    login_verified(client, make_user())
    response = client.get("/staff/")
    assert response.status_code == 403
    assert "functioneel beheerder" in response.content.decode()


def test_staff_of_two_regions_switches_and_sees_the_other_register(client):
    utrecht, twente = RegionFactory.create(name="Utrecht"), RegionFactory.create(name="Twente")
    ContactFactory.create(region=utrecht, summary="Contact in Utrecht")
    ContactFactory.create(region=twente, summary="Contact in Twente")
    user = make_user(Role.ADVICE_DESK, region=twente)
    add_membership(user, Role.ADVICE_DESK, utrecht)
    login_verified(client, user)

    first = client.get("/staff/contacts/").content.decode()
    assert "Contact in Twente" in first and "Contact in Utrecht" not in first

    response = client.post(
        "/staff/region/", {"region": utrecht.pk, "next": "/staff/contacts/"}, follow=True
    )
    page = response.content.decode()
    assert "Contact in Utrecht" in page and "Contact in Twente" not in page
    assert "U werkt nu in regio Utrecht" in page


def test_switching_to_a_region_one_does_not_work_in_is_refused(client):
    own, foreign = RegionFactory.create(name="Eigen"), RegionFactory.create(name="Vreemd")
    ContactFactory.create(region=foreign, summary="Niet voor u")
    login_verified(client, make_user(Role.ADVICE_DESK, region=own))

    response = client.post("/staff/region/", {"region": foreign.pk}, follow=True)

    assert "U werkt niet in die regio" in response.content.decode()
    assert "Niet voor u" not in client.get("/staff/contacts/").content.decode()


def test_region_switch_ignores_a_next_url_on_another_site(client):
    region = RegionFactory.create()
    login_verified(client, make_user(Role.ADVICE_DESK, region=region))
    response = client.post("/staff/region/", {"region": region.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/staff/"


def test_home_counts_recent_contacts_of_the_active_region(client):
    region = RegionFactory.create()
    ContactFactory.create_batch(3, region=region)
    ContactFactory.create(region=RegionFactory.create())
    login_verified(client, make_user(Role.TRIAGE, region=region))
    assert "3 contacten in de afgelopen 7 dagen" in client.get("/staff/").content.decode()
