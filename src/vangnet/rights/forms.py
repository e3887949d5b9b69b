"""Forms of the requests of the people involved. Dutch labels; the services validate the law."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.contacts.models import AdviceDossier, Contact, DossierPerson
from vangnet.contacts.services import (
    CORRECTABLE_CONTACT_FIELDS,
    CORRECTABLE_DOSSIER_PERSON_FIELDS,
)
from vangnet.reports.models import Report, ReportPerson
from vangnet.reports.services import CORRECTABLE_PERSON_FIELDS, CORRECTABLE_REPORT_FIELDS

from .models import RefusalGround, Requester, RequestKind


class FindReportForm(forms.Form):
    reference = forms.CharField(
        label=_("Kenmerk van de melding of het adviesdossier"),
        max_length=20,
        help_text=_("Bijvoorbeeld ME-2026-1A2B3C of AD-2026-1A2B3C."),
        error_messages={"required": _("Vul het kenmerk van de melding of het adviesdossier in.")},
    )


def person_label(person: ReportPerson | DossierPerson) -> str:
    name = person.name or "—"
    if isinstance(person, DossierPerson):
        return f"{name} ({person.get_relation_display()})"
    return f"{name} ({person.get_role_display()})"


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Wat wordt gevraagd?"), choices=RequestKind.choices)
    person = forms.TypedChoiceField(label=_("Voor wie?"), coerce=int)
    requester = forms.ChoiceField(label=_("Wie vraagt het?"), choices=Requester.choices)
    requester_name = forms.CharField(label=_("Naam van wie vraagt"), max_length=200)
    received_on = forms.DateField(
        label=_("Ontvangen op"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    child_consulted = forms.CharField(
        label=_("Wat vindt het kind ervan? (kind van 12 tot 16 jaar)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Een kind ouder dan 12 wordt eerst zelf gehoord; schrijf op wat het zei."),
    )
    details = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, persons: list[ReportPerson] | list[DossierPerson], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [(p.pk, person_label(p)) for p in persons]
        self.fields["received_on"].initial = timezone.localdate()


def _verbose(model: type[Any], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def correction_choices(report: Report) -> list[tuple[str, str]]:
    choices = [(name, _verbose(Report, name).capitalize()) for name in CORRECTABLE_REPORT_FIELDS]
    choices += [
        (
            f"person.{name}",
            str(_("Van de betrokkene: %(field)s")) % {"field": _verbose(ReportPerson, name)},
        )
        for name in CORRECTABLE_PERSON_FIELDS
    ]
    return choices


def dossier_correction_choices(dossier: AdviceDossier) -> list[tuple[str, str]]:
    """The person's own details, and each text of each contact in the dossier."""
    choices = [
        (
            f"person.{name}",
            str(_("Van de betrokkene: %(field)s")) % {"field": _verbose(DossierPerson, name)},
        )
        for name in CORRECTABLE_DOSSIER_PERSON_FIELDS
    ]
    for contact in dossier.contacts.order_by("received_at", "pk"):
        day = timezone.localtime(contact.received_at).strftime("%d-%m-%Y")
        choices += [
            (
                f"contact.{contact.pk}.{name}",
                str(_("Contact van %(day)s: %(field)s"))
                % {"day": day, "field": _verbose(Contact, name)},
            )
            for name in CORRECTABLE_CONTACT_FIELDS
        ]
    return choices


class CorrectionForm(forms.Form):
    field_name = forms.ChoiceField(label=_("Wat wordt gecorrigeerd?"))
    new_text = forms.CharField(
        label=_("De juiste tekst"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )

    def __init__(
        self,
        *args: Any,
        report: Report | None,
        dossier: AdviceDossier | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_name = self.fields["field_name"]
        assert isinstance(field_name, forms.ChoiceField)
        if dossier is not None:
            field_name.choices = dossier_correction_choices(dossier)
        else:
            field_name.choices = correction_choices(report) if report else []


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Eigen verklaring van de betrokkene"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
    )


class DecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Besluit"),
        choices=[("1", _("Inwilligen")), ("0", _("Weigeren"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(
        label=_("Grond bij weigeren"),
        choices=[("", "—"), *RefusalGround.choices],
        required=False,
    )
    grounds_text = forms.CharField(
        label=_("Onderbouwing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ExtendForm(forms.Form):
    because = forms.CharField(label=_("Reden van de verlenging"), max_length=1000)


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van de bewaarplicht"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld de rechtszaak of de maatregel waarvoor dit bewaard blijft."),
        error_messages={"required": _("Geef de reden (bijvoorbeeld de rechtszaak).")},
    )


class LiftForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("Reden van opheffen"),
        max_length=1000,
        error_messages={"required": _("Geef de reden waarom de bewaarplicht vervalt.")},
    )


class MeldcodeTermForm(forms.Form):
    years = forms.IntegerField(
        label=_("Meldcodedossiers bewaren (jaren na afsluiten)"),
        error_messages={
            "required": _("Vul het aantal jaren in."),
            "invalid": _("Vul een heel aantal jaren in."),
        },
    )
