"""The Veilig Thuis regions, their municipalities, and 4-digit postcode routing.

Municipality → region is data, never "equal to the safety region" (DOMAIN.md: the two
differ in places). PC4 → municipality comes from CBS's postcode file; see data/SOURCES.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

region_code_validator = RegexValidator(
    r"^[A-Z0-9-]{2,12}$", _("Een regiocode bestaat uit 2 tot 12 hoofdletters, cijfers of -.")
)
municipality_code_validator = RegexValidator(
    r"^GM\d{4}$", _("Een gemeentecode heeft de vorm GM0344.")
)
postcode_validator = RegexValidator(
    r"^[1-9]\d{3}$", _("Een postcode bestaat uit 4 cijfers en begint niet met 0.")
)


class Region(models.Model):
    """One Veilig Thuis organisation's area, or the national desk."""

    code = models.CharField(
        _("code"), max_length=12, unique=True, validators=[region_code_validator]
    )
    name = models.CharField(_("naam"), max_length=100, unique=True)
    is_national_desk = models.BooleanField(
        _("landelijk loket"),
        default=False,
        help_text=_("Het loket dat namens alle Veilig Thuis-organisaties werkt."),
    )
    safety_region_code = models.CharField(
        _("veiligheidsregio (CBS-code)"), max_length=4, blank=True
    )
    # Whether professionals may send a report from the meldcode assistant to this region's
    # intake; otherwise they report by phone (the region decides; off until it says yes).
    accepts_online_reports = models.BooleanField(
        _("ontvangt meldingen via de meldcode-assistent"), default=False
    )

    class Meta:
        ordering = ["is_national_desk", "name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        constraints = [
            models.UniqueConstraint(
                fields=["is_national_desk"],
                condition=models.Q(is_national_desk=True),
                name="one_national_desk",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.name if self.is_national_desk else f"Veilig Thuis {self.name}"


class Municipality(models.Model):
    code = models.CharField(
        _("gemeentecode"), max_length=6, unique=True, validators=[municipality_code_validator]
    )
    name = models.CharField(_("naam"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("regio")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A 4-digit postcode area and the municipality that holds most of its addresses."""

    code = models.CharField(
        _("postcode"), max_length=4, unique=True, validators=[postcode_validator]
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="postcodes",
        verbose_name=_("gemeente"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")

    def __str__(self) -> str:
        return self.code


class PartnerOrganisation(models.Model):
    """An organisation whose people work with Veilig Thuis: helpline, school, local team."""

    class Kind(models.TextChoices):
        HELPLINE = "helpline", _("Kindertelefoon")
        LOCAL_TEAM = "local_team", _("Lokaal team / wijkteam")
        SAVE_TEAM = "save_team", _("SAVE-team")
        SCHOOL = "school", _("School")
        CHILDCARE = "childcare", _("Kinderopvang")
        HEALTHCARE = "healthcare", _("Zorg")
        POLICE = "police", _("Politie")
        OTHER = "other", _("Anders")

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="partner_organisations",
        verbose_name=_("regio"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("gemeente"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnerorganisatie")
        verbose_name_plural = _("partnerorganisaties")
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="partner_unique_per_region")
        ]

    def __str__(self) -> str:
        return self.name


def validate_https(value: str) -> None:
    """A link for a visitor must be encrypted: the visitor may be watched on a shared network."""
    if not value.lower().startswith("https://"):
        raise ValidationError(
            _("Gebruik een beveiligd webadres dat begint met https:// (niet http://)."),
            code="https_only",
        )


class SocialMapEntry(models.Model):
    """The social map: help and information a chat employee can send to a visitor.

    An entry without a region is national and offered in every region (Villa Pinedo, the
    Kindertelefoon); a regional one names the local team of a municipality, for instance.
    """

    class Kind(models.TextChoices):
        LOCAL_TEAM = "local_team", _("Lokaal team / wijkteam")
        WEBSITE = "website", _("Informatie")
        HELPLINE = "helpline", _("Hulplijn")
        SUPPORT = "support", _("Hulp en steun")
        OTHER = "other", _("Anders")

    name = models.CharField(_("naam"), max_length=200)
    url = models.URLField(
        _("webadres"),
        max_length=500,
        validators=[validate_https],
        help_text=_("Het volledige adres, beginnend met https://."),
    )
    description = models.CharField(
        _("omschrijving"),
        max_length=300,
        blank=True,
        help_text=_("Eén of twee zinnen voor de bezoeker: wat vind je hier? Hoogstens 300 tekens."),
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.SUPPORT)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_map",
        verbose_name=_("regio"),
        help_text=_("Leeg: landelijk, in elke regio te gebruiken."),
    )
    municipality = models.ForeignKey(
        Municipality,
        # The municipality only narrows the entry down; if it disappears from CBS's
        # classification the entry stays, for its whole region.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_map",
        verbose_name=_("gemeente"),
        help_text=_("Alleen als de hulp voor één gemeente van de regio is."),
    )
    is_active = models.BooleanField(_("in gebruik"), default=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatst gewijzigd door"),
    )

    # The access policy reads an entry without a region as the national desk's.
    NATIONAL_WITHOUT_REGION = True

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("regel op de sociale kaart")
        verbose_name_plural = _("sociale kaart")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "region"],
                name="social_map_unique_name_per_region",
                violation_error_code="unique",
                violation_error_message=_(
                    "Er staat in deze regio al een regel met deze naam op de sociale kaart."
                ),
            ),
            # NULLs are distinct in a unique index: national entries need their own rule.
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(region__isnull=True),
                name="social_map_unique_national_name",
                violation_error_code="unique",
                violation_error_message=_(
                    "Er staat al een landelijke regel met deze naam op de sociale kaart."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.region_id is None

    def clean(self) -> None:
        super().clean()
        municipality = self.municipality
        if municipality is None:
            return
        if self.region_id is None:
            raise ValidationError(
                {"municipality": _("Een landelijke regel hoort niet bij één gemeente.")}
            )
        if municipality.region_id != self.region_id:
            raise ValidationError(
                {"municipality": _("Deze gemeente hoort niet bij de gekozen regio.")}
            )
