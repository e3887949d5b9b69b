"""The public anonymous chat: per-region desks, conversations, their messages, who is available.

A conversation is a projection target: every message is written here, with a sequence number
per conversation, before anyone sees it (DESIGN.md: real-time is a projection of the
database). The visitor is known only by what they chose to tell: a nickname, an age, a
gender and a 4-digit postcode.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.regions.models import postcode_validator


class ChatDesk(models.Model):
    """How one region's chat desk works: open or not, and when waiting chats overflow."""

    region = models.OneToOneField(
        "regions.Region",
        on_delete=models.CASCADE,
        related_name="chat_desk",
        verbose_name=_("regio"),
    )
    is_open = models.BooleanField(
        _("chat open"),
        default=True,
        help_text=_("Uit: de chat van deze regio is gesloten, ook binnen de openingstijden."),
    )
    overflow_to_national_desk = models.BooleanField(
        _("doorzetten naar landelijk loket"),
        default=True,
        help_text=_("Een wachtende chat gaat naar het landelijk loket als niemand beschikbaar is."),
    )
    overflow_after_seconds = models.PositiveIntegerField(
        _("doorzetten na (seconden)"),
        default=180,
        validators=[MinValueValidator(30), MaxValueValidator(3600)],
    )
    return_after_seconds = models.PositiveIntegerField(
        _("terug naar de wachtrij na (seconden)"),
        default=90,
        # At least three of the heartbeat's rounds (QUEUE_TICK_SECONDS): a connected
        # employee whose heartbeat skipped a round keeps their chats.
        validators=[MinValueValidator(60), MaxValueValidator(1800)],
        help_text=_(
            "Een chat van een medewerker die zo lang niet verbonden is, gaat vooraan terug "
            "in de wachtrij."
        ),
    )
    offer_automatically = models.BooleanField(
        _("chats automatisch aanbieden"),
        default=False,
        help_text=_(
            "Aan: een wachtende chat gaat naar de beschikbare medewerker met de meeste ruimte."
        ),
    )

    class Meta:
        verbose_name = _("chatloket")
        verbose_name_plural = _("chatloketten")

    def __str__(self) -> str:
        return f"chat {self.region}"


class Gender(models.TextChoices):
    GIRL_WOMAN = "female", _("Meisje / vrouw")
    BOY_MAN = "male", _("Jongen / man")
    OTHER = "other", _("Anders")
    UNSAID = "", _("Zeg ik liever niet")


class ConversationStatus(models.TextChoices):
    WAITING = "waiting", _("Wacht")
    ACTIVE = "active", _("In gesprek")
    VISITOR_LEFT = "visitor_left", _("Bezoeker vertrokken")
    CLOSED = "closed", _("Afgesloten")
    ABANDONED = "abandoned", _("Vertrokken tijdens wachten")


OPEN_STATUSES = (ConversationStatus.WAITING, ConversationStatus.ACTIVE)
# Statuses in which an employee still has to register the outcome.
OUTCOME_DUE_STATUSES = (ConversationStatus.ACTIVE, ConversationStatus.VISITOR_LEFT)


class Conversation(models.Model):
    # The visitor's browser session holds this id; it is never shown or put in a URL.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("regio"),
        help_text=_("De regio waarvan de wachtrij de chat nu heeft."),
    )
    home_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regio van de postcode"),
    )
    nickname = models.CharField(_("roepnaam"), max_length=40, blank=True)
    age = models.PositiveSmallIntegerField(
        _("leeftijd"),
        null=True,
        blank=True,
        validators=[MinValueValidator(6), MaxValueValidator(110)],
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    postcode = models.CharField(
        _("postcode (4 cijfers)"),
        max_length=4,
        blank=True,
        validators=[postcode_validator],
        help_text=_("Leeg als de bezoeker de postcode niet weet."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ConversationStatus.choices,
        default=ConversationStatus.WAITING,
        db_index=True,
    )
    overflowed = models.BooleanField(_("doorgezet naar landelijk loket"), default=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chat_conversations",
        verbose_name=_("medewerker"),
    )
    last_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("gestart"), default=timezone.now, db_index=True)
    queued_at = models.DateTimeField(_("in de wachtrij sinds"), default=timezone.now)
    accepted_at = models.DateTimeField(_("aangenomen"), null=True, blank=True)
    ended_at = models.DateTimeField(_("beëindigd"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten"), null=True, blank=True)
    visitor_connected = models.BooleanField(default=False)
    visitor_seen_at = models.DateTimeField(null=True, blank=True)
    contact = models.OneToOneField(
        "contacts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chat",
        verbose_name=_("contactregistratie"),
    )
    transcript_purged_at = models.DateTimeField(_("transcript verwijderd"), null=True, blank=True)
    dossier = models.ForeignKey(
        "contacts.AdviceDossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("adviesdossier"),
    )
    # Asked for by a continuity code: the employee the visitor spoke with before.
    preferred_employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gevraagde medewerker"),
    )
    is_urgent = models.BooleanField(_("met voorrang"), default=False)
    # The visitor's language: what the system tells them is written in it, whoever acts.
    language = models.CharField(max_length=8, default="nl")
    # A warm handover: the helpline volunteer who brought Veilig Thuis in.
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vrijwilliger"),
    )
    volunteer_present = models.BooleanField(_("vrijwilliger in het gesprek"), default=False)

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("chatgesprek")
        verbose_name_plural = _("chatgesprekken")
        indexes = [models.Index(fields=["region", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"chat {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def needs_outcome(self) -> bool:
        return self.status in OUTCOME_DUE_STATUSES


class Sender(models.TextChoices):
    VISITOR = "visitor", _("Bezoeker")
    EMPLOYEE = "employee", _("Medewerker")
    VOLUNTEER = "volunteer", _("Vrijwilliger")
    SYSTEM = "system", _("Systeem")


class MessageKind(models.TextChoices):
    TEXT = "text", _("Bericht")
    RESOURCE = "resource", _("Link")
    EVENT = "event", _("Gebeurtenis")
    NOTE = "note", _("Interne notitie")


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sequence = models.PositiveIntegerField()
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=10, choices=MessageKind.choices, default=MessageKind.TEXT)
    body = models.TextField()
    # A link from the social map, as it was when it was sent.
    link_url = models.URLField(blank=True)
    # The sender's idempotency key: a retried send is stored once.
    client_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "sequence"], name="message_sequence"),
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_key"],
                condition=~models.Q(client_key=""),
                name="message_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.sequence}"

    @property
    def visible_to_visitor(self) -> bool:
        return self.kind != MessageKind.NOTE


class Availability(models.Model):
    """Whether an employee takes chats now. Counts only while their queue page is open."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_availability"
    )
    is_available = models.BooleanField(default=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    # How many chats the employee runs at once; set by the team lead.
    capacity = models.PositiveSmallIntegerField(
        _("aantal chats tegelijk"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )

    class Meta:
        verbose_name = _("beschikbaarheid")
        verbose_name_plural = _("beschikbaarheid")

    def __str__(self) -> str:
        return f"{self.user_id} {'available' if self.is_available else 'away'}"


class QueueClock(models.Model):
    """How many changes a region's queue has had: the number a pushed queue change carries.

    Raised in the transaction of the change (`chat.queue_events.state_changed`), so the
    numbers follow the order in which the changes committed; a queue page that misses one
    fetches the queue again (ADR 0035). Holds no personal data."""

    region = models.OneToOneField(
        "regions.Region", on_delete=models.CASCADE, related_name="chat_queue_clock"
    )
    sequence = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("wachtrijteller")
        verbose_name_plural = _("wachtrijtellers")

    def __str__(self) -> str:
        return f"{self.region_id}@{self.sequence}"


class ContinuityCode(models.Model):
    """A personal code that brings a visitor back to the same employee and advice dossier.

    Only a keyed hash of the code is stored; the code itself is shown once, to be read aloud
    or typed. Codes expire and can be revoked.
    """

    digest = models.CharField(max_length=64, unique=True)
    dossier = models.ForeignKey(
        "contacts.AdviceDossier", on_delete=models.CASCADE, related_name="continuity_codes"
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="continuity_codes"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    times_used = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("continuïteitscode")
        verbose_name_plural = _("continuïteitscodes")

    def __str__(self) -> str:
        return f"code {self.pk}"

    def is_valid(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment  # type: ignore[operator]  # `now` is a datetime when given


class HandoverStatus(models.TextChoices):
    REQUESTED = "requested", _("Aangevraagd")
    ACCEPTED = "accepted", _("Aangenomen")
    COMPLETED = "completed", _("Afgerond")
    CANCELLED = "cancelled", _("Geannuleerd")


class Handover(models.Model):
    """A warm handover from a partner helpline: the volunteer brings Veilig Thuis in.

    What was agreed with the child beforehand is recorded here (seed 000): consent, who gives
    the summary, whether the volunteer stays, whether the child stays anonymous.
    """

    class Channel(models.TextChoices):
        CHAT = "chat", _("Chat (driegesprek)")
        PHONE = "phone", _("Telefoon (driegesprek)")

    class SummaryBy(models.TextChoices):
        VOLUNTEER = "volunteer", _("De vrijwilliger")
        CHILD = "child", _("Het kind zelf")

    organisation = models.ForeignKey(
        "regions.PartnerOrganisation", on_delete=models.PROTECT, related_name="handovers"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_handovers",
    )
    external_reference = models.CharField(_("eigen kenmerk"), max_length=64, blank=True)
    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    consent = models.BooleanField(_("het kind wil dat Veilig Thuis aansluit"))
    summary_by = models.CharField(
        _("wie geeft de samenvatting"), max_length=10, choices=SummaryBy.choices
    )
    volunteer_stays = models.BooleanField(_("de vrijwilliger blijft in het gesprek"))
    child_anonymous = models.BooleanField(_("het kind blijft anoniem"), default=True)
    summary = models.TextField(_("korte samenvatting"), max_length=2000)
    is_urgent = models.BooleanField(_("met voorrang"), default=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=HandoverStatus.choices, default=HandoverStatus.REQUESTED
    )
    conversation = models.OneToOneField(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="handover"
    )
    # The child joins the chat with this code, given by the volunteer (only a hash is kept).
    join_digest = models.CharField(max_length=64, blank=True, db_index=True)
    join_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_handovers",
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-is_urgent", "created_at"]
        verbose_name = _("warme overdracht")
        verbose_name_plural = _("warme overdrachten")

    def __str__(self) -> str:
        return f"handover {self.pk}"


class StandardText(models.Model):
    """A standard text an employee inserts in a chat and edits before sending.

    Kept like the social map: without a region it is national and offered everywhere.
    """

    # accounts.policy: a text without a region is national, kept by the national desk.
    NATIONAL_WITHOUT_REGION = True

    title = models.CharField(_("titel"), max_length=80)
    body = models.TextField(_("tekst"), max_length=2000)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regio"),
        help_text=_("Leeg: landelijk, in elke regio te gebruiken."),
    )
    is_active = models.BooleanField(_("in gebruik"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("standaardtekst")
        verbose_name_plural = _("standaardteksten")

    def __str__(self) -> str:
        return self.title


class SatisfactionAnswer(models.Model):
    """The visitor's answer to 'did this conversation help you?'.

    Deliberately without any link to the conversation, the visitor or the employee: only the
    region and the day, so that it can only ever be shown in aggregate.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(default=timezone.localdate)
    helped = models.BooleanField(_("heb je iets aan dit gesprek gehad?"))
    comment = models.TextField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("tevredenheidsantwoord")
        verbose_name_plural = _("tevredenheidsantwoorden")

    def __str__(self) -> str:
        return f"answer {self.pk}"
