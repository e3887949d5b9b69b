from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessLogAction


class AccessLogSearchForm(forms.Form):
    username = forms.CharField(label=_("Gebruiker"), required=False, max_length=150)
    object_type = forms.CharField(
        label=_("Soort gegevens"),
        required=False,
        max_length=100,
        help_text=_("Bijvoorbeeld contacts.contact"),
    )
    object_id = forms.CharField(label=_("Record"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Handeling"),
        required=False,
        choices=[("", _("Alle handelingen")), *AccessLogAction.choices],
    )
    date_from = forms.DateField(
        label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("De begindatum ligt na de einddatum."))
        return data
