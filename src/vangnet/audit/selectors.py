"""Searching the access log: only for the privacy officer, and the search itself is logged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from vangnet.accounts.models import Membership, User
from vangnet.accounts.policy import Action, may, regions_where, require, roles_for
from vangnet.audit.context import AuditContext
from vangnet.pagination import Key, KeysetPage, keyset_page
from vangnet.regions.models import Region

from .models import AccessLogAction, AccessLogEntry, AccessLogRecord
from .services import record_access

PAGE_SIZE = 50
NEWEST_ENTRY_FIRST = (Key("sequence", descending=True),)


def search_access_log(
    *, user: User, filters: dict[str, Any], params: Mapping[str, str], audit: AuditContext | None
) -> KeysetPage[AccessLogEntry]:
    """One page of the entries found, newest first, paged by sequence number (`params`: the
    request's `after`/`before`/`last`, core.pagination)."""
    require(user, Action.VIEW_ACCESS_LOG)
    queryset = visible_entries(user)
    if filters.get("username"):
        queryset = queryset.filter(username__iexact=filters["username"])
    queryset = _about_record(
        queryset,
        object_type=filters.get("object_type") or "",
        object_id=filters.get("object_id") or "",
    )
    if filters.get("action"):
        queryset = queryset.filter(action=filters["action"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        queryset = queryset.filter(at__gte=datetime.combine(filters["date_from"], time.min, tz))
    if filters.get("date_to"):
        end = datetime.combine(filters["date_to"] + timedelta(days=1), time.min, tz)
        queryset = queryset.filter(at__lt=end)
    # Read the page (keyset_page does) before the search itself is logged.
    page_obj = keyset_page(
        queryset.prefetch_related("records"), keys=NEWEST_ENTRY_FIRST, size=PAGE_SIZE, params=params
    )
    described = ", ".join(f"{k}={v}" for k, v in sorted(filters.items()) if v)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        object_type="audit.accesslogentry",
        object_id=f"zoekopdracht: {described}"[:255] if described else "zoekopdracht",
        roles=roles_for(user, Action.VIEW_ACCESS_LOG),
        audit=audit,
    )
    return page_obj


def visible_entries(user: User) -> QuerySet[AccessLogEntry]:
    """The entries a privacy officer may read: those of their own regions — done there, or
    about records of those regions, or (for entries tied to no region, such as a login) by
    people who work there. All of them only for the national privacy role."""
    if may(user, Action.VIEW_ALL_ACCESS_LOG):
        return AccessLogEntry.objects.all()
    region_ids = regions_where(user, Action.VIEW_ACCESS_LOG)
    if not region_ids:
        return AccessLogEntry.objects.none()
    codes = list(Region.objects.filter(pk__in=region_ids).values_list("code", flat=True))
    about_region = Q()
    for code in codes:
        about_region |= (
            Q(record_regions=code)
            | Q(record_regions__startswith=f"{code},")
            | Q(record_regions__endswith=f",{code}")
            | Q(record_regions__contains=f",{code},")
        )
    members = Membership.objects.filter(region_id__in=region_ids)
    by_members = Q(user_id__in=members.values("user_id")) | Q(
        user_id=None, username__in=members.values("user__username")
    )
    return AccessLogEntry.objects.filter(
        Q(region_code__in=codes)
        | about_region
        | (Q(region_code="", record_regions="") & by_members)
    )


def _about_record(
    queryset: QuerySet[AccessLogEntry], *, object_type: str, object_id: str
) -> QuerySet[AccessLogEntry]:
    """Entries about one record (or one kind of record): the entry's own record, or one of
    the records of a multi-record entry. Exact: id 12 never matches 112 or 12,5."""
    if not object_type and not object_id:
        return queryset
    own = Q()
    child = Q(entry=OuterRef("pk"))
    if object_type:
        own &= Q(object_type=object_type)
        child &= Q(object_type=object_type)
    if object_id:
        # Entries written before records had rows of their own list ids comma-separated.
        own &= (
            Q(object_id=object_id)
            | Q(object_id__startswith=f"{object_id},")
            | Q(object_id__endswith=f",{object_id}")
            | Q(object_id__contains=f",{object_id},")
        )
        child &= Q(object_id=object_id)
    return queryset.filter(own | Exists(AccessLogRecord.objects.filter(child)))
