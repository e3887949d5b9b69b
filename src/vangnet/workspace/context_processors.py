"""Navigation and region switcher for the staff and partner workspace, per role."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.policy import Action, may

from .middleware import regions_of_request

NAVIGATION = [
    # (url name, label, action that shows it)
    ("workspace:home", _("Overzicht"), None),
    ("chat_staff:queue", _("Chat"), Action.HANDLE_CHAT),
    ("partner:handovers", _("Warme overdracht"), Action.REQUEST_HANDOVER),
    ("contacts:list", _("Contacten"), Action.VIEW_CONTACT),
    ("contacts:new", _("Contact registreren"), Action.REGISTER_CONTACT),
    ("contacts:search", _("Zoeken"), Action.VIEW_CONTACT),
    ("socialmap:list", _("Sociale kaart"), Action.MANAGE_SOCIAL_MAP),
    ("accounts:user_list", _("Gebruikers"), Action.MANAGE_USERS),
    ("audit:search", _("Toegangslog"), Action.VIEW_ACCESS_LOG),
    ("reports:list", _("Meldingen"), Action.VIEW_REPORT),
    ("reports:deadlines", _("Termijnen"), Action.VIEW_REPORT),
    ("partner_reports:transfers", _("Overdrachten"), Action.ACCEPT_TRANSFER),
    ("meldcode:overview", _("Meldcode"), Action.USE_MELDCODE),
    ("advice_requests:queue", _("Terugbelverzoeken"), Action.HANDLE_ADVICE_REQUEST),
    ("insights:index", _("Inzicht"), Action.VIEW_INSIGHTS),
    ("rights:retention", _("Bewaartermijnen"), Action.VIEW_RETENTION),
    ("rights:requests", _("Verzoeken betrokkenen"), Action.HANDLE_SUBJECT_REQUEST),
    # The meldcode contact person sets how long the organisation keeps meldcode records.
    ("rights:meldcode_term", _("Bewaartermijn meldcode"), Action.VIEW_ORGANISATION_MELDCODE),
]


def workspace(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)  # absent when an error happens before authentication
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    items: list[dict[str, object]] = [
        {"url": reverse(name), "label": label, "name": name}
        for name, label, action in NAVIGATION
        if action is None or may(user, action)
    ]
    current = request.resolver_match.view_name if request.resolver_match else ""
    for item in items:
        item["current"] = item["name"] == current
    return {
        "nav_items": items,
        "user_regions": regions_of_request(request),
        "active_region": getattr(request, "active_region", None),
    }
