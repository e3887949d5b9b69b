"""Retention that runs by itself, and legal holds on records of every kind.

A report carries its own legal hold (`reports.Report.legal_hold`, ADR 0015); advice dossiers,
contacts, chats and meldcode records are held here, by type and id, so the retention of each
kind asks one place. A run of the retention is kept with its counts — never with what it
deleted (ADR 0031).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HeldKind(models.TextChoices):
    ADVICE_DOSSIER = "contacts.advicedossier", _("Adviesdossier")
    CONTACT = "contacts.contact", _("Contact")
    CONVERSATION = "chat.conversation", _("Chat")
    MELDCODE_RECORD = "meldcode.meldcoderecord", _("Meldcodedossier")


class LegalHold(models.Model):
    """Do not destroy this record, whatever its retention says (a court case, a measure)."""

    object_type = models.CharField(_("soort gegevens"), max_length=40, choices=HeldKind.choices)
    object_id = models.CharField(_("record"), max_length=64)
    reason = models.TextField(_("reden"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="rights_hold_lookup")]
        verbose_name = _("niet vernietigen")
        verbose_name_plural = _("niet vernietigen")

    def __str__(self) -> str:
        return f"hold on {self.object_type}:{self.object_id}"


class OrganisationRetention(models.Model):
    """How long an organisation keeps its meldcode records, when it is not the default
    (MELDCODE_RECORD_RETENTION_YEARS): the records belong to the organisation's own files."""

    organisation = models.OneToOneField(
        "regions.PartnerOrganisation",
        on_delete=models.CASCADE,
        related_name="meldcode_retention",
        verbose_name=_("organisatie"),
    )
    meldcode_record_years = models.PositiveSmallIntegerField(
        _("meldcodedossiers bewaren (jaren na afsluiten)")
    )

    class Meta:
        verbose_name = _("bewaartermijn van een organisatie")
        verbose_name_plural = _("bewaartermijnen van organisaties")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.meldcode_record_years} years"


class RetentionRun(models.Model):
    """One run of the daily retention: when, and how many of each kind went. No data."""

    started_at = models.DateTimeField(_("gestart"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    for_day = models.DateField(_("voor de dag"))
    # {"reports": 3, "advice_dossiers": 1, ...}
    counts = models.JSONField(_("aantallen"), default=dict)
    # Which kinds failed, by kind only (the details are in the server's log, without data).
    failed = models.JSONField(_("mislukt"), default=list)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("bewaartermijnronde")
        verbose_name_plural = _("bewaartermijnrondes")

    def __str__(self) -> str:
        return f"retention {self.for_day:%Y-%m-%d}"

    @property
    def total(self) -> int:
        return sum(int(n) for n in self.counts.values())
