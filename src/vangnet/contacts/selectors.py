"""Reads of contacts. Every read of personal data goes through here: policy, then access log."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils import timezone

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.regions.models import Region

from .models import AdviceDossier, Contact

PAGE_SIZE = 25


def recent_contact_count(*, user: User, region: Region, days: int = 7) -> int:
    """A number, not personal data: no access-log entry."""
    if not may(user, Action.VIEW_CONTACT, region):
        return 0
    since = timezone.now() - timedelta(days=days)
    return Contact.objects.filter(region=region, received_at__gte=since).count()


def contact_page(
    *, user: User, region: Region, page: str | int | None, request: HttpRequest
) -> Page:
    """One page of the region's contact register; the shown records are logged as seen."""
    if not may(user, Action.VIEW_CONTACT, region):
        record_access(
            user=user,
            action=AccessLogAction.REFUSED,
            obj=region,
            request=request,
            reason="contactregister van een andere regio",
        )
        raise AccessDenied(action=Action.VIEW_CONTACT, obj=region, logged=True)
    queryset = Contact.objects.filter(region=region).select_related("registered_by")
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(page)
    if page_obj.object_list:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=page_obj.object_list,
            roles=roles_for(user, Action.VIEW_CONTACT, region),
            request=request,
        )
    return page_obj


def contact_detail(*, user: User, contact_id: int, request: HttpRequest) -> Contact:
    """One contact, when the user may see it; a refusal is logged and raised."""
    contact = Contact.objects.select_related("region", "registered_by").get(pk=contact_id)
    if not may(user, Action.VIEW_CONTACT, contact):
        record_access(user=user, action=AccessLogAction.REFUSED, obj=contact, request=request)
        raise AccessDenied(action=Action.VIEW_CONTACT, obj=contact, logged=True)
    roles = roles_for(user, Action.VIEW_CONTACT, contact)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=contact,
        roles=roles or ["break_glass"],
        request=request,
    )
    return contact


def dossier_detail(*, user: User, dossier_id: int, request: HttpRequest) -> AdviceDossier:
    """An advice dossier with its whole history, when the user may see it. Logged."""
    dossier = AdviceDossier.objects.select_related("region", "owner").get(pk=dossier_id)
    if not may(user, Action.VIEW_CONTACT, dossier):
        record_access(user=user, action=AccessLogAction.REFUSED, obj=dossier, request=request)
        raise AccessDenied(action=Action.VIEW_CONTACT, obj=dossier, logged=True)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=dossier,
        roles=roles_for(user, Action.VIEW_CONTACT, dossier) or ["break_glass"],
        request=request,
    )
    return dossier


def dossier_history(dossier: AdviceDossier) -> list[dict[str, object]]:
    """Everything in the dossier in the order it happened: contacts and chats."""
    from vangnet.chat.models import Conversation

    items: list[dict[str, object]] = [
        {"at": c.received_at, "kind": "contact", "contact": c}
        for c in dossier.contacts.select_related("registered_by").order_by("received_at", "pk")
    ]
    items += [
        {"at": conv.created_at, "kind": "chat", "chat": conv}
        for conv in Conversation.objects.filter(dossier=dossier).select_related("assigned_to")
    ]
    return sorted(items, key=lambda item: item["at"])  # type: ignore[arg-type,return-value]
