"""Mail in development: kept in files, never printed into the server's log.

Django's console backend prints the whole message, so a reporter's e-mail address and the
secret of their status link would land in the log of a demo or a development server. This
backend stores each message as a file in `DEVELOPMENT_MAIL_DIR` and logs one line without
the recipient, the body or any link.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileBackend

logger = logging.getLogger(__name__)


class DevelopmentMailBackend(FileBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = super().send_messages(email_messages) or 0
        if count:
            # Only where the files are: no address, no subject line, no link.
            logger.info("%s e-mail(s) stored in %s (not sent)", count, self.file_path)
        return count
