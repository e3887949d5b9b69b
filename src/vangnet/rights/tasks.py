"""The daily retention as a recurring task of the database-backed worker (no cron line).

`run_retention_task` runs once a day at RETENTION_RUN_AT (Dutch time) and then enqueues its
own next run (also when this one failed). `migrate` starts the chain (every deployment runs
it), and so does `manage.py run_retention`; a second start is harmless, because a run is
enqueued only when none is waiting — the pattern of the insights rollup (ADR 0025, 0031).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from .retention import run_retention

logger = logging.getLogger(__name__)


@task()
def run_retention_task() -> dict[str, int]:
    """One day's retention; returns the counts per kind."""
    try:
        return dict(run_retention().counts)
    finally:
        ensure_retention_scheduled()


def next_run_at(now: datetime | None = None) -> datetime:
    """The next RETENTION_RUN_AT after `now`, Dutch time."""
    local = timezone.localtime(now or timezone.now())
    hours, minutes = (int(part) for part in settings.RETENTION_RUN_AT.split(":", 1))
    moment = timezone.make_aware(datetime.combine(local.date(), time(hours, minutes)))
    if moment <= local:
        moment = timezone.make_aware(
            datetime.combine(local.date() + timedelta(days=1), time(hours, minutes))
        )
    return moment


def ensure_retention_scheduled() -> bool:
    """Enqueue the next run unless one is already waiting. False where the backend cannot
    run a task later (tests' immediate or dummy backends): then nothing is enqueued."""
    backend = run_retention_task.get_backend()
    if not backend.supports_defer:
        return False
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, task_path=run_retention_task.module_path
        )
        if waiting.exists():
            return True
    except (ImportError, DatabaseError):
        pass
    run_retention_task.using(run_after=next_run_at()).enqueue()
    return True


def ensure_retention_scheduled_after_migrate(**kwargs: Any) -> None:
    try:
        ensure_retention_scheduled()
    except DatabaseError:  # the tasks table is not there yet (a partial migrate)
        logger.warning("retention not scheduled: the task table is missing")
