"""Reads of the rights app: what the retention will destroy soon, for a region's team lead.

The records listed are read (their reference and end date), so the page is logged like any
list of records; contacts and chat transcripts are only counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.chat.models import Conversation, ConversationStatus
from vangnet.contacts.models import AdviceDossier, Contact
from vangnet.core.pdf import render
from vangnet.regions.models import Region
from vangnet.reports.models import Report
from vangnet.reports.workflow import ReportState

from .copy import copy_document
from .models import HeldKind, RequestKind, RequestState, RetentionRun, SubjectRequest
from .retention import add_years, held_ids, kept_from

# Both lists page by number (ADR 0030), bounded by what they are: the retention preview holds
# what is destroyed in the next RETENTION_PREVIEW_DAYS days (the daily run removes it, so the
# list is a window, not a history), and requests of the people involved arrive by the tens a
# year per region, open ones first.
PAGE_SIZE = 50


@dataclass(frozen=True)
class Due:
    kind: str
    reference: str
    delete_on: date
    hold_kind: str  # what `services.place_legal_hold` calls it
    object_id: int


@dataclass(frozen=True)
class Preview:
    until: date
    page: Page
    contacts: int
    chat_transcripts: int
    runs: list[RetentionRun]


def _deleted_on(retention_end: date, today: date) -> date:
    """The run of the day after the retention ends — or the next run, if that day passed."""
    return max(retention_end + timedelta(days=1), today)


def upcoming_deletions(
    *, user: User, region: Region, page: str | int | None, audit: AuditContext | None
) -> Preview:
    """What goes in the next RETENTION_PREVIEW_DAYS days in `region`, with the last runs."""
    if not may(user, Action.VIEW_RETENTION, region):
        record_access(user=user, action=AccessLogAction.REFUSED, obj=region, audit=audit)
        raise AccessDenied(action=Action.VIEW_RETENTION, obj=region, logged=True)
    today = timezone.localdate()
    until = today + timedelta(days=settings.RETENTION_PREVIEW_DAYS)
    advice_years = settings.ADVICE_RETENTION_YEARS
    reports = list(
        Report.objects.filter(
            region=region, state=ReportState.CLOSED, legal_hold=False, retention_until__lt=until
        ).only("pk", "reference", "retention_until", "region_id")
    )
    dossiers = list(
        AdviceDossier.objects.filter(
            region=region, closed_at__lt=kept_from(until, years=advice_years)
        )
        .exclude(pk__in=held_ids(HeldKind.ADVICE_DOSSIER))
        .only("pk", "reference", "closed_at", "region_id")
    )
    due = [
        Due(str(_("Melding")), r.reference, _deleted_on(r.retention_until, today), "report", r.pk)
        for r in reports
        if r.retention_until is not None
    ] + [
        Due(
            str(_("Adviesdossier")),
            d.reference,
            _deleted_on(add_years(timezone.localdate(d.closed_at), advice_years), today),
            "dossier",
            d.pk,
        )
        for d in dossiers
        if d.closed_at is not None
    ]
    due.sort(key=lambda item: (item.delete_on, item.reference))
    page_obj = Paginator(due, PAGE_SIZE).get_page(page)
    shown = {item.reference for item in page_obj.object_list}
    listed = [r for r in reports if r.reference in shown] + [
        d for d in dossiers if d.reference in shown
    ]
    if listed:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=listed,
            roles=roles_for(user, Action.VIEW_RETENTION, region),
            audit=audit,
            reason="bewaartermijnen: wat binnenkort wordt vernietigd",
        )
    contacts = (
        Contact.objects.filter(
            region=region,
            dossier__isnull=True,
            received_at__lt=kept_from(until, years=advice_years),
        )
        .exclude(pk__in=held_ids(HeldKind.CONTACT))
        .count()
    )
    transcripts = (
        Conversation.objects.filter(
            region=region,
            transcript_purged_at__isnull=True,
            status__in=[ConversationStatus.CLOSED, ConversationStatus.ABANDONED],
            ended_at__lt=kept_from(until, days=settings.CHAT_TRANSCRIPT_RETENTION_DAYS),
        )
        .exclude(pk__in=held_ids(HeldKind.CONVERSATION))
        .count()
    )
    return Preview(
        until=until,
        page=page_obj,
        contacts=contacts,
        chat_transcripts=transcripts,
        runs=list(RetentionRun.objects.all()[:10]),
    )


# --- Requests of the people involved ---------------------------------------------------------


def _refuse(user: User, obj: Any, audit: AuditContext | None) -> AccessDenied:
    record_access(user=user, action=AccessLogAction.REFUSED, obj=obj, audit=audit)
    return AccessDenied(action=Action.HANDLE_SUBJECT_REQUEST, obj=obj, logged=True)


def request_page(
    *, user: User, region: Region, page: str | int | None, audit: AuditContext | None
) -> Page:
    """The region's requests, open first by deadline. Logged."""
    if not may(user, Action.HANDLE_SUBJECT_REQUEST, region):
        raise _refuse(user, region, audit)
    queryset = SubjectRequest.objects.filter(region=region).order_by(
        Case(When(state=RequestState.OPEN, then=0), default=1), "due_on", "id"
    )
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(page)
    if page_obj.object_list:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            objects=page_obj.object_list,
            roles=roles_for(user, Action.HANDLE_SUBJECT_REQUEST, region),
            audit=audit,
        )
    return page_obj


def report_for_request(*, user: User, report_id: int, audit: AuditContext | None) -> Report:
    """The report a request is about, with its persons, to register the request. Logged."""
    report = Report.objects.select_related("region").prefetch_related("persons").get(pk=report_id)
    if not may(user, Action.HANDLE_SUBJECT_REQUEST, report):
        raise _refuse(user, report, audit)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=report,
        roles=roles_for(user, Action.HANDLE_SUBJECT_REQUEST, report),
        audit=audit,
        reason="verzoek van betrokkene",
    )
    return report


def dossier_for_request(
    *, user: User, dossier_id: int, audit: AuditContext | None
) -> AdviceDossier:
    """The advice dossier a request is about, with its persons, to register it. Logged."""
    dossier = (
        AdviceDossier.objects.select_related("region")
        .prefetch_related("persons")
        .get(pk=dossier_id)
    )
    if not may(user, Action.HANDLE_SUBJECT_REQUEST, dossier):
        raise _refuse(user, dossier, audit)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=dossier,
        roles=roles_for(user, Action.HANDLE_SUBJECT_REQUEST, dossier),
        audit=audit,
        reason="verzoek van betrokkene",
    )
    return dossier


_RELATED = ("region", "report", "person", "dossier", "dossier_person")


def request_detail(*, user: User, request_id: int, audit: AuditContext | None) -> SubjectRequest:
    subject_request = SubjectRequest.objects.select_related(*_RELATED).get(pk=request_id)
    if not may(user, Action.HANDLE_SUBJECT_REQUEST, subject_request):
        raise _refuse(user, subject_request, audit)
    record_access(
        user=user,
        action=AccessLogAction.VIEW,
        obj=subject_request,
        roles=roles_for(user, Action.HANDLE_SUBJECT_REQUEST, subject_request),
        audit=audit,
    )
    return subject_request


def copy_pdf(*, user: User, request_id: int, audit: AuditContext | None) -> tuple[str, bytes]:
    """The released copy as a PDF; each download is an export in the access log."""
    subject_request = SubjectRequest.objects.select_related(*_RELATED).get(pk=request_id)
    if not may(user, Action.HANDLE_SUBJECT_REQUEST, subject_request):
        raise _refuse(user, subject_request, audit)
    if subject_request.kind not in (RequestKind.COPY, RequestKind.INSPECTION) or (
        subject_request.state not in (RequestState.DONE, RequestState.PARTLY)
    ):
        raise SubjectRequest.DoesNotExist
    record_access(
        user=user,
        action=AccessLogAction.EXPORT,
        obj=subject_request,
        roles=roles_for(user, Action.HANDLE_SUBJECT_REQUEST, subject_request),
        audit=audit,
        reason="afschrift voor betrokkene",
    )
    name = f"afschrift-{subject_request.report_reference}-{subject_request.pk}.pdf"
    return name, render(copy_document(subject_request))


def file_by_reference(*, user: User, region: Region, reference: str) -> tuple[str, int] | None:
    """The region's report or advice dossier with this reference, as (kind, id), for one who
    handles requests."""
    if not may(user, Action.HANDLE_SUBJECT_REQUEST, region):
        return None
    wanted = reference.strip().upper()
    found = (
        Report.objects.filter(region=region, reference=wanted).values_list("pk", flat=True).first()
    )
    if found is not None:
        return "report", int(found)
    dossier = (
        AdviceDossier.objects.filter(region=region, reference=wanted)
        .values_list("pk", flat=True)
        .first()
    )
    return ("dossier", int(dossier)) if dossier is not None else None
