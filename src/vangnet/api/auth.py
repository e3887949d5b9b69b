"""Partner systems authenticate with a per-organisation API token: `Authorization: Token <key>`.

The key is shown once when it is made (`manage.py create_partner_token`); the database keeps
only its SHA-256. A revoked key stops working at once (`manage.py revoke_partner_token`).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from vangnet.accounts.models import PartnerApiToken
from vangnet.regions.models import PartnerOrganisation

KEY_PREFIX = "vgn_"


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, organisation: PartnerOrganisation, name: str) -> tuple[PartnerApiToken, str]:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = PartnerApiToken.objects.create(
        organisation=organisation, name=name, digest=token_digest(key), prefix=key[:12]
    )
    return token, key


class PartnerClient:
    """Who calls: a partner organisation's system (not a person; no session, no CSRF)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    pk = None

    def __init__(self, token: PartnerApiToken):
        self.token = token
        self.organisation = token.organisation

    def get_username(self) -> str:
        return f"api:{self.organisation.name}"[:150]


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Geef precies één API-sleutel mee."))
        key = header[1].decode(errors="replace")
        token = (
            PartnerApiToken.objects.select_related("organisation")
            .filter(digest=token_digest(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Deze API-sleutel is onbekend of ingetrokken."))
        PartnerApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return PartnerClient(token), token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class IsPartnerSystem(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, PartnerClient)


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "vangnet.api.auth.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: the partner organisation's API key.",
        }
