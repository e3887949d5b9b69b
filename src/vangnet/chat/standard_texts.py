"""Standard texts: kept by team leads (and functional administrators) like the social map;
inserted in a chat by an employee, who edits them before sending. No personal data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, may, regions_where, require
from vangnet.regions.models import Region

from .models import StandardText

KEEP = Action.MANAGE_SOCIAL_MAP  # the same people keep the social map and the standard texts


def regions_kept_by(by: User) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=regions_where(by, KEEP)).order_by("name")


def may_keep_national(by: User) -> bool:
    return may(by, KEEP, StandardText(region=None))


def texts_to_manage(*, by: User) -> QuerySet[StandardText]:
    """The texts of the regions `by` keeps, and the national ones, active and inactive."""
    require(by, KEEP)
    managed = regions_where(by, KEEP)
    return (
        StandardText.objects.filter(Q(region__in=managed) | Q(region__isnull=True))
        .select_related("region")
        .order_by(F("region__name").asc(nulls_first=True), "title", "pk")
    )


def text_to_edit(*, by: User, text_id: int) -> StandardText:
    text = StandardText.objects.select_related("region").filter(pk=text_id).first()
    if text is None:
        require(by, KEEP)
        raise Http404
    require(by, KEEP, text)
    return text


class StandardTextForm(forms.ModelForm[StandardText]):
    class Meta:
        model = StandardText
        fields = ["title", "body", "region", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "title": {"required": _("Geef de tekst een korte titel.")},
            "body": {"required": _("Schrijf de tekst die in de chat komt.")},
        }

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by = by
        region = self.fields["region"]
        assert isinstance(region, forms.ModelChoiceField)
        region.queryset = regions_kept_by(by)
        region.empty_label = _("Landelijk (elke regio)")
        self.fields["body"].help_text = _(
            "De medewerker kan de tekst aanpassen voor het versturen. Hoogstens 2000 tekens."
        )

    def clean_region(self) -> Region | None:
        region: Region | None = self.cleaned_data.get("region")
        if region is None and not may_keep_national(self.by):
            raise forms.ValidationError(
                _("Landelijke teksten worden bijgehouden door het landelijk loket. Kies uw regio.")
            )
        return region


def save_text(*, form: StandardTextForm, by: User) -> StandardText:
    text = form.save(commit=False)
    require(by, KEEP, text)
    text.updated_at = timezone.now()
    text.save()
    return text
