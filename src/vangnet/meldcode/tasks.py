"""Background work of the meldcode assistant (Django's Tasks API, database backend).

`fire_reminder` runs at the date the professional chose (`run_after`, set by
services.set_reminder): the reminder then shows on their meldcode overview, and they get an
e-mail that says only that there is a reminder — never what it is about (e-mail leaves the
system).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Reminder, TimelineEntry

logger = logging.getLogger(__name__)


def _send(subject: str, body: str, email: str, reminder_id: int) -> None:
    # The reminder is visible on the overview already; a mail server that is down must not
    # make the task fail (and retry the timeline entry). Logged without the address.
    try:
        send_mail(subject, body, None, [email])
    except Exception:
        logger.warning("Reminder %s: the e-mail could not be sent.", reminder_id, exc_info=True)


@task()
def fire_reminder(reminder_id: int) -> bool:
    """Make the reminder visible. Idempotent: a second run, or a dismissed or deleted
    reminder, does nothing. Returns whether it fired now."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("record", "professional")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.fired_at is not None or reminder.dismissed_at is not None:
            return False
        reminder.fired_at = timezone.now()
        reminder.save(update_fields=["fired_at"])
        with override(settings.LANGUAGE_CODE):
            TimelineEntry.objects.create(
                record=reminder.record,
                kind=TimelineEntry.Kind.REMINDER,
                text=_("Herinnering van %(day)s: %(note)s")
                % {"day": reminder.due_on.strftime("%d-%m-%Y"), "note": reminder.note},
            )
            email = reminder.professional.email
            if email:
                subject = _("Herinnering in de meldcode-assistent")
                body = _(
                    "U heeft vandaag een herinnering voor meldcodedossier %(ref)s.\n"
                    "Log in op Vangnet om te zien waaraan u herinnerd wilt worden."
                ) % {"ref": reminder.record.reference}
                transaction.on_commit(lambda: _send(subject, body, email, reminder.pk))
    return True
