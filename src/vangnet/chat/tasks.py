"""Background work of the chat (Django's Tasks API, database backend).

`sweep_waiting_chats_task` ends waiting chats whose visitor is gone (never connected, or
disconnected longer than CHAT_WAITING_VISITOR_GONE_SECONDS) — also when nobody has the
staff queue open. It needs no operator's cron line: each run schedules the next one
(CHAT_SWEEP_SECONDS later), `manage.py migrate` starts the chain (post_migrate), and every
open queue page checks that a run is pending, so a chain broken by a crashed worker mends
itself. It only runs while a `db_worker` runs (docs/operations.md).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import queue

logger = logging.getLogger(__name__)


@task()
def sweep_waiting_chats_task() -> int:
    """Sweep once, then make sure the next sweep is planned (also when this one failed)."""
    try:
        swept = queue.sweep_waiting_chats()
    finally:
        ensure_sweep_scheduled()
    if swept:
        logger.info("chat sweep: %s waiting chat(s) without a visitor ended", swept)
    return swept


def ensure_sweep_scheduled() -> bool:
    """Plan one sweep CHAT_SWEEP_SECONDS from now, unless one is waiting already. Returns
    whether it planned one. A backend that cannot defer work is left alone (a sweep that
    ran at once and planned itself again would never stop)."""
    backend = sweep_waiting_chats_task.get_backend()
    if not backend.supports_defer:
        return False
    if isinstance(backend, DatabaseBackend) and (
        DBTaskResult.objects.filter(
            task_path=sweep_waiting_chats_task.module_path, status=TaskResultStatus.READY
        ).exists()
    ):
        return False
    run_after = timezone.now() + timedelta(seconds=settings.CHAT_SWEEP_SECONDS)
    sweep_waiting_chats_task.using(run_after=run_after).enqueue()
    return True


def ensure_sweep_scheduled_after_migrate(**kwargs: Any) -> None:
    """Receiver of post_migrate (ChatConfig.ready)."""
    ensure_sweep_scheduled()
