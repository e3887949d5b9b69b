"""Contacts: every conversation with Veilig Thuis, by phone, chat, letter or in person.

This is the register's core; advice dossiers and reports build on it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("Telefoon")
    CHAT = "chat", _("Chat")
    WRITTEN = "written", _("Schriftelijk")
    IN_PERSON = "in_person", _("Persoonlijk")


class AskerType(models.TextChoices):
    VICTIM = "victim", _("Slachtoffer")
    CHILD = "child", _("Kind of jongere")
    FAMILY = "family", _("Familielid")
    BYSTANDER = "bystander", _("Omstander (buur, vriend)")
    PROFESSIONAL = "professional", _("Professional")
    PERPETRATOR = "perpetrator", _("Pleger")
    OTHER = "other", _("Anders")


class Sector(models.TextChoices):
    """A professional's sector: each has its own meldcode decision framework (Besluit
    verplichte meldcode, 2019). Contacts, reports and the meldcode assistant share it."""

    HEALTHCARE = "healthcare", _("Gezondheidszorg")
    EDUCATION = "education", _("Onderwijs")
    CHILDCARE = "childcare", _("Kinderopvang")
    SOCIAL_SUPPORT = "social_support", _("Maatschappelijke ondersteuning")
    YOUTH_CARE = "youth_care", _("Jeugdhulp")
    JUSTICE = "justice", _("Justitie")
    POLICE = "police", _("Politie")
    OTHER = "other", _("Anders")


class ViolenceForm(models.TextChoices):
    """The forms of domestic violence and child abuse a contact can be about (CBS categories)."""

    PHYSICAL_ABUSE = "physical_abuse", _("Lichamelijke mishandeling")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychische mishandeling")
    SEXUAL_ABUSE = "sexual_abuse", _("Seksueel misbruik")
    NEGLECT = "neglect", _("Verwaarlozing")
    WITNESSING = "witnessing", _("Getuige van huiselijk geweld")
    PARTNER_VIOLENCE = "partner_violence", _("Partnergeweld")
    ELDER_ABUSE = "elder_abuse", _("Ouderenmishandeling")
    HONOUR_BASED = "honour_based", _("Eergerelateerd geweld")
    FORCED_MARRIAGE = "forced_marriage", _("Huwelijksdwang")
    FGM = "fgm", _("Vrouwelijke genitale verminking")
    CONFLICT_DIVORCE = "conflict_divorce", _("Vechtscheiding")
    OTHER = "other", _("Anders of nog onduidelijk")


class AdviceDossier(models.Model):
    """Contacts about the same situation, grouped: the child's chat and the later call with
    the mentor belong together. An advice dossier may hold no personal data at all."""

    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="advice_dossiers",
        verbose_name=_("regio"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_advice_dossiers",
        verbose_name=_("eigenaar"),
    )
    opened_at = models.DateTimeField(_("geopend"), default=timezone.now)
    closed_at = models.DateTimeField(_("gesloten"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("adviesdossier")
        verbose_name_plural = _("adviesdossiers")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.reference:
            # Unique and not guessable from the outside; says nothing about the person.
            self.reference = f"AD-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Contact(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="contacts", verbose_name=_("regio")
    )
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    asker_type = models.CharField(_("soort vrager"), max_length=20, choices=AskerType.choices)
    asker_name = models.CharField(
        _("naam vrager"), max_length=200, blank=True, help_text=_("Leeg laten bij anoniem.")
    )
    summary = models.TextField(_("samenvatting"))
    forms_of_violence = models.JSONField(
        _("vormen van geweld"), default=list, blank=True, help_text=_("Waar het contact over ging.")
    )
    advice_given = models.TextField(_("gegeven advies"), blank=True)
    referral = models.TextField(_("verwijzing"), blank=True)
    # DOMAIN.md: no report can be made through the chat; the employee explains how to report.
    advised_to_report = models.BooleanField(
        _("uitgelegd hoe te melden"),
        default=False,
        help_text=_("De vrager is uitgelegd hoe een melding te doen (telefonisch)."),
    )
    dossier = models.ForeignKey(
        AdviceDossier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("adviesdossier"),
    )
    participants = models.CharField(
        _("wie deden mee"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: jongen en zijn mentor."),
    )
    agreements = models.TextField(_("afspraken"), blank=True)
    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now, db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_contacts",
        verbose_name=_("geregistreerd door"),
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%d-%m-%Y}"

    @property
    def violence_form_labels(self) -> list[str]:
        labels = dict(ViolenceForm.choices)
        return [str(labels.get(code, code)) for code in self.forms_of_violence]
