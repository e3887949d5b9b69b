"""The daily retention: which records have outlived their retention period, and their end.

One run (`run_retention`) destroys, each kind through its own app's service: closed reports
past `retention_until` (ADR 0015), advice dossiers and contacts (ADVICE_RETENTION_YEARS after
closing or receipt), chat transcripts (CHAT_TRANSCRIPT_RETENTION_DAYS after the chat ended),
closed meldcode records (per organisation, MELDCODE_RECORD_RETENTION_YEARS by default) and
access-log entries (ACCESS_LOG_RETENTION_YEARS, behind a signed checkpoint). A record goes on
the first run of the day after its retention ends — never on its last day — and never while
it is under a legal hold. The run keeps its counts, never what it destroyed (ADR 0031).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from vangnet.audit.services import remove_entries_before
from vangnet.chat.retention import purge_old_transcripts
from vangnet.contacts.services import delete_expired_advice
from vangnet.meldcode.services import delete_expired_meldcode_records
from vangnet.reports.services import delete_expired_reports

from .models import (
    CopyPassage,
    FileKind,
    HeldKind,
    LegalHold,
    OrganisationRetention,
    RetentionRun,
)

logger = logging.getLogger(__name__)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day`, Dutch time: records of that day are not before it."""
    return timezone.make_aware(datetime.combine(day, time.min))


def kept_from(today: date, *, years: int = 0, days: int = 0) -> datetime:
    """Records dated before this moment have a retention end before `today`: a record of day
    D with a term of N years ends on D + N years and goes on the day after."""
    return start_of_day(add_years(today, -years) - timedelta(days=days))


def held_ids(kind: HeldKind) -> set[int]:
    ids = LegalHold.objects.filter(object_type=kind, lifted_at__isnull=True).values_list(
        "object_id", flat=True
    )
    return {int(i) for i in ids if i.isdigit()}


def _reports(today: date) -> dict[str, int]:
    destroyed = delete_expired_reports(today=today)
    # What a copy request snapshotted of a destroyed file goes with it (ADR 0032).
    CopyPassage.objects.filter(
        request__file_kind=FileKind.REPORT, request__report__isnull=True
    ).delete()
    return {"reports": destroyed}


def _advice(today: date) -> dict[str, int]:
    dossiers, contacts = delete_expired_advice(
        closed_before=kept_from(today, years=settings.ADVICE_RETENTION_YEARS),
        keep_dossiers=held_ids(HeldKind.ADVICE_DOSSIER),
        keep_contacts=held_ids(HeldKind.CONTACT),
    )
    CopyPassage.objects.filter(
        request__file_kind=FileKind.DOSSIER, request__dossier__isnull=True
    ).delete()
    return {"advice_dossiers": dossiers, "contacts": contacts}


def _chat_transcripts(today: date) -> dict[str, int]:
    purged = purge_old_transcripts(
        ended_before=kept_from(today, days=settings.CHAT_TRANSCRIPT_RETENTION_DAYS),
        keep=held_ids(HeldKind.CONVERSATION),
    )
    return {"chat_transcripts": purged}


def meldcode_terms() -> dict[int, list[int]]:
    """Years → the organisations that set that term themselves."""
    terms: dict[int, list[int]] = defaultdict(list)
    for organisation_id, years in OrganisationRetention.objects.values_list(
        "organisation_id", "meldcode_record_years"
    ):
        terms[years].append(organisation_id)
    return terms


def _meldcode_records(today: date) -> dict[str, int]:
    keep = held_ids(HeldKind.MELDCODE_RECORD)
    terms = meldcode_terms()
    own = [organisation_id for ids in terms.values() for organisation_id in ids]
    destroyed = delete_expired_meldcode_records(
        closed_before=kept_from(today, years=settings.MELDCODE_RECORD_RETENTION_YEARS),
        organisation_ids=None,
        except_organisation_ids=own,
        keep=keep,
    )
    for years, organisation_ids in terms.items():
        destroyed += delete_expired_meldcode_records(
            closed_before=kept_from(today, years=years),
            organisation_ids=organisation_ids,
            keep=keep,
        )
    return {"meldcode_records": destroyed}


def _access_log(today: date) -> dict[str, int]:
    removed = remove_entries_before(
        cutoff=kept_from(today, years=settings.ACCESS_LOG_RETENTION_YEARS)
    )
    return {"access_log_entries": removed}


# In this order: advice before meldcode records (a record waits for its advice request), the
# access log last (it holds the entries of this run's destructions).
STEPS: tuple[tuple[str, Callable[[date], dict[str, int]]], ...] = (
    ("reports", _reports),
    ("advice", _advice),
    ("chat_transcripts", _chat_transcripts),
    ("meldcode_records", _meldcode_records),
    ("access_log", _access_log),
)


def run_retention(*, today: date | None = None) -> RetentionRun:
    """Destroy what may no longer be kept; a failing kind does not stop the others."""
    today = today or timezone.localdate()
    run = RetentionRun.objects.create(started_at=timezone.now(), for_day=today)
    counts: dict[str, int] = {}
    failed: list[str] = []
    for name, step in STEPS:
        try:
            counts.update(step(today))
        except Exception:
            # The exception may quote a record; the log line names only the kind.
            logger.error("retention: the step %s failed", name)
            failed.append(name)
    run.counts = counts
    run.failed = failed
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "failed", "finished_at"])
    logger.info(
        "retention %s: %s",
        today.isoformat(),
        ", ".join(f"{k}={v}" for k, v in counts.items())
        + (f"; failed: {failed}" if failed else ""),
    )
    return run


@dataclass(frozen=True)
class Upcoming:
    """A record that goes within the preview period, and on which day at the latest."""

    kind: str
    reference: str
    delete_on: date
    object_type: str
    object_id: int
