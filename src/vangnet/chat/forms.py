"""Forms of the chat: the visitor's intake, the employee's closing registration and
forwarding, the desk."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vangnet.contacts.models import CONTACT_TEXT_LIMITS, AskerType, ViolenceForm
from vangnet.regions.models import Region
from vangnet.regions.selectors import InvalidPostcode, normalise_pc4

from .models import ChatDesk, Gender
from .services import ClosingRegistration

# A nickname is anything the visitor likes, but never a way to find them.
_LOOKS_LIKE_CONTACT_DETAILS = re.compile(r"@|\d{6,}|(?:\+|00)\d{2}")


class IntakeForm(forms.Form):
    nickname = forms.CharField(
        label=_("Hoe mogen we je noemen?"),
        required=False,
        max_length=40,
        help_text=_("Een verzonnen naam is ook goed."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    age = forms.IntegerField(
        label=_("Leeftijd"),
        required=False,
        min_value=6,
        max_value=110,
        error_messages={
            "min_value": _("Vul een leeftijd in vanaf 6 jaar."),
            "max_value": _("Vul een leeftijd in tot 110 jaar."),
            "invalid": _("Vul je leeftijd in met cijfers, bijvoorbeeld 14."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    gender = forms.ChoiceField(label=_("Ik ben een"), required=False, choices=Gender.choices)
    postcode = forms.CharField(
        label=_("De 4 cijfers van je postcode"),
        required=False,
        max_length=10,
        help_text=_(
            "Zo kom je bij Veilig Thuis in je eigen regio. Alleen de cijfers, bijvoorbeeld 3511."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    postcode_unknown = forms.BooleanField(label=_("Ik weet mijn postcode niet"), required=False)
    code = forms.CharField(
        label=_("Heb je een code gekregen?"),
        required=False,
        max_length=20,
        help_text=_(
            "Van een medewerker van Veilig Thuis, of van de Kindertelefoon. Dan hoef je je "
            "postcode niet in te vullen."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_nickname(self) -> str:
        nickname: str = self.cleaned_data["nickname"].strip()
        if _LOOKS_LIKE_CONTACT_DETAILS.search(nickname):
            raise forms.ValidationError(
                _("Vul geen e-mailadres of telefoonnummer in. Een roepnaam is genoeg.")
            )
        return nickname

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("code") or "").strip():
            data["postcode"] = None
            return data
        if data.get("postcode_unknown"):
            data["postcode"] = None
            return data
        raw = data.get("postcode", "")
        if "postcode" in self.errors:
            return data
        try:
            data["postcode"] = normalise_pc4(raw)
        except InvalidPostcode as error:
            self.add_error("postcode", str(error))
        return data


class OutcomeForm(forms.Form):
    asker_type = forms.ChoiceField(label=_("Wie chatte er?"), choices=AskerType.choices)
    forms_of_violence = forms.MultipleChoiceField(
        label=_("Onderwerp(en)"),
        choices=ViolenceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één onderwerp.")},
    )
    question = forms.CharField(
        label=_("Vraag of zorg"),
        max_length=CONTACT_TEXT_LIMITS["question"],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beschrijf kort waar de chat over ging.")},
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
        help_text=_("Bijvoorbeeld het lokale team of Villa Pinedo."),
    )
    participants = forms.CharField(
        label=_("Wie deden mee"),
        required=False,
        max_length=CONTACT_TEXT_LIMITS["participants"],
        help_text=_(
            "Bijvoorbeeld: jongen, vrijwilliger Kindertelefoon; of: jongen en zijn mentor."
        ),
    )
    agreements = forms.CharField(
        label=_("Afspraken"),
        required=False,
        max_length=CONTACT_TEXT_LIMITS["agreements"],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: gesprek op school met mentor en moeder."),
    )
    advised_to_report = forms.BooleanField(
        label=_("Uitgelegd hoe een melding te doen"),
        required=False,
        help_text=_("Via de chat kan geen melding worden gedaan; dat gaat telefonisch."),
    )

    def registration(self) -> ClosingRegistration:
        """What was registered, for `close_chat` or a phone handover (after is_valid)."""
        data = self.cleaned_data
        return ClosingRegistration(
            asker_type=data["asker_type"],
            forms_of_violence=data["forms_of_violence"],
            question=data["question"],
            advice_given=data["advice_given"],
            referral=data["referral"],
            advised_to_report=data["advised_to_report"],
            participants=data["participants"],
            agreements=data["agreements"],
        )


class ForwardForm(forms.Form):
    to_user = forms.TypedChoiceField(
        label=_("Naar collega"), required=False, coerce=int, empty_value=None
    )
    to_region = forms.ModelChoiceField(
        label=_("Of naar regio"), required=False, queryset=Region.objects.all(), empty_label=_("—")
    )
    note = forms.CharField(
        label=_("Notitie voor de collega"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen voor medewerkers; de bezoeker ziet dit niet."),
    )

    def __init__(self, *args: Any, colleagues: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        to_user = self.fields["to_user"]
        assert isinstance(to_user, forms.TypedChoiceField)
        to_user.choices = [("", _("—")), *colleagues]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and (data.get("to_user") is None) == (data.get("to_region") is None):
            raise forms.ValidationError(_("Kies een collega óf een regio."))
        return data


class DeskForm(forms.ModelForm):
    class Meta:
        model = ChatDesk
        fields = [
            "is_open",
            "overflow_to_national_desk",
            "overflow_after_seconds",
            "return_after_seconds",
            "offer_automatically",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, the desk keeps its current time (older forms did not ask it).
        self.fields["return_after_seconds"].required = False

    def clean_return_after_seconds(self) -> int:
        value = self.cleaned_data.get("return_after_seconds")
        return value if value is not None else self.instance.return_after_seconds


class HandoverForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Hoe praat je met het kind?"),
        choices=[("chat", _("Chat")), ("phone", _("Telefoon"))],
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("Het kind wil dat Veilig Thuis aansluit"),
        error_messages={
            "required": _("Zonder toestemming van het kind wordt Veilig Thuis niet toegevoegd.")
        },
    )
    summary_by = forms.ChoiceField(
        label=_("Wie geeft de samenvatting?"),
        choices=[("volunteer", _("Ik, de vrijwilliger")), ("child", _("Het kind zelf"))],
        widget=forms.RadioSelect,
    )
    volunteer_stays = forms.TypedChoiceField(
        label=_("Blijf jij in het gesprek?"),
        choices=[
            ("0", _("Nee, ik ga eruit na de overdracht")),
            ("1", _("Ja, zoals afgesproken met het kind")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    child_anonymous = forms.TypedChoiceField(
        label=_("Blijft het kind anoniem?"),
        choices=[("1", _("Ja")), ("0", _("Nee, het kind noemt zelf zijn naam"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    summary = forms.CharField(
        label=_("Korte samenvatting"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Zodat het kind zijn verhaal niet opnieuw hoeft te doen. Geen namen."),
        error_messages={"required": _("Schrijf een korte samenvatting.")},
    )
    is_urgent = forms.BooleanField(
        label=_("Met voorrang (het kind is nu in gevaar of erg angstig)"), required=False
    )
    nickname = forms.CharField(label=_("Roepnaam van het kind"), required=False, max_length=40)
    age = forms.IntegerField(label=_("Leeftijd"), required=False, min_value=6, max_value=25)
    postcode = forms.CharField(
        label=_("Postcode (4 cijfers), als het kind die noemde"), required=False, max_length=10
    )
