"""Session rules for logged-in users: idle timeout and login-required-by-default."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# Paths anyone may open without logging in. Everything else needs a verified (2FA) login.
PUBLIC_PREFIXES = (
    "/static/",
    "/healthz",
    "/api/",  # the API decides per endpoint (deny by default in REST_FRAMEWORK settings)
    "/accounts/login/",
    "/accounts/two-factor/",
    # Someone who gave the password but not yet the code must be able to cancel.
    "/accounts/logout/",
    "/accounts/locked/",
    "/i18n/",
    "/chat/",
    "/favicon.ico",
    "/robots.txt",
    "/exit/",
    # The reporter's status page: the reference and the secret of the link are the key.
    "/melding/",
)
PUBLIC_EXACT = ("/",)

IDLE_KEY = "vangnet_last_seen"
# The last-seen time is written at most this often: each write is a database write of the
# session, and a request still running when its session was ended elsewhere cannot save it.
IDLE_WRITE_SECONDS = 60


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that a request whose session was ended while it ran
    (a logout in another tab, "log out everywhere", the idle timeout) is sent to the login page
    instead of getting Django's 400 "session interrupted"."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except SessionInterrupted:
            to_login = redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if request.headers.get("HX-Request"):
                # htmx swaps a redirect's page into the fragment; this makes it load the page.
                answer = HttpResponse(status=204)
                answer["HX-Redirect"] = to_login.url
                return answer
            return to_login


class IdleTimeoutMiddleware:
    """Log a user out after SESSION_IDLE_TIMEOUT_MINUTES without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(IDLE_KEY)
            limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            if last_seen is not None and now - int(last_seen) > limit:
                logout(request)
                request.session["vangnet_idle_logout"] = True
            elif last_seen is None or now - int(last_seen) >= IDLE_WRITE_SECONDS:
                request.session[IDLE_KEY] = now
                request.session.set_expiry(limit)
        return self.get_response(request)


class LoginRequiredByDefaultMiddleware:
    """Deny by default: any page that is not explicitly public needs a 2FA-verified user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in PUBLIC_EXACT or path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not user.is_verified():  # type: ignore[attr-defined]  # set by django_otp's middleware
            return redirect("accounts:two_factor")
        return self.get_response(request)
