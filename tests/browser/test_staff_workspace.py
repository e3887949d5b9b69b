"""A staff member logs in with password and code, and sees the work of their own region only."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.factories import (
    DEFAULT_PASSWORD,
    ContactFactory,
    RegionFactory,
    confirmed_totp_device,
    make_user,
)

from .conftest import ConsoleErrors, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advice_desk_logs_in_with_code_and_sees_only_own_regions_contacts(page: Page):
    utrecht, twente = RegionFactory.create(name="Utrecht"), RegionFactory.create(name="Twente")
    ContactFactory.create(region=utrecht, summary="Zorgen over een buurjongen in Utrecht")
    ContactFactory.create(region=twente, summary="Zorgen over een buurmeisje in Twente")
    user = make_user(Role.ADVICE_DESK, region=utrecht, first_name="Sanne", last_name="Visser")

    log_in(page, user, confirmed_totp_device(user))

    expect(page).to_have_url("/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Sanne Visser")
    expect(page.get_by_role("main")).to_contain_text("U werkt in Veilig Thuis Utrecht.")
    page.get_by_role("link", name="Naar het contactregister").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacten — Utrecht")
    expect(page.get_by_role("main")).to_contain_text("buurjongen in Utrecht")
    expect(page.get_by_role("main")).not_to_contain_text("Twente")


def test_first_login_sets_up_the_authenticator_app_from_the_key_on_the_page(page: Page):
    region = RegionFactory.create(name="Twente")
    user = make_user(Role.TRIAGE, region=region)
    assert not TOTPDevice.objects.filter(user=user).exists()

    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Volgende").click()

    expect(
        page.get_by_role("img", name="QR-code om de authenticator-app in te stellen")
    ).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    # What an authenticator app does with the key typed in by hand.
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Inloggen", exact=True).click()

    expect(page).to_have_url("/staff/")
    expect(page.get_by_role("main")).to_contain_text("U werkt in Veilig Thuis Twente.")
    assert TOTPDevice.objects.get(user=user).confirmed


def test_contact_of_another_region_shows_the_refusal_page_and_is_logged(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors
):
    own, other = RegionFactory.create(name="Utrecht"), RegionFactory.create(name="Twente")
    foreign = ContactFactory.create(region=other, summary="Geheim verhaal uit Twente")
    user = make_user(Role.ADVICE_DESK, region=own)
    log_in(page, user, confirmed_totp_device(user))
    expect(page).to_have_url("/staff/")
    foreign_url = f"{live_server.url}/staff/contacts/{foreign.pk}/"
    console_errors.expect_failed_load(foreign_url)

    response = page.goto(foreign_url)

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_role("main")).to_contain_text("vastgelegd in het toegangslog")
    expect(page.get_by_role("main")).not_to_contain_text("Geheim verhaal")
    refusal = AccessLogEntry.objects.get(action=AccessLogAction.REFUSED, user_id=user.pk)
    assert refusal.object_type == "contacts.contact"
    assert refusal.object_id == str(foreign.pk)
