"""Background work of reports, run by the database-backed worker (`make worker`)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import JournalEntry, Report
from .workflow import ReportState


@task()
def remind_deadline(report_id: int, state: str) -> bool:
    """Before a deadline passes: remind the owner and the region's team leads — but only when
    the report is still in the phase the reminder was made for. True when a reminder went."""
    from .services import team_leads

    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.state != state or report.state == ReportState.CLOSED:
            return False
        deadline = report.current_deadline()
        if deadline is None:
            return False
        people = {user.pk: user for user in team_leads(report.region)}
        if report.owner is not None:
            people[report.owner.pk] = report.owner
        addresses = sorted({user.email for user in people.values() if user.email})
        when = deadline.strftime("%d-%m-%Y %H:%M" if hasattr(deadline, "hour") else "%d-%m-%Y")
        JournalEntry.objects.create(
            report=report,
            step="reminder",
            text=_("Herinnering: de termijn van deze fase verloopt op %(when)s.") % {"when": when},
        )
    if addresses:
        # The reference and the phase only: no personal data in an e-mail to colleagues.
        send_mail(
            _("Termijn verloopt: melding %(ref)s") % {"ref": report.reference},
            _(
                "De termijn van de fase '%(state)s' van melding %(ref)s verloopt op "
                "%(when)s.\n%(url)s"
            )
            % {
                "state": ReportState(state).label,
                "ref": report.reference,
                "when": when,
                "url": reverse("reports:detail", args=[report.pk]),
            },
            None,
            addresses,
        )
    return True


@task()
def purge_expired_reports() -> int:
    """Delete closed reports past their retention date (see services.purge_expired_reports)."""
    from . import services

    return services.purge_expired_reports()
