"""Forms of the login pages and of user management."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from vangnet.regions.models import PartnerOrganisation, Region

from .models import PARTNER_ROLES, STAFF_ROLES, Role, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Gebruikersnaam of wachtwoord klopt niet. Na herhaalde fouten wordt het account "
            "tijdelijk geblokkeerd."
        ),
        "inactive": _(
            "Dit account is uitgeschakeld. Neem contact op met uw functioneel beheerder."
        ),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
        error_messages={
            "required": _("Vul de code van 6 cijfers in."),
            "min_length": _("De code heeft 6 cijfers."),
            "max_length": _("De code heeft 6 cijfers."),
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("De code bestaat alleen uit cijfers."))
        return token


# --- User management -------------------------------------------------------------------


def _role_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    staff = [(value, label) for value, label in Role.choices if value in STAFF_ROLES]
    partners = [(value, label) for value, label in Role.choices if value in PARTNER_ROLES]
    return [(_("Veilig Thuis"), staff), (_("Partners"), partners)]


class UserDetailsForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(
        label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    phone_number = forms.CharField(
        label=_("Werktelefoon"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Partnerorganisatie"),
        queryset=PartnerOrganisation.objects.none(),
        required=False,
        empty_label=_("Geen (medewerker van Veilig Thuis)"),
        help_text=_("Alleen voor medewerkers en vrijwilligers van een partner."),
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[PartnerOrganisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field


class NewPasswordForm(forms.Form):
    """Either Vangnet makes a strong password (shown once) or the administrator types one."""

    GENERATE = "generate"
    TYPE = "type"

    password_mode = forms.ChoiceField(
        label=_("Wachtwoord"),
        choices=[
            (GENERATE, _("Laat Vangnet een sterk wachtwoord maken (wordt één keer getoond)")),
            (TYPE, _("Ik typ zelf een wachtwoord")),
        ],
        initial=GENERATE,
        widget=forms.RadioSelect,
    )
    password1 = forms.CharField(
        label=_("Nieuw wachtwoord"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(
            lambda: " ".join(password_validation.password_validators_help_texts()), str
        )(),
    )
    password2 = forms.CharField(
        label=_("Herhaal het wachtwoord"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User | None:
        """The account the password is for, so the validators can compare with its name."""
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password_mode") != self.TYPE:
            return data
        first, second = data.get("password1", ""), data.get("password2", "")
        if not first:
            self.add_error("password1", _("Typ het wachtwoord, of laat Vangnet er een maken."))
        elif first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        else:
            try:
                password_validation.validate_password(first, user=self.password_user())
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

    @property
    def generated(self) -> bool:
        return self.cleaned_data["password_mode"] != self.TYPE

    def chosen_password(self, generate: Callable[[], str]) -> str:
        return generate() if self.generated else self.cleaned_data["password1"]


class UserCreateForm(UserDetailsForm, NewPasswordForm):
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_(
            "Letters, cijfers en @ . + - _. Staat in het toegangslog en kan later niet "
            "worden gewijzigd."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    region = forms.ModelChoiceField(
        label=_("Regio"), queryset=Region.objects.none(), empty_label=_("Kies een regio")
    )
    roles = forms.MultipleChoiceField(
        label=_("Rollen in deze regio"),
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één rol.")},
    )

    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "phone_number",
        "organisation",
        "region",
        "roles",
        "password_mode",
        "password1",
        "password2",
    ]

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]

    def password_user(self) -> User:
        data = self.cleaned_data
        return User(
            username=data.get("username", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
        )


class SetPasswordForm(NewPasswordForm):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def password_user(self) -> User:
        return self.user


class MembershipForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Regio"), queryset=Region.objects.none(), empty_label=_("Kies een regio")
    )
    role = forms.ChoiceField(label=_("Rol"), choices=_role_choices)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # Form.fields is typed as Field; this one is a choice field
        if len(regions) == 1:
            self.fields["region"].initial = regions[0]


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek op naam of gebruikersnaam"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
