"""Background work of the reports app that is not a notification: the daily retention run."""

from __future__ import annotations

import logging

from django.tasks import task

from .services import delete_expired_reports

logger = logging.getLogger(__name__)


@task()
def delete_expired_reports_task() -> int:
    """Daily: destroy closed reports past their retention end (not under a legal hold)."""
    deleted = delete_expired_reports()
    logger.info("retention: %s report(s) destroyed", deleted)
    return deleted
