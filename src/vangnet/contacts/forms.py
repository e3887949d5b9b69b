"""Forms of the contact register. They parse input; the rules live in services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import User
from vangnet.errors import show_on_form
from vangnet.regions.models import Region

from .models import (
    CONTACT_TEXT_LIMITS,
    AdviceDossier,
    AskerType,
    Channel,
    PersonRelation,
    Sector,
    ViolenceForm,
)
from .services import ContactDetails, ContactError, PersonDetails

# The channels an employee registers by hand; a chat registers itself when it is closed.
MANUAL_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.CHAT]


def _now_for_input() -> str:
    return timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")


class ContactForm(forms.Form):
    """The desk's form: a typical advice call in under a minute, top to bottom by keyboard."""

    channel = forms.ChoiceField(
        label=_("Kanaal"),
        choices=MANUAL_CHANNELS,
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe het contact binnenkwam.")},
    )
    asker_type = forms.ChoiceField(
        label=_("Wie neemt contact op?"),
        choices=[("", _("— kies —")), *AskerType.choices],
        error_messages={"required": _("Kies wie er contact opnam.")},
    )
    asker_sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", _("— geen —")), *Sector.choices],
        required=False,
        help_text=_("Verplicht als een professional of ketenpartner belt."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anoniem"),
        required=False,
        initial=True,
        help_text=_(
            "De vrager noemt geen naam. Uitvinken om naam en terugbelnummer vast te leggen."
        ),
    )
    asker_name = forms.CharField(label=_("Naam vrager"), required=False, max_length=200)
    asker_organisation = forms.CharField(
        label=_("Organisatie vrager"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld de school of de huisartsenpraktijk."),
    )
    asker_phone = forms.CharField(
        label=_("Terugbelnummer"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    forms_of_violence = forms.MultipleChoiceField(
        label=_("Vormen van geweld"),
        choices=ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _(
                "Kies minstens één vorm van geweld; twijfelt u, kies 'Anders of nog onduidelijk'."
            )
        },
    )
    question = forms.CharField(
        label=_("Vraag of verhaal"),
        max_length=CONTACT_TEXT_LIMITS["question"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zonder namen als het dossier anoniem blijft."),
        error_messages={"required": _("Beschrijf kort de vraag of het verhaal.")},
    )
    advice_given = forms.CharField(
        label=_("Gegeven advies"),
        max_length=CONTACT_TEXT_LIMITS["advice_given"],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beschrijf het gegeven advies.")},
    )
    referral = forms.CharField(
        label=_("Verwezen naar"),
        required=False,
        max_length=CONTACT_TEXT_LIMITS["referral"],
        help_text=_("Bijvoorbeeld het lokale team, de huisarts of Villa Pinedo."),
    )
    agreements = forms.CharField(
        label=_("Afgesproken vervolg"),
        required=False,
        max_length=CONTACT_TEXT_LIMITS["agreements"],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: mentor belt terug na het gesprek met moeder."),
    )
    advised_to_report = forms.BooleanField(
        label=_("Uitgelegd hoe een melding te doen"), required=False
    )
    received_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Vul datum en tijd in, bijvoorbeeld 03-12-2026 14:30.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duur in minuten"),
        required=False,
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Vul de duur in hele minuten in."),
            "min_value": _("De duur is tussen 1 en 600 minuten."),
            "max_value": _("De duur is tussen 1 en 600 minuten."),
        },
    )
    dossier_reference = forms.CharField(
        label=_("Hoort bij adviesdossier"),
        required=False,
        max_length=20,
        help_text=_("Kenmerk, bijvoorbeeld AD-2026-1A2B3C. Leeg: er komt een nieuw dossier."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    title = forms.CharField(
        label=_("Onderwerp van een nieuw dossier"),
        required=False,
        max_length=120,
        help_text=_("Kort en zonder namen, bijvoorbeeld: zorgen om leerling groep 7."),
    )

    field_order = [
        "channel",
        "asker_type",
        "asker_sector",
        "is_anonymous",
        "asker_name",
        "asker_organisation",
        "asker_phone",
        "forms_of_violence",
        "question",
        "advice_given",
        "referral",
        "agreements",
        "advised_to_report",
        "received_at",
        "duration_minutes",
        "dossier_reference",
        "title",
    ]

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        self.dossier: AdviceDossier | None = None
        self.fields["received_at"].initial = _now_for_input
        self.fields["asker_type"].widget.attrs["autofocus"] = True

    def clean_dossier_reference(self) -> str:
        reference: str = self.cleaned_data["dossier_reference"].strip().upper()
        if not reference:
            return ""
        try:
            self.dossier = AdviceDossier.objects.get(reference=reference, region=self.region)
        except AdviceDossier.DoesNotExist as exc:
            raise forms.ValidationError(
                _("Er is geen adviesdossier %(reference)s in deze regio.")
                % {"reference": reference}
            ) from exc
        return reference

    def details(self) -> ContactDetails:
        data = self.cleaned_data
        received_at: datetime = data["received_at"]
        return ContactDetails(
            channel=data["channel"],
            asker_type=data["asker_type"],
            asker_sector=data["asker_sector"],
            is_anonymous=data["is_anonymous"],
            asker_name=data["asker_name"],
            asker_organisation=data["asker_organisation"],
            asker_phone=data["asker_phone"],
            forms_of_violence=data["forms_of_violence"],
            question=data["question"],
            advice_given=data["advice_given"],
            referral=data["referral"],
            agreements=data["agreements"],
            advised_to_report=data["advised_to_report"],
            received_at=received_at,
            duration_minutes=data["duration_minutes"],
        )

    def show(self, error: ContactError) -> None:
        """Put a refused registration's messages at their fields."""
        show_on_form(self, error, field_names=SERVICE_FIELD_TO_FORM_FIELD)


# The service's name of a field where the form's differs.
SERVICE_FIELD_TO_FORM_FIELD = {"summary": "question"}


class PersonForm(forms.Form):
    """One person a named dossier is about."""

    relation = forms.ChoiceField(
        label=_("Wie is het"), choices=PersonRelation.choices, initial=PersonRelation.CHILD
    )
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de persoon in.")},
    )
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 14-03-2015.")},
    )
    address = forms.CharField(label=_("Adres"), required=False, max_length=300)

    def person(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            relation=data["relation"],
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            address=data["address"],
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class OwnerForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Nieuwe eigenaar"), coerce=int)

    def __init__(self, *args: Any, colleagues: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = {user.pk: user for user in colleagues}
        self.fields["owner"].choices = [(user.pk, user.display_name) for user in colleagues]  # type: ignore[attr-defined]  # TypedChoiceField has choices

    def clean_owner(self) -> User:
        return self.colleagues[self.cleaned_data["owner"]]


class SearchForm(forms.Form):
    """Find an advice dossier. Sent by POST: names and dates of birth never go in a URL."""

    reference = forms.CharField(
        label=_("Kenmerk of continuïteitscode"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    person_name = forms.CharField(
        label=_("Naam van een persoon"),
        required=False,
        max_length=200,
        help_text=_("Alleen benoemde dossiers hebben namen."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Geboortedatum"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 14-03-2015.")},
    )
    date_from = forms.DateField(
        label=_("Contact vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    date_to = forms.DateField(
        label=_("Contact tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    region = forms.ModelChoiceField(
        label=_("Regio"), required=False, queryset=Region.objects.none(), empty_label=_("Alle")
    )
    employee = forms.ModelChoiceField(
        label=_("Medewerker"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Iedereen"),
        help_text=_("Eigenaar van het dossier of wie een contact registreerde."),
    )

    def __init__(self, *args: Any, regions: Any, employees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
        self.fields["employee"].queryset = employees  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
        self.fields["employee"].label_from_instance = lambda user: user.display_name  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        criteria = ("reference", "person_name", "date_of_birth", "date_from", "date_to")
        if not self.errors and not any(data.get(name) for name in (*criteria, "employee")):
            raise forms.ValidationError(
                _(
                    "Vul minstens één zoekgegeven in: kenmerk, code, naam, geboortedatum, "
                    "datum of medewerker."
                )
            )
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        name = (data.get("person_name") or "").strip()
        if name and len(name) < 2:
            self.add_error("person_name", _("Vul minstens twee letters van de naam in."))
        return data
