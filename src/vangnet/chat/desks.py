"""A region's chat desk: its settings (open, overflow to the national desk) and whether it is
open now."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, roles_for
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access
from vangnet.regions.models import Region

from .models import (
    ChatDesk,
)
from .opening import chat_hours_open


def desk_for(region: Region) -> ChatDesk:
    desk, _created = ChatDesk.objects.get_or_create(region=region)
    return desk


def update_desk(
    *, desk: ChatDesk, by: User, changes: dict[str, Any], audit: AuditContext | None = None
) -> ChatDesk:
    if not may(by, Action.MANAGE_CHAT_DESK, desk.region):
        raise AccessDenied(action=Action.MANAGE_CHAT_DESK, obj=desk.region)
    with transaction.atomic():
        locked = ChatDesk.objects.select_for_update().get(pk=desk.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        record_access(
            user=by,
            action=AccessLogAction.CHANGE,
            obj=locked,
            roles=roles_for(by, Action.MANAGE_CHAT_DESK, locked.region),
            audit=audit,
        )
    return locked


def chat_open_for(region: Region) -> bool:
    return chat_hours_open() and desk_for(region).is_open
