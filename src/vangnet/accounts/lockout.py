"""When repeated wrong passwords stop a login: the one place that knows the rule.

Issue 12: locking an account for every address let anyone who knew a username lock that
person out, and locking an address for every account locked a whole office behind one NAT
address. So django-axes locks the *combination* of username and address after
`AXES_FAILURE_LIMIT` failures (settings: `AXES_LOCKOUT_PARAMETERS`), and this module throttles
an address on its own only after the much higher `LOGIN_ADDRESS_FAILURE_LIMIT` failures for
any accounts (someone trying many usernames). Both last `AXES_COOLOFF_TIME` after the last
failure; a functional administrator lifts an account's lock (`services.unlock_user`).

The counts are django-axes' own `AccessAttempt` rows (one per username, address and browser),
so every web process sees the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def _recent_attempts() -> QuerySet[AccessAttempt]:
    return AccessAttempt.objects.filter(
        attempt_time__gt=timezone.now() - settings.AXES_COOLOFF_TIME
    )


def locked_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of these accounts are locked now, from at least one address."""
    failures = (
        _recent_attempts()
        .filter(username__in=list(usernames))
        .values("username", "ip_address")
        .annotate(total=Sum("failures_since_start"))
    )
    return {row["username"] for row in failures if row["total"] >= settings.AXES_FAILURE_LIMIT}


def address_is_throttled(request: HttpRequest) -> bool:
    """Too many failed logins from this address, for any accounts, to try another now."""
    address = get_client_ip_address(request)
    if not address:
        return False
    total = (
        _recent_attempts()
        .filter(ip_address=address)
        .aggregate(total=Sum("failures_since_start"))["total"]
    )
    return (total or 0) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
