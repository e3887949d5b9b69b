"""Reports (meldingen): the record, its reporter, the persons, the journal, the decisions,
the transfer, the safety conditions and the monitoring moments.

The workflow itself — states, steps, who may — is in `workflow.py`; the steps are service
functions in `services.py`. Models hold data and simple properties only.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.contacts.models import Sector
from vangnet.core.crypto import EncryptedTextField

from .workflow import ReportState, TriageOutcome


class Report(models.Model):
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="reports", verbose_name=_("regio")
    )
    state = models.CharField(
        _("fase"), max_length=20, choices=ReportState.choices, default=ReportState.RECEIVED
    )
    channel = models.CharField(_("binnengekomen via"), max_length=20)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_reports",
        verbose_name=_("eigenaar"),
    )
    received_at = models.DateTimeField(_("ontvangen"), default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("ontvangen door"),
    )
    # The urgency screen at receipt (Handelingsprotocol: acute → action within 24 hours).
    is_acute = models.BooleanField(_("acuut bij ontvangst"), default=False)
    forms_of_violence = models.JSONField(_("vormen van geweld"), default=list)
    concerns = models.TextField(_("zorgen en signalen"))
    actions_taken = models.TextField(
        _("wat de melder al deed"),
        blank=True,
        help_text=_("Bijvoorbeeld de stappen van de meldcode die de professional zette."),
    )
    source_dossier = models.ForeignKey(
        "contacts.AdviceDossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("uit adviesdossier"),
    )
    # Deadlines, set at receipt and when a phase starts (core.workdays).
    safety_assessment_due = models.DateTimeField(_("veiligheidsbeoordeling uiterlijk"))
    triage_due = models.DateField(_("triage uiterlijk"))
    investigation_due = models.DateField(_("onderzoek uiterlijk"), null=True, blank=True)
    # The safety assessment (DOMAIN.md: acute and/or structural unsafety).
    acute_unsafety = models.BooleanField(_("acute onveiligheid"), null=True, blank=True)
    structural_unsafety = models.BooleanField(_("structurele onveiligheid"), null=True, blank=True)
    immediate_action = models.TextField(_("directe actie"), blank=True)
    safety_assessed_at = models.DateTimeField(_("veiligheid beoordeeld op"), null=True, blank=True)
    safety_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    investigation_conclusion = models.TextField(_("conclusie onderzoek"), blank=True)
    # Voorwaarden en vervolg: Veilig Thuis sets safety conditions and monitors after transfer.
    monitors_conditions = models.BooleanField(_("met veiligheidsvoorwaarden"), default=False)
    # Who has the lead after a transfer (shown to the reporter: "who handles it").
    lead_organisation = models.ForeignKey(
        "regions.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regie bij"),
    )
    closed_at = models.DateTimeField(_("afgesloten"), null=True, blank=True)
    closing_note = models.TextField(_("reden van afsluiten"), blank=True)
    retention_until = models.DateField(_("bewaren tot"), null=True, blank=True)
    legal_hold = models.BooleanField(
        _("niet vernietigen"),
        default=False,
        help_text=_(
            "Bijvoorbeeld bij een kinderbeschermingsmaatregel of een verzoek van justitie."
        ),
    )
    # Only a hash of the reporter's status link is kept; the link itself is shown once.
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.reference:
            self.reference = f"ME-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_open(self) -> bool:
        return self.state != ReportState.CLOSED

    def current_deadline(self) -> datetime | date | None:
        """The deadline of the phase the report is in, if the protocol sets one."""
        if self.state == ReportState.RECEIVED:
            return self.safety_assessment_due
        if self.state in (ReportState.TRIAGE, ReportState.TRIAGE_APPROVAL):
            return self.triage_due
        if self.state == ReportState.INVESTIGATION:
            return self.investigation_due
        if self.state == ReportState.MONITORING:
            moment = self.monitoring_moments.filter(recorded_at__isnull=True).first()
            return moment.due if moment else None
        return None

    @property
    def violence_form_labels(self) -> list[str]:
        from vangnet.contacts.models import ViolenceForm

        labels = dict(ViolenceForm.choices)
        return [str(labels.get(code, code)) for code in self.forms_of_violence]


class Reporter(models.Model):
    """Who reported. Encrypted at rest; shown only to roles that need it, each time logged
    (DOMAIN.md: Veilig Thuis knows the reporter and keeps their identity from the family)."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, related_name="reporter", verbose_name=_("melding")
    )
    is_professional = models.BooleanField(_("professional"), default=False)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    name = EncryptedTextField(_("naam"))
    organisation = EncryptedTextField(_("organisatie"), blank=True)
    phone = EncryptedTextField(_("telefoon"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    anonymous_to_family = models.BooleanField(
        _("anoniem tegenover het gezin"),
        default=False,
        help_text=_("De melder wil niet dat het gezin hoort wie meldde."),
    )

    class Meta:
        verbose_name = _("melder")
        verbose_name_plural = _("melders")

    def __str__(self) -> str:
        return f"melder van {self.report_id}"


class PersonRole(models.TextChoices):
    CHILD = "child", _("Kind")
    PARENT = "parent", _("Ouder of verzorger")
    PARTNER = "partner", _("(Ex-)partner")
    OTHER = "other", _("Ander betrokkene")


class ReportPerson(models.Model):
    """A person the report is about. The citizen service number is encrypted; keyed hashes
    find the same person in earlier reports without storing it readable twice."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="persons", verbose_name=_("melding")
    )
    role = models.CharField(_("rol in het gezin"), max_length=20, choices=PersonRole.choices)
    is_victim = models.BooleanField(_("slachtoffer"), default=False)
    is_alleged_perpetrator = models.BooleanField(_("vermoedelijk pleger"), default=False)
    name = models.CharField(_("naam"), max_length=200)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    bsn = EncryptedTextField(_("BSN"), blank=True)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    bsn_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    name_dob_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")

    def __str__(self) -> str:
        return self.name


class JournalEntry(models.Model):
    """The report's journal: every step, decision and note, in order. Never the reporter."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="journal", verbose_name=_("melding")
    )
    at = models.DateTimeField(_("wanneer"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    step = models.CharField(_("stap"), max_length=40, blank=True)
    text = models.TextField(_("tekst"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("journaalregel")
        verbose_name_plural = _("journaal")

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.step}"


class TriageDecision(models.Model):
    """A triage decision: proposed by one professional, approved by a second (four eyes)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="triage_decisions")
    outcome = models.CharField(_("uitkomst"), max_length=30, choices=TriageOutcome.choices)
    reasoning = models.TextField(_("onderbouwing"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True, blank=True)
    review_note = models.TextField(_("toelichting tweede beoordelaar"), blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("triagebesluit")
        verbose_name_plural = _("triagebesluiten")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.report_id})"


class Transfer(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Aangeboden")
        ACCEPTED = "accepted", _("Geaccepteerd")
        DECLINED = "declined", _("Geweigerd")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transfers")
    organisation = models.ForeignKey(
        "regions.PartnerOrganisation",
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("ontvangend team"),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    # What the receiving team needs to know; written for them, never the reporter's identity.
    handover_note = models.TextField(_("overdrachtsinformatie"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-offered_at", "-id"]
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")

    def __str__(self) -> str:
        return f"overdracht {self.pk}"

    # The partner pages and the API look transfers up by region through their report.
    @property
    def region_id(self) -> int:
        return self.report.region_id


class SafetyCondition(models.Model):
    """What must be achieved, as observable behaviour; who is responsible; by when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="conditions")
    description = models.TextField(_("voorwaarde"))
    responsible = models.CharField(_("wie is verantwoordelijk"), max_length=200)
    due = models.DateField(_("uiterlijk"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("veiligheidsvoorwaarde")
        verbose_name_plural = _("veiligheidsvoorwaarden")

    def __str__(self) -> str:
        return self.description[:60]


class MonitoringMoment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="monitoring_moments")
    due = models.DateField(_("gepland"))
    recorded_at = models.DateTimeField(_("vastgelegd"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conditions_met = models.BooleanField(_("voorwaarden nagekomen"), null=True, blank=True)
    spoke_with = models.CharField(_("gesproken met"), max_length=300, blank=True)
    findings = models.TextField(_("bevindingen"), blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("monitoringsmoment")
        verbose_name_plural = _("monitoringsmomenten")

    def __str__(self) -> str:
        return f"monitoring {self.due:%d-%m-%Y}"


class Feedback(models.Model):
    """What the reporter was told, and when (Wmo 2015 art. 4.1.1: a legal task)."""

    class Moment(models.TextChoices):
        RECEIVED = "received", _("Melding ontvangen")
        DECISION = "decision", _("Besluit na de veiligheidsbeoordeling")
        CLOSED = "closed", _("Melding afgesloten")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="feedback")
    moment = models.CharField(max_length=20, choices=Moment.choices)
    text = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("terugkoppeling")
        verbose_name_plural = _("terugkoppelingen")

    def __str__(self) -> str:
        return f"{self.get_moment_display()} ({self.report_id})"
