"""The access log: who saw or changed which personal data, when, from where, and why.

Append-only and tamper-evident. Each entry carries an HMAC over its own content and the
previous entry's hash, so changing, removing or inserting one entry breaks the chain from
there on (`manage.py verify_access_log` finds the first break). The application refuses
updates and deletes; on PostgreSQL a trigger refuses them too.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AccessLogAction(models.TextChoices):
    VIEW = "view", _("Ingezien")
    CREATE = "create", _("Aangemaakt")
    CHANGE = "change", _("Gewijzigd")
    DELETE = "delete", _("Verwijderd")
    EXPORT = "export", _("Geëxporteerd")
    REFUSED = "refused", _("Geweigerd")
    BREAK_GLASS = "break_glass", _("Noodtoegang")
    LOGIN = "login", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Inloggen mislukt")
    LOGOUT = "logout", _("Uitgelogd")


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")


class AccessLogEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("volgnummer"), unique=True)
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    # The user is kept as id and name, not as a foreign key: the entry must outlive any
    # change to the account and its content must never shift under the hash.
    user_id = models.BigIntegerField(_("gebruiker-id"), null=True, db_index=True)
    username = models.CharField(_("gebruiker"), max_length=150, blank=True)
    roles = models.CharField(_("rol(len)"), max_length=200, blank=True)
    region_code = models.CharField(_("regio"), max_length=12, blank=True)
    action = models.CharField(_("handeling"), max_length=20, choices=AccessLogAction.choices)
    object_type = models.CharField(_("soort gegevens"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("record"), max_length=255, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    # The regions of the records the entry concerns (codes, comma-separated), so a regional
    # privacy officer finds every look at their region's records, also from another region.
    record_regions = models.CharField(_("regio's van de gegevens"), max_length=200, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.username} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("An access-log entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("An access-log entry cannot be deleted.")


class AccessLogRecordQuerySet(models.QuerySet["AccessLogRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")


class AccessLogRecord(models.Model):
    """One of the records an entry concerns when it concerns several (a list page, the
    earlier history): one row per record, so "who saw this family's file?" is answered
    exactly for any page size. The entry's hash covers these rows (`audit.services`)."""

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.PROTECT, related_name="records")
    object_type = models.CharField(_("soort gegevens"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)

    objects = AccessLogRecordQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_record_lookup")]
        verbose_name = _("record in toegangslogregel")
        verbose_name_plural = _("records in toegangslogregels")

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("An access-log entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("An access-log entry cannot be deleted.")


class AccessLogHead(models.Model):
    """One row that holds the end of the chain; locking it serialises writers."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head at #{self.sequence}"


def audit_key() -> bytes:
    return str(settings.AUDIT_LOG_KEY).encode()


class AccessLogCheckpointQuerySet(models.QuerySet["AccessLogCheckpoint"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("A checkpoint of the access log cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("A checkpoint of the access log cannot be deleted.")


class AccessLogCheckpoint(models.Model):
    """Where the kept log starts after the retention removed older entries (ADR 0031).

    It holds the sequence number and hash of the last removed entry, so the first kept entry
    still links to something the key vouches for: `signature` is an HMAC (the log's key) over
    these fields and the checkpoint before it. Checkpoints are never changed or removed."""

    created_at = models.DateTimeField(_("tijdstip"))
    up_to_sequence = models.PositiveBigIntegerField(_("verwijderd tot en met"), unique=True)
    up_to_hash = models.CharField(max_length=64)
    removed_count = models.PositiveBigIntegerField(_("aantal verwijderd"))
    removed_before = models.DateTimeField(_("regels van voor"))
    previous_signature = models.CharField(max_length=64)
    signature = models.CharField(max_length=64, unique=True)

    objects = AccessLogCheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-up_to_sequence"]
        verbose_name = _("ijkpunt van de toegangslog")
        verbose_name_plural = _("ijkpunten van de toegangslog")

    def __str__(self) -> str:
        return f"checkpoint at #{self.up_to_sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("A checkpoint of the access log cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("A checkpoint of the access log cannot be deleted.")
