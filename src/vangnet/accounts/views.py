"""Logging in (password, then a TOTP code), logging out, and the user's security page."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access

from . import lockout
from .forms import LoginForm, TokenForm
from .models import User
from .services import (
    confirm_totp_device,
    has_confirmed_device,
    log_out_everywhere,
    pending_totp_device,
)
from .websocket import recheck_sockets

NEXT_KEY = "vangnet_login_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and user.is_verified():  # type: ignore[attr-defined]  # django_otp
        return redirect(settings.LOGIN_REDIRECT_URL)
    if request.method == "POST" and lockout.address_is_throttled(request):
        # Not even tried: this address has failed for too many accounts (accounts/lockout.py).
        record_access(
            user=None,
            action=AccessLogAction.LOGIN_FAILED,
            object_type="accounts.user",
            username=str(request.POST.get("username", ""))[:150],
            audit=AuditContext.from_request(request),
            reason="te veel mislukte inlogpogingen vanaf dit adres",
        )
        return _locked_page(request, address=True)
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            request.session[NEXT_KEY] = _safe_next(request, request.POST.get("next"))
            return redirect("accounts:two_factor")
        record_access(
            user=None,
            action=AccessLogAction.LOGIN_FAILED,
            object_type="accounts.user",
            username=str(request.POST.get("username", ""))[:150],
            audit=AuditContext.from_request(request),
        )
    idle = request.session.pop("vangnet_idle_logout", False)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", ""), "idle_logout": idle},
    )


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step: a code from the authenticator app; set one up on the first login."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    assert isinstance(user, User)
    if user.is_verified():  # type: ignore[attr-defined]  # added by django_otp's middleware
        return redirect(settings.LOGIN_REDIRECT_URL)
    enrolling = not has_confirmed_device(user=user)
    device: TOTPDevice | None = pending_totp_device(user=user) if enrolling else None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        candidates = (
            [device] if device else list(TOTPDevice.objects.filter(user=user, confirmed=True))
        )
        verified = next((d for d in candidates if d is not None and d.verify_token(token)), None)
        if verified is not None:
            if enrolling:
                confirm_totp_device(user=user, device=verified)
            otp_login(request, verified)
            record_access(
                user=user,
                action=AccessLogAction.LOGIN,
                obj=user,
                roles=sorted(user.roles),
                audit=AuditContext.from_request(request),
            )
            return HttpResponseRedirect(
                request.session.pop(NEXT_KEY, None) or resolve_url(settings.LOGIN_REDIRECT_URL)
            )
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwste code."))
    context: dict[str, object] = {"form": form, "enrolling": enrolling}
    if device is not None:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
        context["secret"] = b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "accounts/two_factor.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    user_id = None
    if request.user.is_authenticated:
        user_id = request.user.pk
        record_access(
            user=request.user,
            action=AccessLogAction.LOGOUT,
            obj=request.user,
            audit=AuditContext.from_request(request),
        )
    logout(request)
    if user_id is not None:
        # The sockets of this session close with it (those of other sessions check and stay).
        recheck_sockets(user_id=user_id)
    messages.success(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        log_out_everywhere(user=user, audit=AuditContext.from_request(request))
        logout(request)
        messages.success(request, _("U bent op alle apparaten uitgelogd."))
        return redirect("accounts:login")
    return render(request, "accounts/security.html")


def _locked_page(request: HttpRequest, *, address: bool) -> HttpResponse:
    return render(
        request,
        "accounts/locked.html",
        {"minutes": lockout.lockout_minutes(), "address": address},
        status=429,
    )


def locked_out(
    request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    """Shown by django-axes when an account is locked after repeated failed logins."""
    return _locked_page(request, address=False)
