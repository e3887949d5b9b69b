"""The professional's meldcode record: the five steps, the weighing, the decision, a timeline.

A record is pseudonymous by default (ADR 0016): it describes "the child" with a label the
professional chooses ("leerling groep 5"), never a name, citizen service number or address.
It belongs to the professional who opened it and their organisation (accounts.policy).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.contacts.models import Sector, ViolenceForm

from .framework import FrameworkOutcome
from .signals import signal_label


def _reference(prefix: str) -> str:
    # Unique and not guessable; says nothing about the child or the school.
    return f"{prefix}-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"


class Step(models.IntegerChoices):
    SIGNALS = 1, _("Signalen in kaart brengen")
    CONSULTATION = 2, _("Collegiale consultatie en advies")
    CONVERSATION = 3, _("Gesprek met ouders en kind")
    WEIGHING = 4, _("Wegen met het afwegingskader")
    DECISION = 5, _("Beslissen: hulp organiseren en/of melden")


class RecordStatus(models.TextChoices):
    OPEN = "open", _("Lopend")
    HELP = "help", _("Hulp georganiseerd, wordt gevolgd")
    REPORTED = "reported", _("Gemeld bij Veilig Thuis")
    CLOSED = "closed", _("Afgesloten")


class Decision(models.TextChoices):
    ORGANISE_HELP = "organise_help", _("Hulp organiseren en de effecten volgen")
    REPORT = "report", _("Melden bij Veilig Thuis")
    HELP_AND_REPORT = "help_and_report", _("Hulp organiseren én melden")
    CLOSE = "close", _("Afsluiten: geen vermoeden meer")


REPORTING_DECISIONS = frozenset({Decision.REPORT, Decision.HELP_AND_REPORT})


class ParentsInformed(models.TextChoices):
    YES = "yes", _("Ja, ik heb de ouders verteld dat ik meld")
    NOT_SAFE = "not_safe", _("Nee: dat brengt het kind (of mij) in gevaar")
    NOT_YET = "not_yet", _("Nog niet")


class ReportChannel(models.TextChoices):
    PHONE = "phone", _("Telefonisch")
    ONLINE = "online", _("Via Vangnet naar Veilig Thuis")


class MeldcodeRecord(models.Model):
    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, editable=False)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meldcode_records",
        verbose_name=_("professional"),
    )
    organisation = models.ForeignKey(
        "regions.PartnerOrganisation",
        on_delete=models.PROTECT,
        related_name="meldcode_records",
        verbose_name=_("organisatie"),
    )
    # The organisation's Veilig Thuis region: where advice is asked and a report goes.
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="meldcode_records",
        verbose_name=_("regio"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    pseudonym = models.CharField(
        _("om wie gaat het (zonder naam)"),
        max_length=80,
        help_text=_("Bijvoorbeeld: leerling groep 5, peuter van 3. Geen naam of geboortedatum."),
    )
    concern = models.TextField(
        _("uw zorg in een paar zinnen"),
        help_text=_("Wat maakt u ongerust? Zonder namen of adressen."),
    )
    forms_of_violence = models.JSONField(_("vormen van geweld"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.OPEN
    )
    opened_at = models.DateTimeField(_("geopend"), default=timezone.now)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    closed_at = models.DateTimeField(_("afgesloten"), null=True, blank=True)

    # Step 5: the professional's decision (the tool records it, never takes it).
    decision = models.CharField(_("besluit"), max_length=20, choices=Decision.choices, blank=True)
    decision_reasoning = models.TextField(_("onderbouwing van het besluit"), blank=True)
    help_plan = models.TextField(_("welke hulp, door wie, en hoe u het volgt"), blank=True)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    # What the framework prescribed when the professional decided: kept, to show a deviation.
    prescribed_outcome = models.CharField(
        _("uitkomst van het afwegingskader"),
        max_length=30,
        choices=FrameworkOutcome.choices,
        blank=True,
    )

    # The report, when the decision is to report.
    parents_informed = models.CharField(
        _("weten de ouders dat u meldt?"),
        max_length=20,
        choices=ParentsInformed.choices,
        blank=True,
    )
    report_channel = models.CharField(
        _("gemeld via"), max_length=20, choices=ReportChannel.choices, blank=True
    )
    reported_at = models.DateTimeField(_("gemeld op"), null=True, blank=True)
    report_reference = models.CharField(_("kenmerk van de melding"), max_length=40, blank=True)
    # Set when the report went to the region's intake through Vangnet (reports.receive_report).
    # SET_NULL: the report's own retention (20 years) must not wait for the professional's
    # record, nor the record for the report; the reference above stays (ADR 0031).
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meldcode_records",
        verbose_name=_("melding"),
    )
    report_status_url = models.CharField(
        _("statuspagina van de melding"), max_length=300, blank=True
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # A contact person's overview pages through the organisation's records by key
            # (meldcode.selectors.records_page; ADR 0030).
            models.Index(
                fields=["organisation", "-updated_at", "-id"], name="meldcode_record_list_idx"
            ),
        ]
        verbose_name = _("meldcodedossier")
        verbose_name_plural = _("meldcodedossiers")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.reference:
            self.reference = _reference("MC")
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # the stubs' save() takes keywords only

    @property
    def is_open(self) -> bool:
        return self.status in (RecordStatus.OPEN, RecordStatus.HELP)

    @property
    def decided_to_report(self) -> bool:
        return self.decision in REPORTING_DECISIONS

    @property
    def violence_form_labels(self) -> list[str]:

        labels = dict(ViolenceForm.choices)
        return [str(labels.get(code, code)) for code in self.forms_of_violence]


class Signal(models.Model):
    """Step 1: one thing the professional noticed, dated."""

    record = models.ForeignKey(MeldcodeRecord, on_delete=models.CASCADE, related_name="signals")
    code = models.CharField(_("signaal"), max_length=40, blank=True)
    description = models.TextField(_("wat zag of hoorde u"), blank=True)
    observed_on = models.DateField(_("wanneer"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["observed_on", "id"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:

        return signal_label(self.code) if self.code else str(_("Eigen beschrijving"))


class Consultation(models.Model):
    """Step 2: a consultation with a colleague, the contact person, Veilig Thuis or an expert."""

    class With(models.TextChoices):
        COLLEAGUE = "colleague", _("Collega")
        CONTACT_PERSON = "contact_person", _("Aandachtsfunctionaris")
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis (advies)")
        INJURY_EXPERT = "injury_expert", _("Deskundige op het gebied van letsel")
        OTHER = "other", _("Anders")

    record = models.ForeignKey(
        MeldcodeRecord, on_delete=models.CASCADE, related_name="consultations"
    )
    consulted = models.CharField(_("met wie"), max_length=20, choices=With.choices)
    held_on = models.DateField(_("wanneer"))
    notes = models.TextField(_("wat kwam eruit"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("consultatie")
        verbose_name_plural = _("consultaties")

    def __str__(self) -> str:
        return f"{self.get_consulted_display()} {self.held_on}"


class ClientConversation(models.Model):
    """Step 3: the conversation with the parents and, where possible, the child."""

    record = models.ForeignKey(
        MeldcodeRecord, on_delete=models.CASCADE, related_name="conversations"
    )
    held_on = models.DateField(_("wanneer"))
    participants = models.CharField(
        _("wie waren erbij"),
        max_length=200,
        help_text=_("Bijvoorbeeld: moeder, ik en de intern begeleider. Zonder namen."),
    )
    with_second_professional = models.BooleanField(
        _("gevoerd met z'n tweeën"),
        default=False,
        help_text=_("Tip van Veilig Thuis: voer lastige gesprekken altijd met z'n tweeën."),
    )
    summary = models.TextField(_("wat is er besproken en hoe reageerden zij"))
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("gesprek met ouders en kind")
        verbose_name_plural = _("gesprekken met ouders en kind")

    def __str__(self) -> str:
        return f"{self.participants} {self.held_on}"


class Answer(models.Model):
    """Step 4: the professional's answer to one question of the decision framework."""

    record = models.ForeignKey(MeldcodeRecord, on_delete=models.CASCADE, related_name="answers")
    question = models.PositiveSmallIntegerField(_("vraag"))
    answer = models.BooleanField(_("antwoord"))
    reasoning = models.TextField(_("onderbouwing"))
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question"]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(fields=["record", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(question__gte=1, question__lte=5), name="question_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.question}={'ja' if self.answer else 'nee'}"


class TimelineEntry(models.Model):
    """What happened in the record, in order. Written only by the services."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Dossier geopend")
        SIGNAL = "signal", _("Signaal")
        CONSULTATION = "consultation", _("Consultatie")
        ADVICE_REQUEST = "advice_request", _("Advies gevraagd bij Veilig Thuis")
        ADVICE_CALLBACK = "advice_callback", _("Veilig Thuis heeft teruggebeld")
        CONVERSATION = "conversation", _("Gesprek")
        ANSWER = "answer", _("Afwegingskader")
        DECISION = "decision", _("Besluit")
        REPORT = "report", _("Melding")
        REMINDER = "reminder", _("Herinnering")
        CLOSED = "closed", _("Afgesloten")
        REOPENED = "reopened", _("Heropend")

    record = models.ForeignKey(MeldcodeRecord, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("tijdlijnregel")
        verbose_name_plural = _("tijdlijn")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind}"


class Reminder(models.Model):
    """A date the professional set to look at the record again (e.g. question 5)."""

    record = models.ForeignKey(MeldcodeRecord, on_delete=models.CASCADE, related_name="reminders")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meldcode_reminders"
    )
    due_on = models.DateField(_("datum"))
    note = models.CharField(_("waaraan herinneren"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True)
    # Set by the task at the date: from then on the reminder shows on the overview.
    fired_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")

    def __str__(self) -> str:
        return f"{self.due_on} {self.note}"

    @property
    def is_due(self) -> bool:
        return self.fired_at is not None and self.dismissed_at is None


class AdviceRequestStatus(models.TextChoices):
    WAITING = "waiting", _("Wacht op terugbellen")
    TAKEN = "taken", _("In behandeling")
    DONE = "done", _("Teruggebeld, advies gegeven")


class AdviceRequest(models.Model):
    """A professional asks Veilig Thuis to call back for advice, without naming the family.

    Lands in the region's call-back queue (/staff/advice-requests/) with the pseudonymous
    summary and opens an advice dossier there (DOMAIN.md: "a professional may ask advice
    without saying who the family is", seed 001).
    """

    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, editable=False)
    record = models.ForeignKey(
        MeldcodeRecord, on_delete=models.PROTECT, related_name="advice_requests"
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="advice_requests",
        verbose_name=_("regio"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_requests"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    summary = models.TextField(_("waar wilt u advies over"))
    callback_phone = models.CharField(_("terugbelnummer"), max_length=20)
    callback_when = models.CharField(_("wanneer bereikbaar"), max_length=100, blank=True)
    is_urgent = models.BooleanField(_("met spoed"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AdviceRequestStatus.choices,
        default=AdviceRequestStatus.WAITING,
    )
    created_at = models.DateTimeField(_("aangevraagd"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="taken_advice_requests",
        verbose_name=_("opgepakt door"),
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    dossier = models.ForeignKey(
        "contacts.AdviceDossier",
        on_delete=models.PROTECT,
        related_name="advice_requests",
        verbose_name=_("adviesdossier"),
    )
    contact = models.OneToOneField(
        "contacts.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_request",
    )

    class Meta:
        ordering = ["-is_urgent", "created_at", "id"]
        verbose_name = _("terugbelverzoek")
        verbose_name_plural = _("terugbelverzoeken")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.reference:
            self.reference = _reference("TB")
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # the stubs' save() takes keywords only
