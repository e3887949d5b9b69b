"""The rollup as a recurring task of the database-backed worker (no operator cron line).

`refresh_insights` re-counts the recent days and then enqueues its own next run,
`INSIGHTS_ROLLUP_INTERVAL_MINUTES` later (also when the run failed). The chain is started by
`migrate` (every deployment runs it) and by `manage.py rebuild_insights`; a second start is
harmless, because a run is enqueued only when none is waiting (ADR 0025).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.tasks import task
from django.utils import timezone

from . import rollup

logger = logging.getLogger(__name__)


@task()
def refresh_insights() -> int:
    """Re-count the recent days' tallies and the snapshot; returns the number of days."""
    try:
        return rollup.refresh().days
    finally:
        ensure_rollup_scheduled()


def ensure_rollup_scheduled() -> bool:
    """Enqueue the next run unless one is already waiting. False where the backend cannot
    run a task later (tests' immediate or dummy backends): then nothing is enqueued."""
    backend = refresh_insights.get_backend()
    if not backend.supports_defer:
        return False
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            status="READY", task_path=refresh_insights.module_path
        )
        if waiting.exists():
            return True
    except (ImportError, DatabaseError):
        pass
    run_after = timezone.now() + timedelta(minutes=settings.INSIGHTS_ROLLUP_INTERVAL_MINUTES)
    refresh_insights.using(run_after=run_after).enqueue()
    return True


def ensure_rollup_scheduled_after_migrate(**kwargs: Any) -> None:
    try:
        ensure_rollup_scheduled()
    except DatabaseError:  # the tasks table is not there yet (a partial migrate)
        logger.warning("insights rollup not scheduled: the task table is missing")
