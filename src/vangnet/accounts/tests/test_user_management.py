"""User management by functional administrators: only in their own regions, every change
in the access log, and the rules that keep an organisation from locking itself out."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts.models import Membership, Role, User
from vangnet.accounts.selectors import PAGE_SIZE
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    DEFAULT_PASSWORD,
    PartnerOrganisationFactory,
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
def twente():
    return RegionFactory.create(code="VT05", name="Twente")


@pytest.fixture
def admin(utrecht):
    return make_user(
        Role.FUNCTIONAL_ADMIN,
        region=utrecht,
        username="fons",
        first_name="Fons",
        last_name="Mulder",
    )


@pytest.fixture
def admin_client(client, admin):
    return login_verified(client, admin)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def new_user_form(region, **overrides):
    data = {
        "username": "jolanda",
        "first_name": "Jolanda",
        "last_name": "de Vries",
        "email": "jolanda@veiligthuis.example",
        "phone_number": "030-1234567",
        "organisation": "",
        "region": region.pk,
        "roles": [Role.ADVICE_DESK],
        "password_mode": "type",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    data.update(overrides)
    return data


def log_entries(by: User, target: User, action=AccessLogAction.CHANGE) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(
            user_id=by.pk, action=action, object_type="accounts.user", object_id=str(target.pk)
        ).values_list("reason", flat=True)
    )


def can_log_in(username: str, password: str) -> bool:
    response = Client().post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and response["Location"] == "/accounts/two-factor/"


# --- The list ----------------------------------------------------------------------------


def test_list_shows_users_of_own_region_with_roles_and_state(admin_client, utrecht, twente):
    jolanda = make_user(Role.ADVICE_DESK, region=utrecht, first_name="Jolanda", last_name="Vos")
    add_membership(jolanda, Role.TRIAGE, utrecht)
    make_user(Role.TRIAGE, region=utrecht, first_name="Tim", last_name="Jansen", is_active=False)
    make_user(Role.ADVICE_DESK, region=twente, first_name="Anouk", last_name="Meijer")

    page = page_text(admin_client.get("/accounts/users/"))

    assert "Jolanda Vos" in page
    assert "Utrecht: Medewerker advies, Medewerker triage" in page
    assert "Tim Jansen" in page and "Uitgeschakeld" in page
    assert "Anouk" not in page


def test_list_shows_an_account_locked_after_wrong_passwords(admin_client, utrecht, settings):
    locked = make_user(Role.ADVICE_DESK, region=utrecht, first_name="Stacey")
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        elsewhere.post("/accounts/login/", {"username": locked.username, "password": "fout"})

    assert "geblokkeerd" in page_text(admin_client.get("/accounts/users/"))


def test_list_searches_by_name_and_username(admin_client, utrecht):
    make_user(Role.ADVICE_DESK, region=utrecht, first_name="Gerda", last_name="Visser")
    make_user(Role.ADVICE_DESK, region=utrecht, username="ismail", first_name="Ismail")

    by_name = page_text(admin_client.get("/accounts/users/", {"q": "gerda viss"}))
    by_username = page_text(admin_client.get("/accounts/users/", {"q": "ISMA"}))

    assert "Gerda Visser" in by_name and "Ismail" not in by_name
    assert "Ismail" in by_username and "Gerda" not in by_username


def test_list_says_when_a_search_finds_nobody(admin_client):
    page = page_text(admin_client.get("/accounts/users/", {"q": "niemand"}))
    assert "Geen gebruikers gevonden voor “niemand”" in page


def _paging_links(response) -> dict[str, str]:
    nav = re.search(r'<nav class="pagination".*?</nav>', response.content.decode(), re.S)
    if nav is None:
        return {}
    return {
        label: html.unescape(href)
        for href, label in re.findall(r'<a href="([^"]*)"[^>]*>([^<]+)</a>', nav[0])
    }


def test_list_is_paged_by_name_with_no_name_in_the_address(admin_client, utrecht):
    for n in range(PAGE_SIZE + 1):
        make_user(Role.MONITORING, region=utrecht, last_name=f"Zz{n:02d}")

    first = admin_client.get("/accounts/users/")
    second = admin_client.get(f"/accounts/users/{_paging_links(first)['Volgende']}")
    last = admin_client.get(f"/accounts/users/{_paging_links(first)['Laatste pagina']}")

    assert "Zz24" not in page_text(first) and "Zz00" in page_text(first)
    assert "Zz24" in page_text(second) and "Zz23" not in page_text(second)
    assert "Zz24" in page_text(last) and "Volgende" not in _paging_links(last)
    for href in _paging_links(first).values():
        assert "Zz" not in href and "Monitoring" not in href
    # The search stays on while paging.
    searched = admin_client.get("/accounts/users/", {"q": "zz"})
    following = _paging_links(searched)["Volgende"]
    assert following.startswith("?q=zz&after=")
    assert "Zz25" not in page_text(searched)
    assert [
        u.last_name for u in admin_client.get(f"/accounts/users/{following}").context["page_obj"]
    ] == ["Zz25"]


def test_an_edited_list_address_shows_the_first_page(admin_client, utrecht):
    for n in range(PAGE_SIZE + 1):
        make_user(Role.MONITORING, region=utrecht, last_name=f"Zz{n:02d}")
    first = [u.pk for u in admin_client.get("/accounts/users/").context["page_obj"]]

    for query in ("?after=bm9uc2Vuc2U", "?before=%%%", "?after=WyI5OTk5OTkiXQ", "?page=2"):
        response = admin_client.get(f"/accounts/users/{query}")
        assert response.status_code == 200
        assert [u.pk for u in response.context["page_obj"]] == first


def test_looking_at_the_list_and_a_user_is_logged(admin_client, admin, utrecht):
    colleague = make_user(Role.ADVICE_DESK, region=utrecht)

    admin_client.get("/accounts/users/")
    admin_client.get(f"/accounts/users/{colleague.pk}/")

    views = AccessLogEntry.objects.filter(user_id=admin.pk, action=AccessLogAction.VIEW)
    listed = views.filter(records__object_type="accounts.user", records__object_id=colleague.pk)
    assert listed.count() == 1
    assert views.filter(object_id=str(colleague.pk), roles="functional_admin").exists()


def test_other_roles_cannot_open_user_management(client, utrecht):
    login_verified(client, make_user(Role.TEAM_LEAD, region=utrecht))
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/accounts/users/new/").status_code == 403


# --- Creating ----------------------------------------------------------------------------


def test_admin_creates_a_user_with_a_typed_password_who_can_then_log_in(
    admin_client, admin, utrecht
):
    response = admin_client.post("/accounts/users/new/", new_user_form(utrecht))

    jolanda = User.objects.get(username="jolanda")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/users/{jolanda.pk}/"
    assert jolanda.phone_number == "030-1234567"
    assert [(m.region, m.role) for m in jolanda.memberships.all()] == [(utrecht, Role.ADVICE_DESK)]
    assert can_log_in("jolanda", STRONG_PASSWORD)
    assert log_entries(admin, jolanda, AccessLogAction.CREATE) == [
        "gebruiker aangemaakt met rol(len) advice_desk in VT09"
    ]


def test_generated_password_is_shown_once_and_works(admin_client, utrecht):
    response = admin_client.post(
        "/accounts/users/new/",
        new_user_form(utrecht, password_mode="generate", password1="", password2=""),
    )

    assert response.status_code == 200
    page = page_text(response)
    password = page.split('data-testid="new-password">', 1)[1].split("<", 1)[0]
    assert len(password) >= 20
    assert can_log_in("jolanda", password)
    jolanda = User.objects.get(username="jolanda")
    assert password not in page_text(admin_client.get(f"/accounts/users/{jolanda.pk}/"))


def test_weak_password_is_refused_with_the_validators_messages(admin_client, utrecht):
    weak = "jolanda123"
    expected = []
    try:
        password_validation.validate_password(
            weak, user=User(username="jolanda", first_name="Jolanda", last_name="de Vries")
        )
    except ValidationError as exc:
        expected = exc.messages

    response = admin_client.post(
        "/accounts/users/new/", new_user_form(utrecht, password1=weak, password2=weak)
    )

    assert response.status_code == 200
    assert expected and all(message in page_text(response) for message in expected)
    assert not User.objects.filter(username="jolanda").exists()


def test_the_two_typed_passwords_must_match(admin_client, utrecht):
    response = admin_client.post(
        "/accounts/users/new/", new_user_form(utrecht, password2=STRONG_PASSWORD + "x")
    )
    assert "De twee wachtwoorden zijn niet gelijk." in page_text(response)
    assert not User.objects.filter(username="jolanda").exists()


def test_new_user_needs_a_role(admin_client, utrecht):
    response = admin_client.post("/accounts/users/new/", new_user_form(utrecht, roles=[]))
    assert "Kies minstens één rol." in page_text(response)
    assert not User.objects.filter(username="jolanda").exists()


def test_new_user_cannot_get_a_role_in_a_region_the_admin_does_not_manage(
    admin_client, utrecht, twente
):
    response = admin_client.post("/accounts/users/new/", new_user_form(twente))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in page_text(response)
    assert not User.objects.filter(username="jolanda").exists()


def test_a_username_that_differs_only_in_capitals_is_refused(admin_client, utrecht):
    make_user(Role.TRIAGE, region=utrecht, username="jolanda")
    response = admin_client.post("/accounts/users/new/", new_user_form(utrecht, username="Jolanda"))
    assert "Deze gebruikersnaam is al in gebruik" in page_text(response)
    assert User.objects.filter(username__iexact="jolanda").count() == 1


def test_partner_user_gets_an_organisation_of_the_admins_region_only(admin_client, utrecht, twente):
    own = PartnerOrganisationFactory.create(name="Wijkteam Amersfoort", region=utrecht)
    foreign = PartnerOrganisationFactory.create(name="Wijkteam Enschede", region=twente)

    refused = admin_client.post(
        "/accounts/users/new/",
        new_user_form(utrecht, organisation=foreign.pk, roles=[Role.LOCAL_TEAM_MEMBER]),
    )
    assert not User.objects.filter(username="jolanda").exists()
    assert "Wijkteam Enschede" not in page_text(refused)

    admin_client.post(
        "/accounts/users/new/",
        new_user_form(utrecht, organisation=own.pk, roles=[Role.LOCAL_TEAM_MEMBER]),
    )
    assert User.objects.get(username="jolanda").organisation == own


# --- Editing and roles -------------------------------------------------------------------


def test_admin_edits_a_users_details(admin_client, admin, utrecht):
    tim = make_user(Role.TRIAGE, region=utrecht, username="tim", first_name="Tim")

    response = admin_client.post(
        f"/accounts/users/{tim.pk}/edit/",
        {"first_name": "Timo", "last_name": "Jansen", "email": "timo@veiligthuis.example"},
    )

    tim.refresh_from_db()
    assert response.status_code == 302
    assert (tim.first_name, tim.email, tim.username) == ("Timo", "timo@veiligthuis.example", "tim")
    assert log_entries(admin, tim) == ["gegevens gewijzigd"]


def test_admin_adds_and_removes_roles_in_own_region(admin_client, admin, utrecht):
    tim = make_user(Role.TRIAGE, region=utrecht)

    # Monitoring cannot reveal a reporter, so one administrator gives it at once.
    admin_client.post(
        f"/accounts/users/{tim.pk}/roles/", {"region": utrecht.pk, "role": Role.MONITORING}
    )
    assert set(tim.memberships.values_list("role", flat=True)) == {Role.TRIAGE, Role.MONITORING}

    triage = tim.memberships.get(role=Role.TRIAGE)
    admin_client.post(f"/accounts/users/{tim.pk}/roles/{triage.pk}/remove/")
    assert set(tim.memberships.values_list("role", flat=True)) == {Role.MONITORING}
    assert log_entries(admin, tim) == [
        "rol triage in VT09 verwijderd",
        "rol monitoring in VT09 toegevoegd",
    ]


def test_a_role_in_another_region_cannot_be_added(admin_client, utrecht, twente):
    tim = make_user(Role.TRIAGE, region=utrecht)

    response = admin_client.post(
        f"/accounts/users/{tim.pk}/roles/",
        {"region": twente.pk, "role": Role.TEAM_LEAD},
        follow=True,
    )

    assert "De rol is niet toegevoegd" in page_text(response)
    assert not tim.memberships.filter(region=twente).exists()


def test_a_role_the_user_already_has_is_not_added_twice(admin_client, utrecht):
    tim = make_user(Role.TRIAGE, region=utrecht)
    response = admin_client.post(
        f"/accounts/users/{tim.pk}/roles/", {"region": utrecht.pk, "role": Role.TRIAGE}, follow=True
    )
    assert "heeft die rol in die regio al" in page_text(response)
    assert tim.memberships.count() == 1


def test_role_of_a_user_who_also_works_in_another_region_is_never_removed(
    admin_client, admin, utrecht, twente
):
    # Issue 12: such a user is managed by an administrator of both regions, not by this one.
    stacey = make_user(Role.ADVICE_DESK, region=utrecht)
    foreign = add_membership(stacey, Role.ADVICE_DESK, twente)

    assert admin_client.get(f"/accounts/users/{stacey.pk}/").status_code == 403
    response = admin_client.post(f"/accounts/users/{stacey.pk}/roles/{foreign.pk}/remove/")

    assert response.status_code == 403
    assert Membership.objects.filter(pk=foreign.pk).exists()
    assert AccessLogEntry.objects.filter(
        user_id=admin.pk, action=AccessLogAction.REFUSED, object_id=str(stacey.pk)
    ).exists()


def test_a_users_last_role_is_not_removed(admin_client, utrecht):
    tim = make_user(Role.TRIAGE, region=utrecht)
    only = tim.memberships.get()

    response = admin_client.post(f"/accounts/users/{tim.pk}/roles/{only.pk}/remove/", follow=True)

    assert "Dit is de laatste rol van deze gebruiker" in page_text(response)
    assert Membership.objects.filter(pk=only.pk).exists()


def test_admin_cannot_remove_own_last_user_management_role(admin_client, admin, utrecht):
    add_membership(admin, Role.TEAM_LEAD, utrecht)
    management = admin.memberships.get(role=Role.FUNCTIONAL_ADMIN)

    response = admin_client.post(
        f"/accounts/users/{admin.pk}/roles/{management.pk}/remove/", follow=True
    )

    assert "U kunt uw eigen laatste beheerrol niet verwijderen" in page_text(response)
    assert Membership.objects.filter(pk=management.pk).exists()


def test_admin_with_management_in_two_regions_may_give_up_one(admin_client, admin, twente):
    second = add_membership(admin, Role.FUNCTIONAL_ADMIN, twente)

    admin_client.post(f"/accounts/users/{admin.pk}/roles/{second.pk}/remove/")

    assert not Membership.objects.filter(pk=second.pk).exists()


# --- Another region's users --------------------------------------------------------------


def test_functional_admin_cannot_manage_users_of_another_region(admin_client, admin, twente):
    anouk = make_user(Role.ADVICE_DESK, region=twente, first_name="Anouk", email="a@x.example")
    urls = [
        ("get", f"/accounts/users/{anouk.pk}/", {}),
        ("post", f"/accounts/users/{anouk.pk}/edit/", {"first_name": "X", "last_name": "Y"}),
        ("post", f"/accounts/users/{anouk.pk}/deactivate/", {}),
        ("post", f"/accounts/users/{anouk.pk}/reset-two-factor/", {}),
        ("post", f"/accounts/users/{anouk.pk}/password/", {"password_mode": "generate"}),
    ]

    for method, url, data in urls:
        response = getattr(admin_client, method)(url, data)
        assert response.status_code == 403, url
        assert "Anouk" not in page_text(response)

    anouk.refresh_from_db()
    assert anouk.is_active and anouk.first_name == "Anouk"
    refusals = AccessLogEntry.objects.filter(
        user_id=admin.pk, action=AccessLogAction.REFUSED, object_id=str(anouk.pk)
    )
    assert refusals.count() == len(urls)


def test_an_unknown_user_is_not_found(admin_client):
    assert admin_client.get("/accounts/users/999999/").status_code == 404


def test_a_user_with_a_role_in_both_regions_is_managed_only_by_an_admin_of_both(
    admin_client, admin, utrecht, twente
):
    stacey = make_user(Role.ADVICE_DESK, region=twente)
    add_membership(stacey, Role.ADVICE_DESK, utrecht)
    assert admin_client.get(f"/accounts/users/{stacey.pk}/").status_code == 403

    add_membership(admin, Role.FUNCTIONAL_ADMIN, twente)
    assert admin_client.get(f"/accounts/users/{stacey.pk}/").status_code == 200


# --- Deactivating, two-factor, unlocking, passwords --------------------------------------


def test_deactivating_logs_the_user_out_everywhere_and_blocks_login(admin_client, admin, utrecht):
    tim = make_user(Role.TRIAGE, region=utrecht, username="tim")
    tims_laptop = login_verified(Client(), tim)

    response = admin_client.post(f"/accounts/users/{tim.pk}/deactivate/", follow=True)

    assert "is uitgeschakeld en overal uitgelogd" in page_text(response)
    assert tims_laptop.get("/staff/")["Location"].startswith("/accounts/login/")
    assert not can_log_in("tim", DEFAULT_PASSWORD)
    assert "account uitgeschakeld" in log_entries(admin, tim)
    assert AccessLogEntry.objects.filter(
        user_id=admin.pk,
        action=AccessLogAction.LOGOUT,
        object_id=str(tim.pk),
        reason="overal uitgelogd door functioneel beheerder",
    ).exists()

    admin_client.post(f"/accounts/users/{tim.pk}/reactivate/")
    assert can_log_in("tim", DEFAULT_PASSWORD)
    assert "account weer ingeschakeld" in log_entries(admin, tim)


def test_admin_cannot_deactivate_themselves(admin_client, admin):
    response = admin_client.post(f"/accounts/users/{admin.pk}/deactivate/", follow=True)

    assert "U kunt uw eigen account niet uitschakelen" in page_text(response)
    admin.refresh_from_db()
    assert admin.is_active


def test_reset_two_factor_makes_the_next_login_set_up_a_new_authenticator(
    admin_client, admin, utrecht
):
    tim = make_user(Role.TRIAGE, region=utrecht, username="tim")
    confirmed_totp_device(tim)

    admin_client.post(f"/accounts/users/{tim.pk}/reset-two-factor/")

    assert not TOTPDevice.objects.filter(user=tim, confirmed=True).exists()
    tims_phone = Client()
    tims_phone.post("/accounts/login/", {"username": "tim", "password": DEFAULT_PASSWORD})
    page = page_text(tims_phone.get("/accounts/two-factor/"))
    assert 'data-testid="totp-secret"' in page
    assert "tweestapsverificatie gereset" in log_entries(admin, tim)


def test_unlocking_lets_a_locked_user_log_in_again(admin_client, admin, utrecht, settings):
    tim = make_user(Role.TRIAGE, region=utrecht, username="tim")
    tims_laptop = Client(REMOTE_ADDR="192.0.2.20")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        tims_laptop.post("/accounts/login/", {"username": "tim", "password": "fout"})
    right = {"username": "tim", "password": DEFAULT_PASSWORD}
    assert tims_laptop.post("/accounts/login/", right).status_code == 429
    assert "Deblokkeren" in page_text(admin_client.get(f"/accounts/users/{tim.pk}/"))

    admin_client.post(f"/accounts/users/{tim.pk}/unlock/")

    assert tims_laptop.post("/accounts/login/", right).status_code == 302
    assert "account gedeblokkeerd" in log_entries(admin, tim)


def test_admin_sets_a_new_password_which_ends_the_users_sessions(admin_client, admin, utrecht):
    tim = make_user(Role.TRIAGE, region=utrecht, username="tim")
    tims_laptop = login_verified(Client(), tim)

    response = admin_client.post(
        f"/accounts/users/{tim.pk}/password/",
        {"password_mode": "type", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD},
    )

    assert response.status_code == 302
    assert tims_laptop.get("/staff/")["Location"].startswith("/accounts/login/")
    assert not can_log_in("tim", DEFAULT_PASSWORD)
    assert can_log_in("tim", STRONG_PASSWORD)
    assert log_entries(admin, tim) == ["nieuw wachtwoord ingesteld"]
