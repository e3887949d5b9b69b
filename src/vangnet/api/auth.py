"""Partner systems authenticate with a per-organisation API token: `Authorization: Token <key>`.

The key is shown once when it is made (`manage.py create_partner_token`); the database keeps
only its SHA-256. A revoked key stops working at once (`manage.py revoke_partner_token`).

What a system may do follows from its organisation's kind (`PartnerSystemMay`, backed by
`accounts.policy.may_as_partner`), and it sees only its own records (`own_or_not_found`): for
another organisation's record it gets the same 404 as for an id that does not exist.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from vangnet.accounts.models import PartnerApiToken
from vangnet.accounts.policy import AccessDenied, Action, may_as_partner
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
    is_partner_system = True  # what accounts.policy recognises a partner system by
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


class PartnerSystemMay(permissions.BasePermission):
    """A partner system whose organisation's kind allows `action` (accounts.policy). Without a
    valid key DRF answers 401; with a key of the wrong kind of organisation, 403 (logged)."""

    action: Action
    message = _("Uw organisatie mag dit niet via de API.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.user, PartnerClient):
            return False
        if may_as_partner(request.user, self.action):
            return True
        # DRF throttles only after the permissions; a refused key counts too, so that it cannot
        # write REFUSED entries to the access log faster than its limit (then it gets a 429).
        view.check_throttles(request)
        return False


def partner_system_may(action: Action) -> type[PartnerSystemMay]:
    return type(f"PartnerSystemMay_{action}", (PartnerSystemMay,), {"action": action})


class RefusedAsNotFound(exceptions.NotFound):
    """Another organisation's record: answered exactly as a missing one, so ids cannot be
    probed, and logged as a refusal by the API's exception handler (vangnet.api.errors)."""

    def __init__(self, *, obj: Model):
        super().__init__()
        self.obj = obj


def own_or_not_found[M: Model](lookup: Callable[[], M]) -> M:
    """The caller's own record, from a partner selector (which raises Http404 for a missing
    record and AccessDenied for another's); the same 404 for both."""
    try:
        return lookup()
    except Http404:
        raise exceptions.NotFound() from None
    except AccessDenied as refusal:
        if not isinstance(refusal.obj, Model):
            raise  # not about a record: an ordinary 403
        raise RefusedAsNotFound(obj=refusal.obj) from None


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
