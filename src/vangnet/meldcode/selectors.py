"""Reads of the meldcode assistant. Each applies the policy and logs what it shows."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models.functions import Coalesce
from django.http import Http404

from vangnet.accounts.models import User
from vangnet.accounts.policy import (
    Action,
    may,
    may_edit_meldcode_record,
    may_view_meldcode_record,
    roles_for,
    scope,
    scope_meldcode_records,
)
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import logged_page, record_access, refuse
from vangnet.pagination import Key, KeysetPage, parse_datetime_key
from vangnet.regions.models import Region

from . import framework
from .models import AdviceRequest, AdviceRequestStatus, MeldcodeRecord, Reminder

PAGE_SIZE = 25
# The lists page by key (vangnet.pagination, ADR 0030): they grow with the years.
LATEST_CHANGED_FIRST = (
    Key("updated_at", descending=True, parse=parse_datetime_key),
    Key("id", descending=True),
)
URGENT_THEN_OLDEST_FIRST = (
    Key("is_urgent", descending=True, parse=lambda value: value == "True"),
    Key("created_at", parse=parse_datetime_key),
    Key("id"),
)
LATEST_DONE_FIRST = (
    Key("done_at", descending=True, parse=parse_datetime_key),
    Key("id", descending=True),
)


def _meldcode_roles(user: User, record: MeldcodeRecord) -> list[str]:
    return roles_for(user, Action.USE_MELDCODE, record) + roles_for(
        user, Action.VIEW_ORGANISATION_MELDCODE, record
    )


def records_page(
    *, user: User, params: Mapping[str, str], audit: AuditContext | None
) -> KeysetPage[MeldcodeRecord]:
    """The records the user may read (their own; a contact person: the organisation's),
    last changed first (`params`: the request's `after`/`before`/`last`)."""
    queryset = scope_meldcode_records(
        MeldcodeRecord.objects.select_related("professional", "organisation"), user
    )
    return logged_page(
        queryset,
        keys=LATEST_CHANGED_FIRST,
        size=PAGE_SIZE,
        params=params,
        user=user,
        roles=sorted(
            set(roles_for(user, Action.USE_MELDCODE))
            | set(roles_for(user, Action.VIEW_ORGANISATION_MELDCODE))
        ),
        audit=audit,
    )


def record_for(
    *,
    user: User,
    record_id: int,
    audit: AuditContext | None,
    edit: bool = False,
    action: AccessLogAction = AccessLogAction.VIEW,
) -> MeldcodeRecord:
    """One record, when the user may read it (or, with `edit`, write in it). A refusal is
    logged and raised; a missing record is a 404."""
    record = (
        MeldcodeRecord.objects.select_related("professional", "organisation", "region")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise Http404
    allowed = (
        may_edit_meldcode_record(user, record) if edit else may_view_meldcode_record(user, record)
    )
    if not allowed:
        raise refuse(user=user, action=Action.USE_MELDCODE, obj=record, audit=audit)
    if not edit:
        record_access(
            user=user,
            action=action,
            obj=record,
            roles=_meldcode_roles(user, record),
            audit=audit,
        )
    return record


def framework_state(record: MeldcodeRecord) -> framework.Result:
    return framework.prescribed_outcome(dict(record.answers.values_list("question", "answer")))


def due_reminders(*, user: User) -> list[Reminder]:
    """The user's reminders whose date has come (the task fired them), not yet put away."""
    return list(
        Reminder.objects.filter(
            professional=user, fired_at__isnull=False, dismissed_at__isnull=True
        ).select_related("record")
    )


def reminder_of(*, user: User, reminder_id: int, audit: AuditContext | None) -> Reminder:
    reminder = Reminder.objects.select_related("record").filter(pk=reminder_id).first()
    if reminder is None:
        raise Http404
    if reminder.professional_id != user.pk or not may_edit_meldcode_record(user, reminder.record):
        raise refuse(user=user, action=Action.USE_MELDCODE, obj=reminder.record, audit=audit)
    return reminder


# --- the advice desk's call-back queue ----------------------------------------------------------


def advice_request_page(
    *,
    user: User,
    region: Region | None,
    show: str,
    params: Mapping[str, str],
    audit: AuditContext | None,
) -> KeysetPage[AdviceRequest]:
    """The call-back requests of the active region: the open ones urgent first, then the
    longest waiting; the done ones last done first (`params`: `after`/`before`/`last`)."""
    if region is None or not may(user, Action.HANDLE_ADVICE_REQUEST, region):
        raise refuse(
            user=user,
            action=Action.HANDLE_ADVICE_REQUEST,
            obj=region,
            audit=audit,
            reason="terugbelverzoeken van een regio zonder rol",
        )
    queryset = scope(AdviceRequest.objects.all(), user, Action.HANDLE_ADVICE_REQUEST).filter(
        region=region
    )
    if show == "done":
        queryset = queryset.filter(status=AdviceRequestStatus.DONE).annotate(
            done_at=Coalesce("completed_at", "created_at")
        )
        keys: tuple[Key, ...] = LATEST_DONE_FIRST
    else:
        queryset = queryset.exclude(status=AdviceRequestStatus.DONE)
        keys = URGENT_THEN_OLDEST_FIRST
    return logged_page(
        queryset.select_related("taken_by", "record__organisation"),
        keys=keys,
        size=PAGE_SIZE,
        params=params,
        user=user,
        roles=roles_for(user, Action.HANDLE_ADVICE_REQUEST, region),
        audit=audit,
    )


def advice_request_for(
    *, user: User, request_id: int, audit: AuditContext | None, log_view: bool = True
) -> AdviceRequest:
    advice_request = (
        AdviceRequest.objects.select_related(
            "region", "taken_by", "dossier", "requested_by", "record__organisation", "contact"
        )
        .filter(pk=request_id)
        .first()
    )
    if advice_request is None:
        raise Http404
    if not may(user, Action.HANDLE_ADVICE_REQUEST, advice_request):
        raise refuse(
            user=user, action=Action.HANDLE_ADVICE_REQUEST, obj=advice_request, audit=audit
        )
    if log_view:
        record_access(
            user=user,
            action=AccessLogAction.VIEW,
            obj=advice_request,
            roles=roles_for(user, Action.HANDLE_ADVICE_REQUEST, advice_request),
            audit=audit,
        )
    return advice_request
