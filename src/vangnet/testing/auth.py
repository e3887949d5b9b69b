"""Logging a test client in the way a person does: password, then a TOTP code."""

from __future__ import annotations

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vangnet.accounts.models import User

from .factories import DEFAULT_PASSWORD, confirmed_totp_device


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login_verified(client: Client, user: User, password: str = DEFAULT_PASSWORD) -> Client:
    """Log in through the real login and two-factor pages; fails loudly if either refuses."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or confirmed_totp_device(
        user
    )
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, f"login refused: {response.status_code}"
    response = client.post("/accounts/two-factor/", {"token": current_code(device)})
    assert response.status_code == 302, f"two-factor refused: {response.status_code}"
    return client
