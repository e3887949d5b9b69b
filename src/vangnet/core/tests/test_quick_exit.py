"""Quick exit ends the visitor's session on the server as well as in the browser."""

from __future__ import annotations

import pytest
from django.conf import settings

from vangnet.accounts.models import Role
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_quick_exit_forgets_the_session(client):
    session = client.session
    session["anything"] = "kept until the exit"
    session.save()

    response = client.post("/exit/")

    assert response.status_code == 204
    assert "anything" not in client.session


def test_quick_exit_from_a_logged_in_browser_logs_out(client):
    login_verified(client, make_user(Role.ADVICE_DESK))
    client.post("/exit/")
    assert client.get("/staff/").status_code == 302


def test_quick_exit_asks_the_browser_to_clear_the_site_and_expires_every_cookie(client):
    client.get("/chat/")  # the intake form gives the browser a csrftoken cookie
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    session = client.session
    session["anything"] = "kept until the exit"
    session.save()
    assert settings.CSRF_COOKIE_NAME in client.cookies

    response = client.post("/exit/")

    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    for name in (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    ):
        assert response.cookies[name]["max-age"] == 0, name
        assert response.cookies[name].value == "", name
