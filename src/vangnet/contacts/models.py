"""Contacts: every conversation with Veilig Thuis, by phone, chat, letter or in person.

This is the register's core; advice dossiers and reports build on it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
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
    PARTNER = "partner", _("Ketenpartner")
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
    # DOMAIN.md: an advice dossier may hold no personal data at all. While it is anonymous,
    # no DossierPerson can be added (services refuse it); naming it is the asker's choice.
    is_anonymous = models.BooleanField(_("anoniem"), default=True)
    title = models.CharField(
        _("onderwerp"),
        max_length=120,
        blank=True,
        help_text=_("Kort en zonder namen, bijvoorbeeld: zorgen om leerling groep 7."),
    )
    opened_at = models.DateTimeField(_("geopend"), default=timezone.now)
    closed_at = models.DateTimeField(_("gesloten"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            # The dossier search pages through a region's dossiers by key (ADR 0030).
            models.Index(fields=["region", "-opened_at", "-id"], name="dossier_search_idx"),
        ]
        verbose_name = _("adviesdossier")
        verbose_name_plural = _("adviesdossiers")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.reference:
            # Unique and not guessable from the outside; says nothing about the person.
            self.reference = f"AD-{timezone.now():%Y}-{secrets.token_hex(3).upper()}"
        super().save(*args, **kwargs)  # type: ignore[arg-type]  # the stubs' save() takes keywords only

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PersonRelation(models.TextChoices):
    CHILD = "child", _("Kind")
    PARENT = "parent", _("Ouder of verzorger")
    OTHER_FAMILY = "other_family", _("Ander gezinslid of familielid")
    OTHER = "other", _("Anders")


class DossierPerson(models.Model):
    """A person a named advice dossier is about. Only when the asker chooses to name them."""

    dossier = models.ForeignKey(
        AdviceDossier, on_delete=models.CASCADE, related_name="persons", verbose_name=_("dossier")
    )
    relation = models.CharField(
        _("wie is het"), max_length=20, choices=PersonRelation.choices, default=PersonRelation.CHILD
    )
    name = models.CharField(_("naam"), max_length=200)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("toegevoegd"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        indexes = [
            # Earlier history of a report looks dossier persons up as it does report persons
            # (reports.selectors._person_matches; ADR 0030).
            models.Index(Upper("name"), "date_of_birth", name="dossierperson_name_dob_idx"),
            models.Index(Upper("address"), name="dossierperson_address_idx"),
        ]
        verbose_name = _("persoon in adviesdossier")
        verbose_name_plural = _("personen in adviesdossier")

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """The history of an advice dossier: what happened, when, by whom. Never personal data."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Dossier geopend")
        CONTACT_ADDED = "contact_added", _("Contact toegevoegd")
        NAMED = "named", _("Personen benoemd (niet meer anoniem)")
        PERSON_ADDED = "person_added", _("Persoon toegevoegd")
        PERSON_REMOVED = "person_removed", _("Persoon verwijderd")
        OWNER_CHANGED = "owner_changed", _("Eigenaar gewijzigd")
        CLOSED = "closed", _("Dossier gesloten")
        REOPENED = "reopened", _("Dossier heropend")
        CONVERTED = "converted", _("Omgezet in melding")
        CORRECTED = "corrected", _("Gecorrigeerd op verzoek van betrokkene")
        STATEMENT = "statement", _("Eigen verklaring toegevoegd")

    dossier = models.ForeignKey(
        AdviceDossier, on_delete=models.CASCADE, related_name="events", verbose_name=_("dossier")
    )
    kind = models.CharField(_("gebeurtenis"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("wanneer"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("dossiergebeurtenis")
        verbose_name_plural = _("dossiergebeurtenissen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d-%m-%Y %H:%M}"


class DossierCorrection(models.Model):
    """A correction of the dossier on the request of a person it is about (ADR 0032): the new
    text is in the dossier, the old text stays here, as the dossier's history of it."""

    dossier = models.ForeignKey(
        AdviceDossier,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("dossier"),
    )
    what = models.CharField(_("wat is gecorrigeerd"), max_length=200)
    old_text = models.TextField(_("oude tekst"), blank=True)
    grounds = models.CharField(_("grond"), max_length=300)
    at = models.DateTimeField(_("wanneer"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("correctie van een adviesdossier")
        verbose_name_plural = _("correcties van adviesdossiers")

    def __str__(self) -> str:
        return f"correctie {self.pk} bij {self.dossier_id}"


class DossierStatement(models.Model):
    """A person's own statement about what the dossier says of them (eigen verklaring): shown
    on the dossier and part of every later copy (ADR 0032)."""

    dossier = models.ForeignKey(
        AdviceDossier, on_delete=models.CASCADE, related_name="own_statements"
    )
    person = models.ForeignKey(
        DossierPerson,
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
        verbose_name = _("eigen verklaring bij een adviesdossier")
        verbose_name_plural = _("eigen verklaringen bij adviesdossiers")

    def __str__(self) -> str:
        return f"verklaring {self.pk} bij {self.dossier_id}"


# The longest text each part of a contact's registration may hold, whichever form or service
# registers it (the desk's form, a chat's or a call-back's closing registration).
CONTACT_TEXT_LIMITS = {
    "question": 4000,
    "advice_given": 4000,
    "referral": 500,
    "agreements": 2000,
    "participants": 300,
}


class Contact(models.Model):
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="contacts", verbose_name=_("regio")
    )
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duur (minuten)"), null=True, blank=True)
    asker_type = models.CharField(_("soort vrager"), max_length=20, choices=AskerType.choices)
    asker_sector = models.CharField(
        _("sector"),
        max_length=20,
        choices=Sector.choices,
        blank=True,
        help_text=_("Verplicht als een professional of ketenpartner belt."),
    )
    is_anonymous = models.BooleanField(
        _("anoniem"), default=True, help_text=_("De vrager noemt geen naam.")
    )
    asker_name = models.CharField(
        _("naam vrager"), max_length=200, blank=True, help_text=_("Leeg laten bij anoniem.")
    )
    asker_organisation = models.CharField(_("organisatie vrager"), max_length=200, blank=True)
    asker_phone = models.CharField(
        _("terugbelnummer"),
        max_length=20,
        blank=True,
        help_text=_("Alleen als de vrager teruggebeld wil worden."),
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
        indexes = [
            # The register pages through a region's contacts by key, not OFFSET (ADR 0030).
            models.Index(fields=["region", "-received_at", "-id"], name="contact_register_idx"),
        ]
        verbose_name = _("contact")
        verbose_name_plural = _("contacten")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%d-%m-%Y}"

    @property
    def violence_form_labels(self) -> list[str]:
        labels = dict(ViolenceForm.choices)
        return [str(labels.get(code, code)) for code in self.forms_of_violence]
