"""Reports (meldingen): the report, its reporter, the persons it is about, and its journal.

The workflow (states and steps) is in `workflow.py`; writes go through `services.py`. The
reporter's identity and citizen service numbers are encrypted at rest (ADR 0011).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.contacts.models import Channel, Sector, ViolenceForm
from vangnet.core.crypto import EncryptedTextField

from .workflow import OPEN_STATES, STEPS, ReportState, TriageOutcome


def new_reference() -> str:
    # Says nothing about the family; not guessable; unique is checked by the database.
    return f"ME-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"


class Report(models.Model):
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="reports", verbose_name=_("regio")
    )
    state = models.CharField(
        _("status"), max_length=20, choices=ReportState.choices, default=ReportState.RECEIVED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_reports",
        verbose_name=_("behandelaar"),
    )
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="received_reports",
        verbose_name=_("aangenomen door"),
    )
    # Concerns
    forms_of_violence = models.JSONField(_("vormen van geweld"), default=list)
    concerns = models.TextField(_("zorgen"))
    signals = models.TextField(_("signalen"), blank=True)
    actions_taken = models.TextField(
        _("wat de melder al deed (meldcode)"),
        blank=True,
        help_text=_(
            "Bijvoorbeeld: gesprek met ouders gevoerd, collega en Veilig Thuis geraadpleegd."
        ),
    )
    source_dossier = models.ForeignKey(
        "contacts.AdviceDossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("uit adviesdossier"),
    )
    # Deadlines (Handelingsprotocol; see services.deadlines_for)
    is_acute = models.BooleanField(_("acuut"), default=False)
    urgency_due_at = models.DateTimeField(_("acute actie uiterlijk"), null=True, blank=True)
    assessment_due_on = models.DateField(_("veiligheidsbeoordeling en triage uiterlijk"))
    investigation_due_on = models.DateField(_("onderzoek uiterlijk"), null=True, blank=True)
    # Safety assessment
    acute_unsafety = models.BooleanField(_("acute onveiligheid"), null=True, blank=True)
    structural_unsafety = models.BooleanField(_("structurele onveiligheid"), null=True, blank=True)
    immediate_action = models.TextField(_("direct genomen maatregelen"), blank=True)
    assessment = models.TextField(_("veiligheidsbeoordeling"), blank=True)
    assessed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Triage
    triage_outcome = models.CharField(
        _("triagebesluit"), max_length=24, choices=TriageOutcome.choices, blank=True
    )
    triage_rationale = models.TextField(_("onderbouwing triage"), blank=True)
    triage_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triage_at = models.DateTimeField(null=True, blank=True)
    triage_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triage_approved_at = models.DateTimeField(null=True, blank=True)
    # Investigation
    investigation_started_at = models.DateTimeField(null=True, blank=True)
    investigation_conclusion = models.TextField(_("conclusie onderzoek"), blank=True)
    investigation_concluded_at = models.DateTimeField(null=True, blank=True)
    # Transfer
    transferred_to = models.ForeignKey(
        "regions.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_reports",
        verbose_name=_("overgedragen aan"),
    )
    transfer_summary = models.TextField(_("overdrachtsinformatie"), blank=True)
    transferred_at = models.DateTimeField(null=True, blank=True)
    transfer_accepted_at = models.DateTimeField(null=True, blank=True)
    transfer_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the team's own system accepted through the API: which system (no person known).
    transfer_accepted_via = models.CharField(max_length=150, blank=True)
    # Closure and retention
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closure_reason = models.TextField(_("reden van afsluiten"), blank=True)
    retention_until = models.DateField(_("bewaren tot"), null=True, blank=True)
    legal_hold = models.BooleanField(
        _("niet vernietigen"),
        default=False,
        help_text=_("Bijvoorbeeld omdat een kinderbeschermingsmaatregel langer bewaren vraagt."),
    )
    # The reporter's status link: only a hash of its secret is kept.
    status_token_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The register pages through a region's reports newest first by key, not OFFSET
            # (ADR 0030), with or without a state filter.
            models.Index(fields=["region", "-received_at", "-id"], name="report_register_idx"),
            models.Index(
                fields=["region", "state", "-received_at", "-id"], name="report_register_state_idx"
            ),
        ]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.reference:
            self.reference = new_reference()
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # the stubs' save() takes keywords only

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def violence_form_labels(self) -> list[str]:
        labels = dict(ViolenceForm.choices)
        return [str(labels.get(code, code)) for code in self.forms_of_violence]

    @property
    def has_lead(self) -> str:
        """Who has the lead: Veilig Thuis, or the team that accepted the transfer."""
        if self.transfer_accepted_at and self.transferred_to_id:
            return self.transferred_to.name  # type: ignore[union-attr]  # transferred in this state (workflow)
        return self.region.display_name


class Reporter(models.Model):
    """Who reported. Their identity is encrypted and never leaves Veilig Thuis (DOMAIN.md)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="reporter")
    is_professional = models.BooleanField(_("professional"), default=False)
    name = EncryptedTextField(_("naam"))
    organisation = EncryptedTextField(_("organisatie"), blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    phone = EncryptedTextField(_("telefoon"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    # DOMAIN.md: Veilig Thuis knows the reporter but keeps their identity from the family.
    anonymous_to_family = models.BooleanField(_("anoniem naar het gezin"), default=False)

    class Meta:
        verbose_name = _("melder")
        verbose_name_plural = _("melders")

    def __str__(self) -> str:
        return f"melder van {self.report_id}"  # never the name: this may end up in a log

    @property
    def role_label(self) -> str:
        """How every page, document and message names the reporter: by role, never by name
        (the name only through the logged reveal, `selectors.reporter_identity`)."""
        if self.is_professional:
            return _("Professional (%(sector)s)") % {"sector": self.get_sector_display()}
        return str(_("de melder"))


class PersonRole(models.TextChoices):
    CHILD = "child", _("Kind")
    PARENT = "parent", _("Ouder of verzorger")
    OTHER = "other", _("Ander betrokkene")


class ReportPerson(models.Model):
    """A person the report is about (the household and others involved)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("rol"), max_length=10, choices=PersonRole.choices)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    bsn = EncryptedTextField(_("burgerservicenummer"), blank=True)
    bsn_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    is_victim = models.BooleanField(_("slachtoffer"), default=False)
    is_alleged_perpetrator = models.BooleanField(_("vermoedelijk pleger"), default=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            # Earlier history looks persons up by name and date of birth and by address,
            # both case-insensitively (selectors._person_matches; ADR 0030).
            models.Index(Upper("name"), "date_of_birth", name="reportperson_name_dob_idx"),
            models.Index(Upper("address"), name="reportperson_address_idx"),
        ]
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")

    def __str__(self) -> str:
        return self.get_role_display()


OTHER_JOURNAL_STEPS = {
    "receive_report": _("Melding ontvangen"),
    "reissue_status_link": _("Nieuwe statuslink voor de melder"),
    "correct_file": _("Gecorrigeerd op verzoek van een betrokkene"),
    "own_statement": _("Eigen verklaring toegevoegd"),
    "set_legal_hold": _("Bewaren gewijzigd"),
    "assign_report": _("Behandelaar gewijzigd"),
    "note": _("Notitie"),
    "add_person": _("Betrokkene toegevoegd"),
}


class JournalEntry(models.Model):
    """The report's journal: every step and note, who and when. Never the reporter's name."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="journal")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step = models.CharField(max_length=40, blank=True)
    state_before = models.CharField(max_length=20, blank=True)
    state_after = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("journaalregel")
        verbose_name_plural = _("journaal")

    def __str__(self) -> str:
        return f"{self.step} {self.at:%d-%m-%Y %H:%M}"

    @property
    def step_label(self) -> str:

        if self.step in STEPS:
            return str(STEPS[self.step].label)
        return str(OTHER_JOURNAL_STEPS.get(self.step, self.step))


class SafetyCondition(models.Model):
    """What must be achieved, as observable behaviour (DOMAIN.md: safety conditions)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="conditions")
    description = models.TextField(_("voorwaarde"))
    responsible = models.CharField(_("wie is verantwoordelijk"), max_length=200)
    due_on = models.DateField(_("uiterlijk"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("veiligheidsvoorwaarde")
        verbose_name_plural = _("veiligheidsvoorwaarden")

    def __str__(self) -> str:
        return f"voorwaarde {self.pk} bij {self.report_id}"


class MonitoringMoment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="monitoring_moments")
    planned_on = models.DateField(_("gepland op"))
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conditions_met = models.BooleanField(_("voorwaarden nageleefd"), null=True, blank=True)
    notes = models.TextField(_("bevindingen"), blank=True)

    class Meta:
        ordering = ["planned_on", "id"]
        verbose_name = _("monitoringmoment")
        verbose_name_plural = _("monitoringmomenten")

    def __str__(self) -> str:
        return f"monitoring {self.planned_on:%d-%m-%Y}"


class ReporterFeedback(models.Model):
    """What the reporter was told, and when (Wmo 2015 art. 4.1.1). Never findings."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Melding ontvangen")
        TRIAGE = "triage", _("Besluit over de aanpak")
        TRANSFER = "transfer", _("Overgedragen")
        CLOSED = "closed", _("Melding afgesloten")

    class Mail(models.TextChoices):
        PENDING = "pending", _("wordt verstuurd")
        SENT = "sent", _("verstuurd")
        NO_ADDRESS = "no_address", _("geen e-mailadres bekend")
        FAILED = "failed", _("niet verstuurd (mailserver onbereikbaar)")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    emailed = models.BooleanField(default=False)
    # Whether the mail went out, as the employee sees it on the report (never the address).
    mail = models.CharField(_("e-mail"), max_length=12, choices=Mail.choices, default=Mail.PENDING)
    mail_attempts = models.PositiveSmallIntegerField(default=0)
    mail_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%d-%m-%Y}"


class OwnStatement(models.Model):
    """A person's own statement about what the file says of them (eigen verklaring). Once
    added it goes with every later copy and transfer document (issue 17, ADR 0032)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="own_statements")
    person = models.ForeignKey(
        ReportPerson,
        on_delete=models.CASCADE,
        related_name="own_statements",
        verbose_name=_("van"),
    )
    text = models.TextField(_("eigen verklaring"))
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("eigen verklaring")
        verbose_name_plural = _("eigen verklaringen")

    def __str__(self) -> str:
        return f"verklaring {self.pk} bij {self.report_id}"
