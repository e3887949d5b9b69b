"""Issue 12, hole 8: repeated wrong passwords lock the right thing.

An account is locked for the address the wrong passwords came from (username + address), so a
stranger cannot lock a person out and one person's typos do not lock the office behind the
same address. An address that fails for many accounts is throttled on its own, at a higher
limit. Whoever is stopped is told what to do."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from vangnet.accounts.lockout import locked_usernames
from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.testing.factories import DEFAULT_PASSWORD, RegionFactory, make_user

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.1"  # a Veilig Thuis office behind one NAT address
HOME = "198.51.100.7"
ELSEWHERE = "203.0.113.66"


@pytest.fixture
def utrecht():
    return RegionFactory.create(code="VT09", name="Utrecht")


@pytest.fixture
def jolanda(utrecht):
    return make_user(Role.ADVICE_DESK, region=utrecht, username="jolanda")


@pytest.fixture
def tim(utrecht):
    return make_user(Role.TRIAGE, region=utrecht, username="tim")


def browser(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def log_in(client: Client, username: str, password: str = DEFAULT_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def fail(client: Client, username: str, times: int) -> list[int]:
    return [log_in(client, username, f"fout-{n}").status_code for n in range(times)]


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_colleague_behind_the_same_address_is_not_locked_out(jolanda, tim, settings):
    office = browser(OFFICE)
    fail(office, "jolanda", settings.AXES_FAILURE_LIMIT)

    assert log_in(office, "jolanda").status_code == 429
    assert log_in(browser(OFFICE), "tim").status_code == 302


def test_a_stranger_cannot_lock_someone_out_by_knowing_her_username(jolanda, settings):
    fail(browser(ELSEWHERE), "jolanda", settings.AXES_FAILURE_LIMIT + 3)

    response = log_in(browser(HOME), "jolanda")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"


def test_the_locked_out_user_is_told_to_wait_or_ask_the_administrator(jolanda, settings):
    office = browser(OFFICE)
    statuses = fail(office, "jolanda", settings.AXES_FAILURE_LIMIT)

    assert statuses[-1] == 429
    page = text(log_in(office, "jolanda"))
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert "Account tijdelijk geblokkeerd" in page
    assert f"Wacht {minutes} minuten" in page
    assert "Vraag uw functioneel beheerder om uw account te deblokkeren" in page


def test_an_address_trying_many_accounts_is_throttled_at_its_own_higher_limit(jolanda, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT * 2
    attacker = browser(ELSEWHERE)
    # One wrong password for each of many usernames: no account reaches its own limit.
    statuses = [
        log_in(attacker, f"gok-{n}", "fout").status_code
        for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    ]
    assert statuses == [200] * settings.LOGIN_ADDRESS_FAILURE_LIMIT

    throttled = log_in(attacker, "jolanda")

    assert throttled.status_code == 429
    assert "Vanaf dit netwerk is te vaak een verkeerd wachtwoord ingevuld" in text(throttled)
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.LOGIN_FAILED,
        username="jolanda",
        reason="te veel mislukte inlogpogingen vanaf dit adres",
    ).exists()
    # Jolanda herself, from her own address, is not affected.
    assert log_in(browser(HOME), "jolanda").status_code == 302


def test_the_administrator_sees_an_account_locked_only_when_one_address_reached_the_limit(
    jolanda, settings
):
    below = settings.AXES_FAILURE_LIMIT - 1
    fail(browser(OFFICE), "jolanda", below)
    fail(browser(HOME), "jolanda", below)

    assert locked_usernames(["jolanda"]) == set()

    fail(browser(OFFICE), "jolanda", 1)

    assert locked_usernames(["jolanda"]) == {"jolanda"}
