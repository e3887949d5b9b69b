"""Mail that leaves the reports register, and the background tasks that send it.

Two kinds: feedback to the reporter (Wmo 2015 art. 4.1.1: how the report is picked up and by
whom — never findings about the family), and deadline reminders to the owner and the team
lead before a deadline of the Handelingsprotocol passes. Reminders are Django tasks with
`run_after`; a reminder checks when it runs whether its deadline still applies.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from vangnet.accounts.models import Membership, Role
from vangnet.core.workdays import working_days_before

from .deadlines import Deadline, deadlines_of
from .models import Report, Reporter, ReporterFeedback

logger = logging.getLogger(__name__)


def _reporter_email(report_id: int) -> tuple[str, str] | None:
    reporter = Reporter.objects.select_related("report").filter(report_id=report_id).first()
    if reporter is None or not reporter.email:
        return None
    return reporter.email, reporter.report.reference


def _mark(feedback_ids: list[int], mail: str, *, attempts: int | None = None) -> None:
    values: dict[str, object] = {"mail": mail}
    if mail == ReporterFeedback.Mail.SENT:
        values.update(emailed=True, mail_sent_at=timezone.now())
    if attempts is not None:
        values["mail_attempts"] = attempts
    ReporterFeedback.objects.filter(pk__in=feedback_ids).update(**values)


def send_status_link(report_id: int, status_url: str, *, new_link: bool = False) -> bool:
    """The receipt with the status link (or a new link after the reporter identified
    themselves). Sent at once, not by the worker: the link's secret is never stored, not even
    in the task queue. Whether it went out shows on the report; returns that."""
    receipts = ReporterFeedback.objects.filter(
        report_id=report_id, kind=ReporterFeedback.Kind.RECEIVED
    ).values_list("pk", flat=True)
    found = _reporter_email(report_id)
    if found is None:
        if not new_link:
            _mark(list(receipts), ReporterFeedback.Mail.NO_ADDRESS)
        return False
    email, reference = found
    with override("nl"):
        if new_link:
            body = _(
                "U vroeg Veilig Thuis om een nieuwe link bij uw melding %(reference)s.\n\n"
                "Via deze persoonlijke link ziet u hoe de melding wordt opgepakt en door wie:\n"
                "%(url)s\n\n"
                "De vorige link werkt niet meer. Bewaar deze link goed en deel hem niet."
            ) % {"reference": reference, "url": status_url}
        else:
            body = _(
                "Veilig Thuis heeft uw melding ontvangen onder kenmerk %(reference)s.\n\n"
                "Via deze persoonlijke link ziet u hoe de melding wordt opgepakt en door wie:\n"
                "%(url)s\n\n"
                "Bewaar de link goed en deel hem niet: wie de link heeft, ziet de voortgang."
            ) % {"reference": reference, "url": status_url}
        try:
            send_mail(
                _("Uw melding bij Veilig Thuis (%(reference)s)") % {"reference": reference},
                body,
                None,
                [email],
            )
        except Exception:
            # Logged without the address or the link; the report page shows it failed.
            logger.warning("Report %s: the status link could not be mailed.", report_id)
            if not new_link:
                _mark(list(receipts), ReporterFeedback.Mail.FAILED, attempts=1)
            return False
    if not new_link:
        _mark(list(receipts), ReporterFeedback.Mail.SENT, attempts=1)
    return True


def send_receipt(report_id: int, status_url: str) -> None:
    send_status_link(report_id, status_url)


def send_feedback(feedback_id: int) -> None:
    """Queue the news for the worker (after commit of the step that made it)."""
    send_feedback_task.enqueue(feedback_id=feedback_id)


@task()
def send_feedback_task(*, feedback_id: int, attempt: int = 1) -> str:
    """News after receipt: only that there is news; the status page says what (no findings).
    A mail server that fails or hangs (EMAIL_TIMEOUT) is tried again later, the wait doubling,
    up to REPORT_FEEDBACK_MAIL_ATTEMPTS times. Returns the feedback's mail state."""
    feedback = ReporterFeedback.objects.select_related("report").filter(pk=feedback_id).first()
    if feedback is None:
        return "gone"
    if feedback.kind == ReporterFeedback.Kind.RECEIVED or feedback.mail in (
        ReporterFeedback.Mail.SENT,
        ReporterFeedback.Mail.NO_ADDRESS,
    ):
        return feedback.mail  # the receipt goes with the status link (send_status_link)
    found = _reporter_email(feedback.report_id)
    if found is None:
        _mark([feedback_id], ReporterFeedback.Mail.NO_ADDRESS)
        return ReporterFeedback.Mail.NO_ADDRESS
    email, reference = found
    with override("nl"):
        body = _(
            "Er is nieuws over uw melding %(reference)s bij Veilig Thuis: %(what)s.\n\n"
            "Kijk via de persoonlijke link die u bij ontvangst kreeg hoe de melding wordt "
            "opgepakt en door wie."
        ) % {"reference": reference, "what": feedback.get_kind_display().lower()}
        try:
            send_mail(
                _("Nieuws over uw melding (%(reference)s)") % {"reference": reference},
                body,
                None,
                [email],
            )
        except Exception:
            logger.warning("Feedback %s: attempt %s to mail failed.", feedback_id, attempt)
            return _retry_feedback(feedback_id, attempt)
    _mark([feedback_id], ReporterFeedback.Mail.SENT, attempts=attempt)
    return ReporterFeedback.Mail.SENT


def _retry_feedback(feedback_id: int, attempt: int) -> str:
    backend = send_feedback_task.get_backend()
    if attempt >= settings.REPORT_FEEDBACK_MAIL_ATTEMPTS or not backend.supports_defer:
        _mark([feedback_id], ReporterFeedback.Mail.FAILED, attempts=attempt)
        return ReporterFeedback.Mail.FAILED
    _mark([feedback_id], ReporterFeedback.Mail.PENDING, attempts=attempt)
    wait = timedelta(minutes=settings.REPORT_FEEDBACK_RETRY_MINUTES * 2 ** (attempt - 1))
    send_feedback_task.using(run_after=timezone.now() + wait).enqueue(
        feedback_id=feedback_id, attempt=attempt + 1
    )
    return ReporterFeedback.Mail.PENDING


# --- Deadline reminders ---------------------------------------------------------------


def _reminder_moment(deadline: Deadline) -> datetime:
    """When to remind: 4 hours before an hour deadline, some working days before a day one."""
    if deadline.due_at is not None:
        return deadline.due_at - timedelta(hours=4)
    day = working_days_before(deadline.due_on, settings.REPORT_REMINDER_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(day, time(8, 0)))


def _due_text(deadline: Deadline) -> str:
    return (deadline.due_at or deadline.due_on).isoformat()


def schedule_reminders(report_id: int) -> None:
    """Enqueue a reminder for each deadline the report now has."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return
    for deadline in deadlines_of(report):
        run_after = max(_reminder_moment(deadline), timezone.now())
        remind_deadline.using(run_after=run_after).enqueue(
            report_id=report_id, kind=deadline.kind, due=_due_text(deadline)
        )


@task()
def remind_deadline(*, report_id: int, kind: str, due: str) -> int:
    """Mail the owner and the region's team leads, if the deadline still applies. Returns how
    many were told. The mail holds the reference and the deadline, no personal data."""
    report = Report.objects.select_related("owner", "region").filter(pk=report_id).first()
    if report is None or not report.is_open:
        return 0
    still = [d for d in deadlines_of(report) if d.kind == kind and _due_text(d) == due]
    if not still:
        return 0  # the step was taken in time, or the deadline moved
    recipients = {
        m.user.email
        for m in Membership.objects.select_related("user").filter(
            region=report.region, role=Role.TEAM_LEAD, user__is_active=True
        )
        if m.user.email
    }
    if report.owner is not None and report.owner.email:
        recipients.add(report.owner.email)
    if not recipients:
        return 0
    path = reverse("reports:detail", kwargs={"report_id": report.pk})
    with override("nl"):
        send_mail(
            _("Termijn loopt af: melding %(reference)s") % {"reference": report.reference},
            _("De termijn voor %(what)s van melding %(reference)s loopt af op %(due)s.\n%(url)s")
            % {
                "what": still[0].label,
                "reference": report.reference,
                "due": due[:16].replace("T", " "),
                "url": str(settings.PUBLIC_BASE_URL).rstrip("/") + path,
            },
            None,
            sorted(recipients),
        )
    return len(recipients)
