"""User management in the staff workspace, for functional administrators.

Thin adapters: each view reads the request, asks a selector or calls one service from
`services.py` (which checks the policy and writes the access log), and renders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.audit.context import AuditContext
from vangnet.errors import show_on_form

from . import selectors, services
from .forms import MembershipForm, SetPasswordForm, UserCreateForm, UserDetailsForm, UserSearchForm
from .models import Membership, Role, RoleGrantRequest, User
from .policy import FOUR_EYES_ROLES, Action, regions_where, require
from .services import AccountError

# A service names the password "password"; the forms ask it as password1 and password2.
SERVICE_FIELD_TO_FORM_FIELD = {"password": "password1"}


def _administrator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the middleware lets only verified users through
    return user


def _account(request: HttpRequest, user_id: int) -> User:
    try:
        return selectors.user_to_manage(
            by=_administrator(request), user_id=user_id, audit=AuditContext.from_request(request)
        )
    except User.DoesNotExist as exc:
        raise Http404 from exc


def _show_password_once(
    request: HttpRequest, account: User, password: str, *, created: bool
) -> HttpResponse:
    # Rendered in the answer to the POST itself: the password is stored nowhere in clear text.
    return render(
        request,
        "accounts/users/password_shown.html",
        {"account": account, "password": password, "created": created},
    )


@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    by = _administrator(request)
    form = UserSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page_obj = selectors.managed_user_page(
        by=by, query=query, params=request.GET, audit=AuditContext.from_request(request)
    )
    return render(
        request,
        "accounts/users/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query": query,
            "query_prefix": f"{urlencode({'q': query})}&" if query else "",
            "regions": selectors.managed_regions(by=by),
            "pending_grants": selectors.pending_role_grants(
                by=by, audit=AuditContext.from_request(request)
            ),
        },
    )


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    by = _administrator(request)
    require(by, Action.MANAGE_USERS)
    form = UserCreateForm(
        request.POST or None,
        regions=selectors.managed_regions(by=by),
        organisations=selectors.assignable_organisations(by=by),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = form.chosen_password(services.generate_password)
        try:
            account = services.create_user(
                by=by,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone_number=data["phone_number"],
                organisation=data["organisation"],
                region=data["region"],
                roles=data["roles"],
                password=password,
                audit=AuditContext.from_request(request),
            )
        except ValidationError as exc:
            show_on_form(form, exc, field_names=SERVICE_FIELD_TO_FORM_FIELD)
        else:
            messages.success(
                request, _("Gebruiker %(name)s is aangemaakt.") % {"name": account.display_name}
            )
            if form.generated:
                return _show_password_once(request, account, password, created=True)
            return redirect("accounts:user_detail", user_id=account.pk)
    return render(request, "accounts/users/create.html", {"form": form})


@require_GET
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    by = _administrator(request)
    try:
        account = selectors.user_detail(
            by=by, user_id=user_id, audit=AuditContext.from_request(request)
        )
    except User.DoesNotExist as exc:
        raise Http404 from exc
    managed = regions_where(by, Action.MANAGE_USERS)
    return render(
        request,
        "accounts/users/detail.html",
        {
            "account": account,
            "memberships": [(m, m.region_id in managed) for m in account.memberships.all()],
            "membership_form": MembershipForm(regions=selectors.managed_regions(by=by)),
            "pending_grants": selectors.pending_role_grants(
                by=by, user=account, audit=AuditContext.from_request(request)
            ),
            "is_self": account.pk == by.pk,
            "four_eyes_roles": sorted(str(Role(role).label) for role in FOUR_EYES_ROLES),
        },
    )


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    by = _administrator(request)
    account = _account(request, user_id)
    form = UserDetailsForm(
        request.POST or None,
        initial={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": account.email,
            "phone_number": account.phone_number,
            "organisation": account.organisation,
        },
        organisations=selectors.assignable_organisations(by=by, current=account.organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user_details(
                by=by, user=account, **form.cleaned_data, audit=AuditContext.from_request(request)
            )
        except ValidationError as exc:
            show_on_form(form, exc, field_names=SERVICE_FIELD_TO_FORM_FIELD)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("accounts:user_detail", user_id=account.pk)
    return render(request, "accounts/users/edit.html", {"form": form, "account": account})


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    by = _administrator(request)
    account = _account(request, user_id)
    form = SetPasswordForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        password = form.chosen_password(services.generate_password)
        try:
            services.set_password(
                by=by, user=account, password=password, audit=AuditContext.from_request(request)
            )
        except ValidationError as exc:
            show_on_form(form, exc, field_names=SERVICE_FIELD_TO_FORM_FIELD)
        else:
            messages.success(
                request,
                _("Het nieuwe wachtwoord van %(name)s is ingesteld; alle sessies zijn beëindigd.")
                % {"name": account.display_name},
            )
            if form.generated:
                return _show_password_once(request, account, password, created=False)
            return redirect("accounts:user_detail", user_id=account.pk)
    return render(request, "accounts/users/password.html", {"form": form, "account": account})


@require_POST
def membership_add(request: HttpRequest, user_id: int) -> HttpResponse:
    by = _administrator(request)
    account = _account(request, user_id)
    form = MembershipForm(request.POST, regions=selectors.managed_regions(by=by))
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("De rol is niet toegevoegd: %s") % " ".join(problems))
    else:
        try:
            granted = services.add_membership(
                by=by,
                user=account,
                region=form.cleaned_data["region"],
                role=form.cleaned_data["role"],
                audit=AuditContext.from_request(request),
            )
        except AccountError as exc:
            messages.error(request, str(exc))
        else:
            if isinstance(granted, RoleGrantRequest):
                messages.success(
                    request,
                    _(
                        "Rol aangevraagd: %s. Een andere functioneel beheerder van de regio moet "
                        "de rol goedkeuren; tot dan heeft de gebruiker hem niet."
                    )
                    % granted,
                )
            else:
                messages.success(request, _("Rol toegevoegd: %s.") % granted)
    return redirect("accounts:user_detail", user_id=account.pk)


def _decide_role_grant(
    request: HttpRequest,
    user_id: int,
    grant_id: int,
    decide: Callable[..., Any],
    done: str,
    done_by_requester: str = "",
) -> HttpResponse:
    by = _administrator(request)
    account = _account(request, user_id)
    grant = get_object_or_404(RoleGrantRequest, pk=grant_id, user=account)
    try:
        decide(by=by, grant=grant, audit=AuditContext.from_request(request))
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        own = done_by_requester and grant.requested_by_id == by.pk
        message = done_by_requester if own else done
        messages.success(request, message % {"role": grant, "name": account.display_name})
    return redirect("accounts:user_detail", user_id=account.pk)


@require_POST
def role_grant_approve(request: HttpRequest, user_id: int, grant_id: int) -> HttpResponse:
    return _decide_role_grant(
        request,
        user_id,
        grant_id,
        services.approve_role_grant,
        _("Goedgekeurd: %(name)s heeft nu de rol %(role)s."),
    )


@require_POST
def role_grant_reject(request: HttpRequest, user_id: int, grant_id: int) -> HttpResponse:
    return _decide_role_grant(
        request,
        user_id,
        grant_id,
        services.reject_role_grant,
        _("Afgewezen: %(name)s krijgt de rol %(role)s niet."),
        _("Uw aanvraag van de rol %(role)s voor %(name)s is ingetrokken."),
    )


@require_POST
def membership_remove(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    by = _administrator(request)
    account = _account(request, user_id)
    membership = get_object_or_404(
        Membership.objects.select_related("region"), pk=membership_id, user=account
    )
    try:
        services.remove_membership(
            by=by, membership=membership, audit=AuditContext.from_request(request)
        )
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Rol verwijderd: %s.") % membership)
    return redirect("accounts:user_detail", user_id=account.pk)


def _account_action(
    request: HttpRequest, user_id: int, action: Callable[..., Any], done: str
) -> HttpResponse:
    by = _administrator(request)
    account = _account(request, user_id)
    try:
        action(by=by, user=account, audit=AuditContext.from_request(request))
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"name": account.display_name})
    return redirect("accounts:user_detail", user_id=account.pk)


@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(
        request,
        user_id,
        services.deactivate_user,
        _("Het account van %(name)s is uitgeschakeld en overal uitgelogd."),
    )


@require_POST
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(
        request,
        user_id,
        services.reactivate_user,
        _("Het account van %(name)s is weer ingeschakeld."),
    )


@require_POST
def user_reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(
        request,
        user_id,
        services.reset_two_factor,
        _(
            "De tweestapsverificatie van %(name)s is gereset. Bij de volgende keer inloggen "
            "stelt %(name)s een nieuwe authenticator-app in."
        ),
    )


@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    return _account_action(
        request,
        user_id,
        services.unlock_user,
        _("Het account van %(name)s is gedeblokkeerd; inloggen kan weer."),
    )
