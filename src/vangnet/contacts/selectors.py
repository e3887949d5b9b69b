"""Reads of contacts. Every read of personal data goes through here: policy, then access log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from vangnet.accounts.models import STAFF_ROLES, User
from vangnet.accounts.policy import Action, may, regions_where, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import log_page_shown, logged_page, record_access, refuse
from vangnet.pagination import NEWEST_FIRST, Key, KeysetPage, keyset_page, parse_datetime_key
from vangnet.regions.models import Region

from .codes import digest, looks_like_code
from .models import AdviceDossier, Contact, DossierEvent, DossierPerson

PAGE_SIZE = 25


def recent_contact_count(*, user: User, region: Region, days: int = 7) -> int:
    """A number, not personal data: no access-log entry."""
    if not may(user, Action.VIEW_CONTACT, region):
        return 0
    since = timezone.now() - timedelta(days=days)
    return Contact.objects.filter(region=region, received_at__gte=since).count()


def contact_page(
    *, user: User, region: Region, params: Mapping[str, str], audit: AuditContext | None
) -> KeysetPage[Contact]:
    """One page of the region's contact register, newest first (`params`: the request's
    `after`/`before`/`last`, vangnet.pagination); the shown records are logged as seen."""
    if not may(user, Action.VIEW_CONTACT, region):
        raise refuse(
            user=user,
            action=Action.VIEW_CONTACT,
            obj=region,
            audit=audit,
            reason="contactregister van een andere regio",
        )
    queryset = Contact.objects.filter(region=region).select_related("registered_by")
    page_obj = keyset_page(queryset, keys=NEWEST_FIRST, size=PAGE_SIZE, params=params)
    log_page_shown(
        page_obj.object_list,
        user=user,
        roles=roles_for(user, Action.VIEW_CONTACT, region),
        audit=audit,
    )
    return page_obj


def dossier_to_register_in(*, user: User, region: Region, dossier_id: str) -> AdviceDossier | None:
    """The dossier a new contact is meant for (`?dossier=` on the form), when the user may
    register contacts in it. Only its reference is shown: nothing about persons is read."""
    if not dossier_id.isdigit():
        return None
    dossier = AdviceDossier.objects.filter(pk=int(dossier_id), region=region).first()
    if dossier is None or not may(user, Action.REGISTER_CONTACT, dossier):
        return None
    return dossier


def dossier_for_report_intake(
    *, user: User, region: Region, dossier_id: str, audit: AuditContext | None
) -> AdviceDossier | None:
    """The advice dossier a report is taken from (its contacts and persons fill the intake
    form), when the user may see it; the read is logged. None for an id that is not a
    dossier of this region the user may see."""
    if not dossier_id.isdigit():
        return None
    dossier = (
        AdviceDossier.objects.filter(pk=int(dossier_id), region=region)
        .prefetch_related("contacts", "persons")
        .first()
    )
    if dossier is None:
        return None
    if not may(user, Action.VIEW_CONTACT, dossier):
        record_access(user=user, action=AccessLogAction.REFUSED, obj=dossier, audit=audit)
        return None
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=dossier,
        roles=roles_for(user, Action.VIEW_CONTACT, dossier),
        audit=audit,
        reason="melding opnemen uit adviesdossier",
    )
    return dossier


def contact_detail(*, user: User, contact_id: int, audit: AuditContext | None) -> Contact:
    """One contact, when the user may see it; a refusal is logged and raised."""
    contact = Contact.objects.select_related("region", "registered_by").get(pk=contact_id)
    if not may(user, Action.VIEW_CONTACT, contact):
        raise refuse(user=user, action=Action.VIEW_CONTACT, obj=contact, audit=audit)
    roles = roles_for(user, Action.VIEW_CONTACT, contact)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=contact,
        roles=roles or ["break_glass"],
        audit=audit,
    )
    return contact


def dossier_detail(*, user: User, dossier_id: int, audit: AuditContext | None) -> AdviceDossier:
    """An advice dossier with its whole history, when the user may see it. Logged."""
    dossier = AdviceDossier.objects.select_related("region", "owner").get(pk=dossier_id)
    if not may(user, Action.VIEW_CONTACT, dossier):
        raise refuse(user=user, action=Action.VIEW_CONTACT, obj=dossier, audit=audit)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=dossier,
        roles=roles_for(user, Action.VIEW_CONTACT, dossier) or ["break_glass"],
        audit=audit,
    )
    return dossier


def dossier_history(dossier: AdviceDossier) -> list[dict[str, object]]:
    """Everything in the dossier in the order it happened: contacts and chats."""
    items: list[dict[str, object]] = [
        {"at": c.received_at, "kind": "contact", "contact": c}
        for c in dossier.contacts.select_related("registered_by").order_by("received_at", "pk")
    ]
    items += [
        {"at": conv.created_at, "kind": "chat", "chat": conv}
        for conv in dossier.conversations.select_related("assigned_to")
    ]
    # Contacts show themselves; the other events say what happened to the dossier.
    items += [
        {"at": event.at, "kind": "event", "event": event}
        for event in dossier.events.exclude(kind=DossierEvent.Kind.CONTACT_ADDED).select_related(
            "by"
        )
    ]
    return sorted(items, key=lambda item: item["at"])  # type: ignore[arg-type,return-value]  # "at" is a datetime


SEARCH_PAGE_SIZE = 20


@dataclass(frozen=True)
class DossierSearch:
    reference: str = ""
    person_name: str = ""
    date_of_birth: date | None = None
    date_from: date | None = None
    date_to: date | None = None
    region: Region | None = None
    employee: User | None = None


def searchable_regions(user: User) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=regions_where(user, Action.VIEW_CONTACT))


def colleagues_in(regions: QuerySet[Region]) -> QuerySet[User]:
    """Veilig Thuis staff of the regions: who can own a dossier or register a contact (not
    the partners' professionals, who also hold a role in a region)."""
    return (
        User.objects.filter(
            memberships__region__in=regions, memberships__role__in=STAFF_ROLES, is_active=True
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# The search counts what it found up to this many: past it, "more than" (a count of every
# match would grow with the register; the pages themselves are read by key).
SEARCH_COUNT_LIMIT = 500
NEWEST_OPENED_FIRST = (
    Key("opened_at", descending=True, parse=parse_datetime_key),
    Key("id", descending=True),
)


@dataclass(frozen=True)
class FoundDossiers:
    """One page of a dossier search, and how many dossiers it found (at most
    SEARCH_COUNT_LIMIT; `more` when there are more than that)."""

    page: KeysetPage[AdviceDossier]
    count: int
    more: bool


def search_dossiers(
    *, user: User, search: DossierSearch, params: Mapping[str, str], audit: AuditContext | None
) -> FoundDossiers:
    """Advice dossiers that match, only in regions where the user may see contacts, newest
    first, a page at a time (`params`: the request's `after`/`before`/`last`,
    vangnet.pagination).

    The found dossiers on the shown page are logged as seen, with what was searched for
    (criteria names only: the access log holds no names or dates of birth either).
    """
    allowed = regions_where(user, Action.VIEW_CONTACT)
    if search.region is not None:
        allowed &= {search.region.pk}
    queryset = AdviceDossier.objects.filter(region_id__in=allowed)
    reference = search.reference.strip()
    if reference:
        by_reference = Q(reference=reference.upper())
        if looks_like_code(reference):
            by_reference |= Q(
                pk__in=AdviceDossier.objects.filter(
                    continuity_codes__digest=digest(reference)
                ).values("pk")
            )
        queryset = queryset.filter(by_reference)
    # Persons and contacts are asked with EXISTS, not joined: a dossier is found once, with
    # no DISTINCT over every match, so the index on (region, opened_at, id) serves the page.
    person = Q()
    if search.person_name.strip():
        person &= Q(name__icontains=search.person_name.strip())
    if search.date_of_birth is not None:
        person &= Q(date_of_birth=search.date_of_birth)
    if person:
        queryset = queryset.filter(
            Exists(DossierPerson.objects.filter(person, dossier=OuterRef("pk")))
        )
    period = Q()
    if search.date_from is not None:
        period &= Q(received_at__date__gte=search.date_from)
    if search.date_to is not None:
        period &= Q(received_at__date__lte=search.date_to)
    if period:
        queryset = queryset.filter(Exists(Contact.objects.filter(period, dossier=OuterRef("pk"))))
    if search.employee is not None:
        queryset = queryset.filter(
            Q(owner=search.employee)
            | Exists(Contact.objects.filter(registered_by=search.employee, dossier=OuterRef("pk")))
        )
    criteria = [name for name, value in vars(search).items() if value]
    page = logged_page(
        queryset.select_related("region", "owner"),
        keys=NEWEST_OPENED_FIRST,
        size=SEARCH_PAGE_SIZE,
        params=params,
        user=user,
        roles=roles_for(user, Action.VIEW_CONTACT),
        audit=audit,
        reason="zoeken op " + ", ".join(criteria),
    )
    counted = queryset.order_by()[: SEARCH_COUNT_LIMIT + 1].count()
    return FoundDossiers(
        page=page, count=min(counted, SEARCH_COUNT_LIMIT), more=counted > SEARCH_COUNT_LIMIT
    )
