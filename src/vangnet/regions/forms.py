"""Forms for keeping the social map in the staff workspace.

Plain forms: they check the input; the services check the rules (https only, one name per
region, municipality in the region, who may) and the view puts those errors on the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Region, SocialMapEntry, validate_https

NATIONAL = "landelijk"


class SocialMapEntryForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        help_text=_("Zoals de bezoeker de organisatie kent, bijvoorbeeld “Villa Pinedo”."),
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=SocialMapEntry.Kind.choices)
    url = forms.URLField(
        label=_("Webadres"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Het volledige adres, beginnend met https://."),
        validators=[validate_https],
        widget=forms.URLInput(attrs={"inputmode": "url", "spellcheck": "false"}),
        error_messages={"invalid": _("Vul een volledig webadres in, zoals https://www.fier.nl.")},
    )
    description = forms.CharField(
        label=_("Omschrijving voor de bezoeker"),
        max_length=300,
        required=False,
        help_text=_("Eén of twee zinnen: wat vind je hier? Hoogstens 300 tekens."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )
    region = forms.ModelChoiceField(
        label=_("Regio"),
        queryset=Region.objects.none(),
        error_messages={
            "required": _("Kies de regio waarvoor deze regel geldt."),
            "invalid_choice": _("U houdt de sociale kaart van deze regio niet bij."),
        },
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Hele regio"),
        help_text=_("Alleen als de hulp voor één gemeente van de regio is."),
    )

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region],
        national_allowed: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        region.queryset = regions.order_by("is_national_desk", "name")  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
        # No region means national: a choice only for who keeps the national entries.
        region.required = not national_allowed
        if national_allowed:
            region.empty_label = _("Landelijk (in elke regio)")  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
            region.help_text = _("Landelijk: de chat biedt de regel in elke regio aan.")
        else:
            region.empty_label = _("Kies een regio")  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
        municipality = self.fields["municipality"]
        municipality.queryset = (  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
            Municipality.objects.filter(region__in=regions).select_related("region")
        )
        if len({r.pk for r in regions}) > 1:
            municipality.label_from_instance = (  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
                lambda m: f"{m.name} ({m.region.name})"
            )


class SocialMapFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Regio"), required=False)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {str(r.pk): r for r in regions.order_by("is_national_desk", "name")}
        self.fields["region"].choices = [  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
            ("", _("Alle regels")),
            (NATIONAL, _("Alleen landelijke regels")),
            *((pk, r.name) for pk, r in self.regions.items()),
        ]

    def chosen(self) -> tuple[Region | None, bool]:
        """(the region to show, whether to show only the national entries)."""
        value = self.cleaned_data.get("region", "") if self.is_valid() else ""
        return self.regions.get(value), value == NATIONAL
