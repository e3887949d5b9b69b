"""Logging in as a person does it: password, then a code from the authenticator app; and
what protects the account afterwards (lockout, idle timeout, log out everywhere)."""

from __future__ import annotations

import html
import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet import settings as project_settings
from vangnet.accounts.middleware import IDLE_KEY
from vangnet.accounts.models import Role, User
from vangnet.testing.auth import current_code, login_verified
from vangnet.testing.factories import (
    DEFAULT_PASSWORD,
    RegionFactory,
    confirmed_totp_device,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jolanda():
    return make_user(Role.ADVICE_DESK, username="jolanda")


@pytest.fixture(autouse=True)
def _no_code_backoff(settings):
    # django-otp waits a second before it accepts a code after a wrong one; the tests type
    # faster than a person, and the back-off is django-otp's own (tested there).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def log_in_with_password(client: Client, username: str, password: str = DEFAULT_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_wrong_password_is_refused_with_a_dutch_message(client, jolanda):
    response = log_in_with_password(client, "jolanda", "niet-het-goede-wachtwoord")

    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord klopt niet." in page_text(response)
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")


def test_first_login_sets_up_the_authenticator_app(client, jolanda):
    response = log_in_with_password(client, "jolanda")
    assert response["Location"] == "/accounts/two-factor/"

    page = page_text(client.get("/accounts/two-factor/"))
    assert "Stel eerst uw authenticator-app in" in page
    secret = page.split('data-testid="totp-secret">', 1)[1].split("<", 1)[0]
    device = TOTPDevice.objects.get(user=jolanda, confirmed=False)
    assert secret and secret in page

    right = current_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    refused = client.post("/accounts/two-factor/", {"token": wrong})
    assert "Deze code klopt niet of is verlopen" in page_text(refused)
    assert client.get("/staff/")["Location"] == "/accounts/two-factor/"

    accepted = client.post("/accounts/two-factor/", {"token": right})
    assert accepted.status_code == 302 and accepted["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert TOTPDevice.objects.get(user=jolanda).confirmed


def test_later_logins_ask_for_the_code_and_show_no_secret(client, jolanda):
    device = confirmed_totp_device(jolanda)
    log_in_with_password(client, "jolanda")

    page = page_text(client.get("/accounts/two-factor/"))

    assert "Vul de code van 6 cijfers in" in page
    assert "totp-secret" not in page
    response = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert response["Location"] == "/staff/"


def test_the_workspace_needs_the_code_not_only_the_password(client, jolanda):
    confirmed_totp_device(jolanda)
    log_in_with_password(client, "jolanda")
    assert client.get("/staff/")["Location"] == "/accounts/two-factor/"


def test_account_is_locked_after_too_many_wrong_passwords(client, jolanda, settings):
    responses = [
        log_in_with_password(client, "jolanda", f"fout-{n}")
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    right = log_in_with_password(client, "jolanda")
    assert right.status_code == 429
    assert "Account tijdelijk geblokkeerd" in page_text(right)
    assert client.get("/accounts/two-factor/")["Location"] == "/accounts/login/"


def test_idle_session_is_logged_out_with_a_message(client, jolanda, settings):
    login_verified(client, jolanda)
    session = client.session
    idle_for = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 60
    session[IDLE_KEY] = int(time.time()) - idle_for
    session.save()

    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    login_page = page_text(client.get(response["Location"]))
    assert "U bent uitgelogd omdat u een tijd niets heeft gedaan." in login_page
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")


def test_an_active_session_stays_logged_in(client, jolanda):
    login_verified(client, jolanda)
    session = client.session
    session[IDLE_KEY] = int(time.time()) - 60
    session.save()
    assert client.get("/staff/").status_code == 200


def test_log_out_everywhere_ends_the_session_on_other_devices(jolanda):
    laptop = login_verified(Client(), jolanda)
    # The phone logs in with the next code of the same app; the tests do not wait 30 s for it.
    TOTPDevice.objects.filter(user=jolanda).update(last_t=-1)
    phone = login_verified(Client(), jolanda)
    assert phone.get("/staff/").status_code == 200

    response = laptop.post("/accounts/security/", follow=True)

    assert "U bent op alle apparaten uitgelogd." in page_text(response)
    assert phone.get("/staff/")["Location"].startswith("/accounts/login/")
    assert laptop.get("/staff/")["Location"].startswith("/accounts/login/")


def test_logging_out_ends_the_session(client, jolanda):
    login_verified(client, jolanda)
    response = client.post("/accounts/logout/", follow=True)
    assert "U bent uitgelogd." in page_text(response)
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")


def test_passwords_are_stored_with_argon2_in_production_settings(client, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    region = RegionFactory.create()
    login_verified(client, make_user(Role.FUNCTIONAL_ADMIN, region=region))

    client.post(
        "/accounts/users/new/",
        {
            "username": "gerda",
            "first_name": "Gerda",
            "last_name": "Visser",
            "email": "gerda@veiligthuis.example",
            "region": region.pk,
            "roles": [Role.BEHAVIOURAL_SCIENTIST],
            "password_mode": "type",
            "password1": "Lindeboom-Waterlelie-3190",
            "password2": "Lindeboom-Waterlelie-3190",
        },
    )

    stored = User.objects.get(username="gerda").password
    assert identify_hasher(stored).algorithm == "argon2"
    assert stored.startswith("argon2$argon2id$")


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/staff/", "https:evil.example", "javascript:alert(1)"],
)
def test_login_ignores_a_next_address_on_another_site(client, jolanda, next_url):
    device = confirmed_totp_device(jolanda)
    client.post(
        "/accounts/login/",
        {"username": "jolanda", "password": DEFAULT_PASSWORD, "next": next_url},
    )
    response = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert response["Location"] == "/staff/"


def test_login_returns_to_the_page_asked_for_on_this_site(client, jolanda):
    device = confirmed_totp_device(jolanda)
    asked = client.get("/staff/contacts/")
    assert asked["Location"] == "/accounts/login/?next=/staff/contacts/"

    client.post(
        "/accounts/login/",
        {"username": "jolanda", "password": DEFAULT_PASSWORD, "next": "/staff/contacts/"},
    )
    response = client.post("/accounts/two-factor/", {"token": current_code(device)})

    assert response["Location"] == "/staff/contacts/"
