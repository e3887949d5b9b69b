"""Forms of the reports register. They parse input; the rules live in services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.contacts.models import Channel, Sector, ViolenceForm
from vangnet.errors import show_on_form
from vangnet.regions.models import PartnerOrganisation, Region

from .models import PersonRole
from .services import (
    TRANSFER_KINDS,
    ConditionDetails,
    PersonDetails,
    ReporterDetails,
    ReportError,
)
from .workflow import ReportState, TriageOutcome

# A report never comes in through the chat (DOMAIN.md).
REPORT_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.CHAT]
DATE_INPUT = {
    "input_formats": ["%Y-%m-%d", "%d-%m-%Y"],
    "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    "error_messages": {"invalid": _("Vul een geldige datum in, bijvoorbeeld 14-03-2015.")},
}


class ReportForm(forms.Form):
    """A report by phone: the reporter, the concerns; the persons come in a formset."""

    channel = forms.ChoiceField(
        label=_("Kanaal"), choices=REPORT_CHANNELS, initial=Channel.PHONE, widget=forms.RadioSelect
    )
    is_acute = forms.BooleanField(
        label=_("Acuut: het kind of de volwassene is nu in direct gevaar"),
        required=False,
        help_text=_("Acute meldingen worden binnen 24 uur opgepakt."),
    )
    reporter_is_professional = forms.BooleanField(
        label=_("De melder is een professional"), required=False, initial=True
    )
    reporter_name = forms.CharField(
        label=_("Naam melder"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de melder in: een melding vraagt die.")},
    )
    reporter_organisation = forms.CharField(
        label=_("Organisatie"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld de school of de huisartsenpraktijk."),
    )
    reporter_sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("— geen —")), *Sector.choices], required=False
    )
    reporter_phone = forms.CharField(
        label=_("Telefoon melder"),
        max_length=20,
        required=False,
        help_text=_("Telefoon of e-mail is nodig om de melder te bereiken."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    reporter_email = forms.EmailField(
        label=_("E-mail melder"),
        required=False,
        help_text=_("Voor de terugkoppeling: de melder krijgt een persoonlijke statuslink."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
    )
    reporter_anonymous_to_family = forms.BooleanField(
        label=_("De melder wil niet dat het gezin weet wie meldde"), required=False
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
    concerns = forms.CharField(
        label=_("Zorgen"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Beschrijf de zorgen van de melder.")},
    )
    signals = forms.CharField(
        label=_("Signalen"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat de melder zag of hoorde, zo feitelijk mogelijk."),
    )
    actions_taken = forms.CharField(
        label=_("Wat de melder al deed (meldcode)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: gesprek met ouders, collega en Veilig Thuis geraadpleegd."),
    )

    def reporter(self) -> ReporterDetails:
        data = self.cleaned_data
        return ReporterDetails(
            name=data["reporter_name"],
            is_professional=data["reporter_is_professional"],
            organisation=data["reporter_organisation"],
            sector=data["reporter_sector"],
            phone=data["reporter_phone"],
            email=data["reporter_email"],
            anonymous_to_family=data["reporter_anonymous_to_family"],
        )


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=PersonRole.choices)
    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Geboortedatum"), required=False, **DATE_INPUT)  # type: ignore[arg-type]  # DATE_INPUT holds widget keywords
    bsn = forms.CharField(
        label=_("Burgerservicenummer"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Adres"), max_length=300, required=False)
    is_victim = forms.BooleanField(label=_("Slachtoffer"), required=False)
    is_alleged_perpetrator = forms.BooleanField(label=_("Vermoedelijk pleger"), required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (
            data.get("name") or data.get("date_of_birth") or data.get("bsn") or data.get("address")
        )

    def person(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            role=data["role"],
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            bsn=data["bsn"],
            address=data["address"],
            is_victim=data["is_victim"],
            is_alleged_perpetrator=data["is_alleged_perpetrator"],
        )


PersonFormSet = forms.formset_factory(PersonForm, extra=2, min_num=1, max_num=12)


def show_report_errors(form: forms.Form, persons: Any, error: ReportError) -> None:
    """Put a refused receipt's messages at their fields: `persons-N-field` at that field of
    the N-th person's form in the formset, the rest on `form` (show_on_form)."""
    rest: dict[str, list[str]] = {}
    for name, messages in error.errors.items():
        person_form, field = _person_field(persons, name)
        if person_form is None:
            rest[name] = messages
            continue
        for message in messages:
            person_form.add_error(field, message)
    if rest or not error.errors:
        show_on_form(form, ReportError(str(error) if not error.errors else "", errors=rest))


def _person_field(persons: Any, name: str) -> tuple[forms.Form | None, str]:
    if not name.startswith("persons-"):
        return None, name
    _prefix, index, field = name.split("-", 2)
    if int(index) < len(persons.forms) and field in persons.forms[int(index)].fields:
        return persons.forms[int(index)], field
    return None, name


class AssessmentForm(forms.Form):
    acute_unsafety = forms.BooleanField(label=_("Acute onveiligheid"), required=False)
    structural_unsafety = forms.BooleanField(label=_("Structurele onveiligheid"), required=False)
    assessment = forms.CharField(
        label=_("Veiligheidsbeoordeling"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )
    immediate_action = forms.CharField(
        label=_("Direct genomen maatregelen"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht bij acute onveiligheid."),
    )


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Triagebesluit"), choices=TriageOutcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Onderbouwing"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusie"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4})
    )


class TransferForm(forms.Form):
    to_team = forms.ModelChoiceField(
        label=_("Ontvangend team"), queryset=PartnerOrganisation.objects.none()
    )
    summary = forms.CharField(
        label=_("Wat het team moet weten"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen wat het team nodig heeft. Nooit wie de melder is."),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = PartnerOrganisation.objects.filter(  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
            region=region, kind__in=TRANSFER_KINDS
        )


class ConditionForm(forms.Form):
    description = forms.CharField(
        label=_("Veiligheidsvoorwaarde"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wat bereikt moet worden, als zichtbaar gedrag."),
    )
    responsible = forms.CharField(label=_("Wie is verantwoordelijk"), max_length=200)
    due_on = forms.DateField(label=_("Uiterlijk"), **DATE_INPUT)  # type: ignore[arg-type]  # DATE_INPUT holds widget keywords

    def condition(self) -> ConditionDetails:
        data = self.cleaned_data
        return ConditionDetails(
            description=data["description"], responsible=data["responsible"], due_on=data["due_on"]
        )


class PlanForm(forms.Form):
    first = forms.DateField(label=_("Eerste moment"), **DATE_INPUT)  # type: ignore[arg-type]  # DATE_INPUT holds widget keywords
    second = forms.DateField(label=_("Tweede moment"), required=False, **DATE_INPUT)  # type: ignore[arg-type]  # DATE_INPUT holds widget keywords
    third = forms.DateField(label=_("Derde moment"), required=False, **DATE_INPUT)  # type: ignore[arg-type]  # DATE_INPUT holds widget keywords

    def dates(self) -> list[date]:
        return [d for d in (self.cleaned_data.get(n) for n in ("first", "second", "third")) if d]


class MonitoringForm(forms.Form):
    moment = forms.IntegerField(widget=forms.HiddenInput)
    conditions_met = forms.TypedChoiceField(
        label=_("Worden de voorwaarden nageleefd?"),
        choices=[("1", _("Ja")), ("0", _("Nee — terug naar triage"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Bevindingen met gezin en hulpverleners"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IdentityForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom heeft u de gegevens van de melder nodig?"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Geef de reden: die komt in het toegangslog.")},
    )


class StatusLinkForm(forms.Form):
    identified_how = forms.CharField(
        label=_("Hoe heeft de melder zich geïdentificeerd?"),
        max_length=300,
        help_text=_("Bijvoorbeeld: teruggebeld op het telefoonnummer dat bij de melding staat."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Schrijf op hoe u zeker weet dat u de melder spreekt.")},
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Alleen over de termijn"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["state"].choices = [  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
            ("", _("Alle")),
            ("open", _("Alle open meldingen")),
            *ReportState.choices,
        ]


class OwnerForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Nieuwe behandelaar"), coerce=int)

    def __init__(self, *args: Any, colleagues: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = {user.pk: user for user in colleagues}
        self.fields["owner"].choices = [(u.pk, u.display_name) for u in colleagues]  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field

    def clean_owner(self) -> Any:
        return self.colleagues[self.cleaned_data["owner"]]


class LegalHoldForm(forms.Form):
    legal_hold = forms.BooleanField(
        label=_("Niet vernietigen na de bewaartermijn"),
        required=False,
        help_text=_("Bijvoorbeeld zolang een kinderbeschermingsmaatregel het dossier nodig heeft."),
    )
    reason = forms.CharField(label=_("Reden"), max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Notitie"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld een gesprek met het gezin of een hulpverlener."),
        error_messages={"required": _("Schrijf op wat u wilt vastleggen.")},
    )
