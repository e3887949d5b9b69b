"""Rate limits per partner API key (not per address: a partner's system may sit behind one
address with others, or spread over many).

Two budgets, both per key, both settings: `API_PARTNER_RATE` for every request and
`API_PARTNER_WRITE_RATE` for requests that change something (a handover request puts a child's
case in a national queue). They are the API's default throttles (settings.REST_FRAMEWORK), so
a new partner endpoint is limited without saying so. A request over the limit gets a 429 with
`Retry-After` (seconds). The counters live in the cache: Redis in production, so every web
process counts the same.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from vangnet.accounts.policy import is_partner_system


class PartnerKeyRateThrottle(SimpleRateThrottle):
    scope = "partner"
    setting = "API_PARTNER_RATE"

    def get_rate(self) -> str:
        # Read when used, not at import, so the rate follows the settings.
        return str(getattr(settings, self.setting))

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        user = request.user
        if not is_partner_system(user):
            return None  # not a partner key: other limits (per address) apply, if any
        return self.cache_format % {"scope": self.scope, "ident": user.token.pk}  # type: ignore[union-attr]  # a partner system (checked above)


class PartnerKeyWriteRateThrottle(PartnerKeyRateThrottle):
    scope = "partner_write"
    setting = "API_PARTNER_WRITE_RATE"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
