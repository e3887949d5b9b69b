"""A request still running when its session is ended elsewhere (logout in another tab, "log
out everywhere") lands on the login page, not on a 400 — and an htmx poll is told to go there."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory

from vangnet.accounts.middleware import IDLE_KEY, IDLE_WRITE_SECONDS, SessionMiddleware
from vangnet.accounts.models import Role
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import make_user

pytestmark = pytest.mark.django_db


def a_request_whose_session_is_ended_while_it_runs(client, **headers):
    login_verified(client, make_user(Role.ADVICE_DESK))
    key = client.cookies["sessionid"].value
    request = RequestFactory().get("/staff/chat/queue/fragment/", **headers)
    request.COOKIES["sessionid"] = key
    middleware = SessionMiddleware(lambda r: HttpResponse("ok"))
    middleware.process_request(request)
    request.session["something"] = "changed"  # the request writes its session at the end
    Session.objects.filter(session_key=key).delete()  # … which another request just ended
    return middleware.process_response(request, HttpResponse("ok"))


def test_a_page_request_goes_to_the_login(client):
    response = a_request_whose_session_is_ended_while_it_runs(client)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_htmx_poll_is_told_to_load_the_login(client):
    response = a_request_whose_session_is_ended_while_it_runs(client, HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_a_request_in_the_same_minute_does_not_write_the_session(client):
    login_verified(client, make_user(Role.ADVICE_DESK))
    client.get("/staff/")
    seen = client.session[IDLE_KEY]

    client.get("/staff/")

    assert client.session[IDLE_KEY] == seen
    assert seen >= int(time.time()) - IDLE_WRITE_SECONDS
