"""Contacts: every conversation with Veilig Thuis, by phone, chat, letter or in person.

This is the register's core; advice dossiers and reports build on it.
"""

from __future__ import annotations

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
