"""Retention that runs by itself, and legal holds on records of every kind.

A report carries its own legal hold (`reports.Report.legal_hold`, ADR 0015); advice dossiers,
contacts, chats and meldcode records are held here, by type and id, so the retention of each
kind asks one place. A run of the retention is kept with its counts — never with what it
deleted (ADR 0031).
"""

from __future__ import annotations

from typing import Any

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
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(_("reden van opheffen"), blank=True)

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
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(null=True, blank=True)

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


class RequestKind(models.TextChoices):
    INSPECTION = "inspection", _("Inzage")
    COPY = "copy", _("Afschrift")
    CORRECTION = "correction", _("Correctie")
    STATEMENT = "statement", _("Eigen verklaring")
    DESTRUCTION = "destruction", _("Vernietiging")


class Requester(models.TextChoices):
    SELF = "self", _("De betrokkene zelf")
    PARENT = "parent", _("Ouder met gezag of voogd")
    REPRESENTATIVE = "representative", _("Gemachtigde of advocaat")


class RequestState(models.TextChoices):
    OPEN = "open", _("In behandeling")
    DONE = "done", _("Uitgevoerd")
    PARTLY = "partly", _("Deels uitgevoerd")
    REFUSED = "refused", _("Geweigerd")


class RefusalGround(models.TextChoices):
    # DOMAIN.md: destruction may be refused when another's substantial interest or a law
    # opposes it; a legal hold is such a law (a child-protection measure, a court case).
    OTHER_INTEREST = "other_interest", _("Aanmerkelijk belang van een ander")
    LEGAL_OBLIGATION = "legal_obligation", _("Wettelijke plicht om te bewaren")
    LEGAL_HOLD = "legal_hold", _("Het dossier staat op niet vernietigen")
    THIRD_PARTY = "third_party", _("Bescherming van een ander (ook de melder)")


class FileKind(models.TextChoices):
    REPORT = "report", _("Melding")
    DOSSIER = "dossier", _("Adviesdossier")


class SubjectRequest(models.Model):
    """A request of a person the file is about: inspection, a copy, a correction, an own
    statement or destruction (DOMAIN.md, rights of the people involved; ADR 0032)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    # SET_NULL: the decision outlives a file destroyed on this very request.
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subject_requests",
        verbose_name=_("melding"),
    )
    # Or an advice dossier (ADR 0032): a request concerns exactly one file, of one kind.
    dossier = models.ForeignKey(
        "contacts.AdviceDossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adviesdossier"),
    )
    file_kind = models.CharField(
        _("soort dossier"), max_length=10, choices=FileKind.choices, default=FileKind.REPORT
    )
    # The file's reference (ME-… or AD-…): it outlives the file.
    report_reference = models.CharField(_("kenmerk"), max_length=20)
    person = models.ForeignKey(
        "reports.ReportPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voor wie"),
    )
    dossier_person = models.ForeignKey(
        "contacts.DossierPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voor wie"),
    )
    person_label = models.CharField(_("voor wie"), max_length=200)
    kind = models.CharField(_("verzoek"), max_length=20, choices=RequestKind.choices)
    requester = models.CharField(_("wie vraagt"), max_length=20, choices=Requester.choices)
    requester_name = models.CharField(_("naam van wie vraagt"), max_length=200)
    # A child over 12 is consulted before the parents' request is carried out (DOMAIN.md).
    child_consulted = models.TextField(_("wat het kind (12+) ervan vindt"), blank=True)
    received_on = models.DateField(_("ontvangen op"))
    due_on = models.DateField(_("beslissen uiterlijk"))
    extended_because = models.TextField(_("reden verlenging"), blank=True)
    details = models.TextField(_("toelichting op het verzoek"), blank=True)
    state = models.CharField(
        _("status"), max_length=10, choices=RequestState.choices, default=RequestState.OPEN
    )
    decision = models.TextField(_("besluit en onderbouwing"), blank=True)
    refusal_ground = models.CharField(
        _("weigeringsgrond"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("verzoek van betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")
        constraints = [
            # One file of one kind: a report (and its person) or an advice dossier (and its
            # person). Both links become empty when the file is destroyed on this request.
            models.CheckConstraint(
                condition=(
                    models.Q(file_kind="report", dossier__isnull=True, dossier_person__isnull=True)
                    | models.Q(file_kind="dossier", report__isnull=True, person__isnull=True)
                ),
                name="subject_request_one_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"  # never the name: this may end up in a log

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN

    @property
    def is_about_dossier(self) -> bool:
        return self.file_kind == FileKind.DOSSIER

    @property
    def file(self) -> Any:
        """The report or advice dossier the request is about (None once destroyed)."""
        return self.dossier if self.is_about_dossier else self.report

    @property
    def file_person(self) -> Any:
        return self.dossier_person if self.is_about_dossier else self.person


class Release(models.TextChoices):
    PENDING = "pending", _("Nog beoordelen")
    RELEASE = "release", _("Verstrekken")
    WITHHOLD = "withhold", _("Niet verstrekken")


class CopyPassage(models.Model):
    """One passage of the file considered for a copy: the employee releases or withholds it,
    and says why. What was withheld and why stays recorded with the request."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    text = models.TextField()
    # About another person than the one the copy is for: withheld unless marked shareable.
    about_other = models.BooleanField(default=False)
    # Contains something of the reporter's identity: can never be released.
    reveals_reporter = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Release.choices, default=Release.PENDING)
    reason = models.CharField(_("reden"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")

    def __str__(self) -> str:
        return f"passage {self.position} of request {self.request_id}"
