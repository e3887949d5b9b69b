"""Issue 12, hole 7: a functional administrator cannot take over accounts outside their
regions, cannot give themselves roles, and a role that can reveal a reporter needs a second
administrator (four eyes). Every such change and refusal is in the access log."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts import services
from vangnet.accounts.models import Membership, Role, RoleGrantRequest, User
from vangnet.accounts.policy import (
    FOUR_EYES_ROLES,
    GRANTS,
    AccessDenied,
    Action,
    may,
    may_manage_user,
)
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    DEFAULT_PASSWORD,
    RegionFactory,
    add_membership,
    confirmed_totp_device,
    make_user,
)

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "Zonnebloem-Kastanje-8472"


@pytest.fixture
def utrecht():
    return RegionFactory.create(code="VT09", name="Utrecht")


@pytest.fixture
def amsterdam():
    return RegionFactory.create(code="VT13", name="Amsterdam-Amstelland")


@pytest.fixture
def fons(utrecht):
    """The Utrecht functional administrator."""
    return make_user(Role.FUNCTIONAL_ADMIN, region=utrecht, username="fons")


@pytest.fixture
def greet(utrecht):
    """A second Utrecht functional administrator."""
    return make_user(Role.FUNCTIONAL_ADMIN, region=utrecht, username="greet")


@pytest.fixture
def fons_client(fons):
    return login_verified(Client(), fons)


@pytest.fixture
def greet_client(greet):
    return login_verified(Client(), greet)


@pytest.fixture
def sanne(utrecht, amsterdam):
    """An investigator who works in Utrecht and in Amsterdam."""
    user = make_user(Role.INVESTIGATOR, region=utrecht, username="sanne", first_name="Sanne")
    add_membership(user, Role.INVESTIGATOR, amsterdam)
    confirmed_totp_device(user)
    return user


def ask_role(by: User, user: User, region, role: str) -> RoleGrantRequest:
    """One administrator asks for a four-eyes role: a pending request, not yet a role."""
    grant = services.add_membership(by=by, user=user, region=region, role=role)
    assert isinstance(grant, RoleGrantRequest)
    return grant


def text(response) -> str:
    return html.unescape(response.content.decode())


def refusals(by: User, target: User) -> int:
    return AccessLogEntry.objects.filter(
        user_id=by.pk, action=AccessLogAction.REFUSED, object_id=str(target.pk)
    ).count()


def changes(by: User, target: User) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(
            user_id=by.pk,
            action=AccessLogAction.CHANGE,
            object_type="accounts.user",
            object_id=str(target.pk),
        ).values_list("reason", flat=True)
    )


# --- Accounts that also work in another region ---------------------------------------------


def test_utrecht_admin_cannot_take_over_someone_who_also_works_in_amsterdam(
    fons, fons_client, sanne
):
    takeover = [
        (f"/accounts/users/{sanne.pk}/password/", {"password_mode": "generate"}),
        (f"/accounts/users/{sanne.pk}/reset-two-factor/", {}),
        (f"/accounts/users/{sanne.pk}/unlock/", {}),
        (f"/accounts/users/{sanne.pk}/deactivate/", {}),
        (
            f"/accounts/users/{sanne.pk}/edit/",
            {"first_name": "X", "last_name": "Y", "email": "x@example.org"},
        ),
    ]

    for url, data in takeover:
        response = fons_client.post(url, data)
        assert response.status_code == 403, url
        assert "Sanne" not in text(response)

    sanne.refresh_from_db()
    assert sanne.check_password(DEFAULT_PASSWORD)
    assert sanne.is_active and sanne.first_name == "Sanne"
    assert TOTPDevice.objects.filter(user=sanne, confirmed=True).exists()
    assert refusals(fons, sanne) == len(takeover)
    assert changes(fons, sanne) == []


def test_services_refuse_an_account_that_also_works_elsewhere(fons, sanne):
    for action in (services.reset_two_factor, services.unlock_user, services.deactivate_user):
        with pytest.raises(AccessDenied):
            action(by=fons, user=sanne)
    with pytest.raises(AccessDenied):
        services.set_password(by=fons, user=sanne, password=STRONG_PASSWORD)

    assert TOTPDevice.objects.filter(user=sanne, confirmed=True).exists()


def test_the_list_shows_only_accounts_that_work_only_in_the_admins_regions(
    fons_client, utrecht, sanne
):
    make_user(Role.ADVICE_DESK, region=utrecht, first_name="Jolanda", last_name="Vos")

    page = text(fons_client.get("/accounts/users/"))

    assert "Jolanda" in page
    assert "Sanne" not in page


def test_an_admin_of_every_region_of_the_account_manages_it(fons, fons_client, sanne, amsterdam):
    add_membership(fons, Role.FUNCTIONAL_ADMIN, amsterdam)

    assert may_manage_user(fons, sanne)
    assert "Sanne" in text(fons_client.get("/accounts/users/"))
    assert fons_client.get(f"/accounts/users/{sanne.pk}/").status_code == 200


def test_a_role_waiting_for_approval_elsewhere_counts_as_working_there(fons, utrecht, amsterdam):
    tim = make_user(Role.ADVICE_DESK, region=utrecht)
    amsterdam_admin = make_user(Role.FUNCTIONAL_ADMIN, region=amsterdam)
    add_membership(amsterdam_admin, Role.FUNCTIONAL_ADMIN, utrecht)
    services.add_membership(by=amsterdam_admin, user=tim, region=amsterdam, role=Role.TRIAGE)

    assert not may_manage_user(fons, tim)


# --- No roles for oneself --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.MONITORING])
def test_admin_cannot_give_themselves_a_role(fons, fons_client, utrecht, role):
    response = fons_client.post(
        f"/accounts/users/{fons.pk}/roles/", {"region": utrecht.pk, "role": role}
    )

    assert response.status_code == 403
    assert set(fons.memberships.values_list("role", flat=True)) == {Role.FUNCTIONAL_ADMIN}
    assert not RoleGrantRequest.objects.filter(user=fons).exists()
    assert refusals(fons, fons) == 1


def test_admin_page_offers_no_role_form_for_oneself(fons, fons_client):
    page = text(fons_client.get(f"/accounts/users/{fons.pk}/"))

    assert "U kunt uzelf geen rol geven" in page
    assert f'action="/accounts/users/{fons.pk}/roles/"' not in page


# --- Four eyes on roles that can reveal a reporter ----------------------------------------------


def test_four_eyes_roles_are_exactly_those_that_may_see_the_reporter():
    may_see_reporter = {
        role for role, actions in GRANTS.items() if Action.VIEW_REPORTER_IDENTITY in actions
    }
    assert may_see_reporter == FOUR_EYES_ROLES
    assert {Role.TEAM_LEAD, Role.TRIAGE, Role.INVESTIGATOR} <= FOUR_EYES_ROLES
    assert Role.ADVICE_DESK not in FOUR_EYES_ROLES


def test_team_lead_role_exists_only_after_a_second_admin_approves(
    fons, fons_client, greet, greet_client, utrecht
):
    tim = make_user(Role.ADVICE_DESK, region=utrecht, username="tim", first_name="Tim")

    response = fons_client.post(
        f"/accounts/users/{tim.pk}/roles/",
        {"region": utrecht.pk, "role": Role.TEAM_LEAD},
        follow=True,
    )

    assert "Een andere functioneel beheerder van de regio moet de rol goedkeuren" in text(response)
    assert not tim.memberships.filter(role=Role.TEAM_LEAD).exists()
    assert not may(User.objects.get(pk=tim.pk), Action.VIEW_REPORTER_IDENTITY, utrecht)
    grant = RoleGrantRequest.objects.get(user=tim)
    assert grant.status == RoleGrantRequest.Status.PENDING
    assert "wacht op goedkeuring" in changes(fons, tim)[0]

    # The other administrator sees it waiting, on the list and on the account's page.
    approve_url = f"/accounts/users/{tim.pk}/role-requests/{grant.pk}/approve/"
    assert approve_url in text(greet_client.get("/accounts/users/"))
    assert approve_url in text(greet_client.get(f"/accounts/users/{tim.pk}/"))
    assert approve_url not in text(fons_client.get("/accounts/users/"))

    response = greet_client.post(approve_url, follow=True)

    assert "Goedgekeurd" in text(response)
    assert tim.memberships.filter(role=Role.TEAM_LEAD, region=utrecht).exists()
    assert may(User.objects.get(pk=tim.pk), Action.VIEW_REPORTER_IDENTITY, utrecht)
    grant.refresh_from_db()
    assert grant.status == RoleGrantRequest.Status.APPROVED and grant.decided_by == greet
    assert changes(greet, tim) == ["rol team_lead in VT09 goedgekeurd (aangevraagd door fons)"]


def test_the_admin_who_asked_cannot_approve(fons, fons_client, utrecht):
    tim = make_user(Role.ADVICE_DESK, region=utrecht)
    grant = ask_role(fons, tim, utrecht, Role.TRIAGE)

    response = fons_client.post(f"/accounts/users/{tim.pk}/role-requests/{grant.pk}/approve/")

    assert response.status_code == 403
    assert not tim.memberships.filter(role=Role.TRIAGE).exists()
    grant.refresh_from_db()
    assert grant.status == RoleGrantRequest.Status.PENDING
    assert refusals(fons, tim) == 1


def test_an_admin_cannot_approve_a_role_for_themselves(fons, greet, utrecht):
    grant = ask_role(fons, greet, utrecht, Role.TEAM_LEAD)

    with pytest.raises(AccessDenied):
        services.approve_role_grant(by=greet, grant=grant)

    assert not greet.memberships.filter(role=Role.TEAM_LEAD).exists()


def test_an_admin_of_another_region_cannot_approve(fons, utrecht, amsterdam):
    tim = make_user(Role.ADVICE_DESK, region=utrecht)
    grant = ask_role(fons, tim, utrecht, Role.INVESTIGATOR)
    amsterdam_admin = make_user(Role.FUNCTIONAL_ADMIN, region=amsterdam)

    with pytest.raises(AccessDenied):
        services.approve_role_grant(by=amsterdam_admin, grant=grant)

    assert not tim.memberships.filter(role=Role.INVESTIGATOR).exists()


def test_a_rejected_role_is_never_given_and_cannot_be_approved_later(
    fons, greet, greet_client, utrecht
):
    tim = make_user(Role.ADVICE_DESK, region=utrecht)
    grant = ask_role(fons, tim, utrecht, Role.TEAM_LEAD)

    greet_client.post(f"/accounts/users/{tim.pk}/role-requests/{grant.pk}/reject/")
    response = greet_client.post(
        f"/accounts/users/{tim.pk}/role-requests/{grant.pk}/approve/", follow=True
    )

    assert "Over deze aanvraag is al beslist" in text(response)
    assert not tim.memberships.filter(role=Role.TEAM_LEAD).exists()
    assert changes(greet, tim) == [
        "aanvraag rol team_lead in VT09 afgewezen (aangevraagd door fons)"
    ]


def test_the_admin_who_asked_may_withdraw(fons, fons_client, utrecht):
    tim = make_user(Role.ADVICE_DESK, region=utrecht)
    grant = ask_role(fons, tim, utrecht, Role.TEAM_LEAD)

    response = fons_client.post(
        f"/accounts/users/{tim.pk}/role-requests/{grant.pk}/reject/", follow=True
    )

    assert "is ingetrokken" in text(response)
    grant.refresh_from_db()
    assert grant.status == RoleGrantRequest.Status.REJECTED
    assert "aanvraag rol team_lead in VT09 ingetrokken" in changes(fons, tim)


def test_a_new_account_gets_a_four_eyes_role_only_after_approval(fons, fons_client, utrecht):
    response = fons_client.post(
        "/accounts/users/new/",
        {
            "username": "nieuwe-triagist",
            "first_name": "Nina",
            "last_name": "Bakker",
            "email": "nina@veiligthuis.example",
            "region": utrecht.pk,
            "roles": [Role.ADVICE_DESK, Role.TRIAGE],
            "password_mode": "type",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 302
    nina = User.objects.get(username="nieuwe-triagist")
    assert set(nina.memberships.values_list("role", flat=True)) == {Role.ADVICE_DESK}
    assert RoleGrantRequest.objects.filter(
        user=nina, role=Role.TRIAGE, status=RoleGrantRequest.Status.PENDING
    ).exists()


def test_a_new_account_with_only_four_eyes_roles_stays_manageable(fons, greet, utrecht):
    nina = services.create_user(
        by=fons,
        username="nina",
        first_name="Nina",
        last_name="Bakker",
        email="nina@veiligthuis.example",
        region=utrecht,
        roles=[Role.INVESTIGATOR],
        password=STRONG_PASSWORD,
    )

    assert not Membership.objects.filter(user=nina).exists()
    assert may_manage_user(greet, nina)
    grant = RoleGrantRequest.objects.get(user=nina)
    services.approve_role_grant(by=greet, grant=grant)
    assert nina.memberships.filter(role=Role.INVESTIGATOR).exists()
