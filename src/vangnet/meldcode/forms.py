"""Forms of the meldcode assistant: they parse input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.contacts.models import Sector, ViolenceForm
from vangnet.regions.models import PartnerOrganisation

from .framework import QUESTIONS
from .models import Consultation, Decision, ParentsInformed
from .signals import signals_for

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The sector a new record starts with, from the kind of organisation.
SECTOR_OF_KIND = {
    PartnerOrganisation.Kind.SCHOOL: Sector.EDUCATION,
    PartnerOrganisation.Kind.CHILDCARE: Sector.CHILDCARE,
    PartnerOrganisation.Kind.HEALTHCARE: Sector.HEALTHCARE,
    PartnerOrganisation.Kind.LOCAL_TEAM: Sector.SOCIAL_SUPPORT,
    PartnerOrganisation.Kind.SAVE_TEAM: Sector.YOUTH_CARE,
    PartnerOrganisation.Kind.POLICE: Sector.POLICE,
}


class RecordForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    pseudonym = forms.CharField(
        label=_("Om wie gaat het (zonder naam)"),
        max_length=80,
        help_text=_("Bijvoorbeeld: leerling groep 5, peuter van 3. Geen naam of geboortedatum."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    concern = forms.CharField(
        label=_("Uw zorg in een paar zinnen"),
        help_text=_("Wat maakt u ongerust? Zonder namen of adressen."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    forms_of_violence = forms.MultipleChoiceField(
        label=_("Waar denkt u aan? (als u dat al weet)"),
        choices=ViolenceForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SignalForm(forms.Form):
    observed_on = forms.DateField(
        label=_("Wanneer zag of hoorde u dit?"), widget=DATE_WIDGET, initial=timezone.localdate
    )
    codes = forms.MultipleChoiceField(
        label=_("Signalen"), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Wat zag of hoorde u? (eigen woorden)"),
        required=False,
        help_text=_("Beschrijf feiten: wat zag, hoorde of rook u, wat zei het kind letterlijk?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, sector: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        signals = signals_for(sector)
        groups: dict[str, list[tuple[str, str]]] = {}
        for signal in signals:
            groups.setdefault(str(signal.group), []).append((signal.code, str(signal.label)))
        self.fields["codes"].choices = list(groups.items())  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field


class ConsultationForm(forms.Form):
    consulted = forms.ChoiceField(
        label=_("Met wie overlegde u?"), choices=Consultation.With.choices
    )
    held_on = forms.DateField(label=_("Wanneer"), widget=DATE_WIDGET, initial=timezone.localdate)
    notes = forms.CharField(label=_("Wat kwam eruit?"), widget=forms.Textarea(attrs={"rows": 4}))


class AdviceRequestForm(forms.Form):
    summary = forms.CharField(
        label=_("Waar wilt u advies over?"),
        help_text=_(
            "Zonder de naam van het kind of het gezin. Veilig Thuis leest alleen dit en uw sector."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    callback_phone = forms.CharField(
        label=_("Op welk nummer kan Veilig Thuis u terugbellen?"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    callback_when = forms.CharField(
        label=_("Wanneer bent u bereikbaar?"),
        required=False,
        max_length=100,
        help_text=_("Bijvoorbeeld: na 15.00 uur, of in de pauze van 12.00 tot 12.30 uur."),
    )
    postcode = forms.CharField(
        label=_("De 4 cijfers van de postcode van het gezin"),
        required=False,
        max_length=10,
        help_text=_(
            "Alleen nodig als het gezin in een andere regio woont dan uw organisatie. Leeg: "
            "Veilig Thuis van uw eigen regio."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    is_urgent = forms.BooleanField(label=_("Het is dringend"), required=False)


class ConversationForm(forms.Form):
    held_on = forms.DateField(label=_("Wanneer"), widget=DATE_WIDGET, initial=timezone.localdate)
    participants = forms.CharField(
        label=_("Wie waren erbij"),
        max_length=200,
        help_text=_("Bijvoorbeeld: moeder, ik en de intern begeleider. Zonder namen."),
    )
    with_second_professional = forms.BooleanField(
        label=_("Ik voerde het gesprek met z'n tweeën"), required=False
    )
    summary = forms.CharField(
        label=_("Wat is er besproken en hoe reageerden zij?"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


YES_NO = [("yes", _("Ja")), ("no", _("Nee"))]


class AnswerForm(forms.Form):
    question = forms.TypedChoiceField(
        choices=[(q.number, q.number) for q in QUESTIONS], coerce=int, widget=forms.HiddenInput
    )
    answer = forms.ChoiceField(label=_("Uw antwoord"), choices=YES_NO, widget=forms.RadioSelect)
    reasoning = forms.CharField(label=_("Waarom?"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Uw besluit"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(
        label=_("Waarom besluit u dit?"), widget=forms.Textarea(attrs={"rows": 4})
    )
    help_plan = forms.CharField(
        label=_("Welke hulp, door wie, en hoe volgt u die?"),
        required=False,
        help_text=_("Nodig als u hulp organiseert."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhoneReportForm(forms.Form):
    parents_informed = forms.ChoiceField(
        label=_("Weten de ouders dat u meldt?"),
        choices=ParentsInformed.choices,
        widget=forms.RadioSelect,
    )
    report_reference = forms.CharField(
        label=_("Kenmerk dat Veilig Thuis u gaf"), required=False, max_length=40
    )


class ReminderForm(forms.Form):
    due_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Waaraan wilt u herinnerd worden?"),
        max_length=200,
        help_text=_("Bijvoorbeeld: nagaan of de hulp werkt (vraag 5)."),
    )


class CompleteAdviceRequestForm(forms.Form):
    summary = forms.CharField(
        label=_("Samenvatting van het gesprek"), widget=forms.Textarea(attrs={"rows": 4})
    )
    advice_given = forms.CharField(
        label=_("Gegeven advies"), widget=forms.Textarea(attrs={"rows": 4})
    )


class OnlineReportForm(forms.Form):
    """The family's details, asked only now: they go with the report, not into the record.

    It shares the page with the phone form and asks the same question about the parents: its
    element ids carry their own prefix, so a label never ticks a radio of the other form.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_online_%s")
        super().__init__(*args, **kwargs)

    child_name = forms.CharField(
        label=_("Naam van het kind"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    child_date_of_birth = forms.DateField(
        label=_("Geboortedatum van het kind"), required=False, widget=DATE_WIDGET
    )
    address = forms.CharField(
        label=_("Adres van het gezin"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    parent_1 = forms.CharField(
        label=_("Naam van een ouder of verzorger"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    parent_2 = forms.CharField(
        label=_("Naam van de andere ouder of verzorger"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    parents_informed = forms.ChoiceField(
        label=_("Weten de ouders dat u meldt?"),
        choices=ParentsInformed.choices,
        widget=forms.RadioSelect,
    )
    anonymous_to_family = forms.BooleanField(
        label=_("Veilig Thuis houdt mijn naam voor het gezin geheim"),
        required=False,
        help_text=_("Veilig Thuis kent u als melder, maar vertelt het gezin niet wie er meldde."),
    )
    is_acute = forms.BooleanField(
        label=_("Het kind is nu in direct gevaar"),
        required=False,
        help_text=_("Bel dan ook meteen: bij direct gevaar 112, anders Veilig Thuis."),
    )
