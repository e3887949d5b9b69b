"""Searching the access log: only for the privacy officer, and the search itself is logged."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils import timezone

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, require, roles_for

from .models import AccessLogAction, AccessLogEntry
from .services import record_access

PAGE_SIZE = 50


def search_access_log(
    *, user: User, filters: dict[str, Any], page: str | int | None, request: HttpRequest
) -> Page:
    require(user, Action.VIEW_ACCESS_LOG)
    queryset = AccessLogEntry.objects.all()
    if filters.get("username"):
        queryset = queryset.filter(username__iexact=filters["username"])
    if filters.get("object_type"):
        queryset = queryset.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        oid = filters["object_id"]
        queryset = (
            queryset.filter(object_id=oid)
            | queryset.filter(object_id__startswith=f"{oid},")
            | queryset.filter(object_id__endswith=f",{oid}")
            | queryset.filter(object_id__contains=f",{oid},")
        )
    if filters.get("action"):
        queryset = queryset.filter(action=filters["action"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        queryset = queryset.filter(at__gte=datetime.combine(filters["date_from"], time.min, tz))
    if filters.get("date_to"):
        end = datetime.combine(filters["date_to"] + timedelta(days=1), time.min, tz)
        queryset = queryset.filter(at__lt=end)
    page_obj = Paginator(queryset.order_by("-sequence"), PAGE_SIZE).get_page(page)
    described = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        object_type="audit.accesslogentry",
        object_id=f"zoekopdracht: {described}"[:255] if described else "zoekopdracht",
        roles=roles_for(user, Action.VIEW_ACCESS_LOG),
        request=request,
    )
    return page_obj
