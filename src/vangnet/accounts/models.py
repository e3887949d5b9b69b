"""Staff and partner users, their roles, and the regions they work in."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Veilig Thuis staff
    ADVICE_DESK = "advice_desk", _("Medewerker advies")
    TRIAGE = "triage", _("Medewerker triage")
    BEHAVIOURAL_SCIENTIST = "behavioural_scientist", _("Gedragswetenschapper")
    INVESTIGATOR = "investigator", _("Onderzoeker")
    MONITORING = "monitoring", _("Medewerker monitoring")
    TEAM_LEAD = "team_lead", _("Teamleider")
    PRIVACY_OFFICER = "privacy_officer", _("Privacyfunctionaris")
    # Reads the access log of every region (a role held at the national desk; never a default).
    NATIONAL_PRIVACY_OFFICER = "national_privacy_officer", _("Landelijk privacyfunctionaris")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functioneel beheerder")
    # Partners
    HELPLINE_VOLUNTEER = "helpline_volunteer", _("Vrijwilliger Kindertelefoon")
    LOCAL_TEAM_MEMBER = "local_team_member", _("Medewerker lokaal team")
    PROFESSIONAL = "professional", _("Professional")
    MELDCODE_CONTACT_PERSON = "meldcode_contact_person", _("Aandachtsfunctionaris")


STAFF_ROLES = frozenset(
    {
        Role.ADVICE_DESK,
        Role.TRIAGE,
        Role.BEHAVIOURAL_SCIENTIST,
        Role.INVESTIGATOR,
        Role.MONITORING,
        Role.TEAM_LEAD,
        Role.PRIVACY_OFFICER,
        Role.NATIONAL_PRIVACY_OFFICER,
        Role.FUNCTIONAL_ADMIN,
    }
)
PARTNER_ROLES = frozenset(
    {
        Role.HELPLINE_VOLUNTEER,
        Role.LOCAL_TEAM_MEMBER,
        Role.PROFESSIONAL,
        Role.MELDCODE_CONTACT_PERSON,
    }
)


class User(AbstractUser):
    """A person who logs in: Veilig Thuis staff or a partner's employee or volunteer.

    Citizens never have an account; the public chat is anonymous.
    """

    # Rotated by "log out everywhere": every session signed with the old stamp stops working.
    security_stamp = models.UUIDField(default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "regions.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisatie"),
    )
    phone_number = models.CharField(_("werktelefoon"), max_length=20, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        indexes = [
            # User management pages by name, by key (accounts.selectors.BY_NAME; ADR 0030).
            models.Index(
                fields=["last_name", "first_name", "username", "id"], name="user_by_name_idx"
            ),
        ]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def get_session_auth_hash(self) -> str:
        key_salt = "vangnet.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.security_stamp}", algorithm="sha256"
        ).hexdigest()

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships.all()}

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user holds a role in a region. One user may hold several roles and regions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("regio"),
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["region__name", "role"]
        verbose_name = _("rol in regio")
        verbose_name_plural = _("rollen in regio's")
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.region}"


class BreakGlassGrant(models.Model):
    """Temporary access to one record outside the user's own regions, with a stated reason.

    Created only by `accounts.services.break_glass`, which also writes the access-log entry.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="break_glass_grants")
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    reason = models.TextField(_("reden"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.object_type}:{self.object_id} until {self.expires_at}"


class PartnerApiToken(models.Model):
    """A partner organisation's key to the REST API. Only a hash is stored; revocable."""

    organisation = models.ForeignKey(
        "regions.PartnerOrganisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisatie"),
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Waar de sleutel voor is."))
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(
        max_length=12, help_text=_("Het begin van de sleutel, om hem te herkennen.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organisation_id})"


class RoleGrantRequest(models.Model):
    """A role that waits for a second functional administrator (four eyes).

    A role that can reveal a reporter's identity is not given by one administrator alone:
    the grant waits here, and until another administrator of the region approves it the
    membership does not exist. Made and decided only by `accounts.services`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Afgewezen")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grant_requests")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("regio")
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("aangevraagde rol")
        verbose_name_plural = _("aangevraagde rollen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "role"],
                condition=models.Q(status="pending"),
                name="role_grant_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.region}"
