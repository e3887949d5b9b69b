"""The contact register of the active region: list, detail, registration, advice dossiers,
search and break-the-glass. Thin adapters: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import AccessDenied, Action, may, may_break_glass, require
from vangnet.accounts.services import AccountError
from vangnet.accounts.services import break_glass as break_glass_service
from vangnet.audit.context import AuditContext
from vangnet.errors import show_on_form
from vangnet.regions.models import Region

from . import selectors, services
from .forms import (
    SERVICE_FIELD_TO_FORM_FIELD,
    ContactForm,
    OwnerForm,
    PersonForm,
    ReasonForm,
    SearchForm,
)
from .models import AdviceDossier, Contact, DossierPerson


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the workspace middleware lets only verified staff in
    return user


def _active_region(request: HttpRequest) -> Region:
    region = getattr(request, "active_region", None)
    if region is None:
        raise AccessDenied(_("U bent nog niet aan een regio gekoppeld."))
    return region


@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    region = getattr(request, "active_region", None)
    if region is None:
        raise AccessDenied(_("U bent nog niet aan een regio gekoppeld."))
    page_obj = selectors.contact_page(
        user=user, region=region, params=request.GET, audit=AuditContext.from_request(request)
    )
    return render(request, "contacts/list.html", {"page_obj": page_obj, "region": region})


def _denied(request: HttpRequest, contact_id: int, *, status: int, **extra: Any) -> HttpResponse:
    return render(
        request,
        "workspace/denied.html",
        {
            "refusal": _(
                "Dit contact hoort bij een regio waarin u niet werkt. Deze poging is vastgelegd "
                "in het toegangslog."
            ),
            "glass_explanation": _(
                "Heeft u deze gegevens nu echt nodig, bijvoorbeeld bij acuut gevaar? Geef de "
                "reden. U krijgt één uur toegang tot dit ene contact; de privacyfunctionaris ziet "
                "uw reden in het toegangslog."
            ),
            "glass_url": reverse("contacts:break_glass", args=[contact_id]),
            **extra,
        },
        status=status,
    )


@require_GET
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        contact = selectors.contact_detail(
            user=user, contact_id=contact_id, audit=AuditContext.from_request(request)
        )
    except Contact.DoesNotExist as exc:
        raise Http404 from exc
    except AccessDenied:
        allowed = may_break_glass(user, Action.VIEW_CONTACT)
        return _denied(request, contact_id, status=403, can_break_glass=allowed)
    return render(request, "contacts/detail.html", {"contact": contact})


@require_POST
def break_glass(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    contact = get_object_or_404(Contact, pk=contact_id)
    try:
        break_glass_service(
            user=user,
            action=Action.VIEW_CONTACT,
            obj=contact,
            reason=request.POST.get("reason", ""),
            audit=AuditContext.from_request(request),
        )
    except AccountError as exc:
        return _denied(
            request,
            contact_id,
            status=400,
            can_break_glass=True,
            error=str(exc),
            reason=request.POST.get("reason", ""),
        )
    messages.warning(
        request, _("Noodtoegang verleend voor één uur. Dit is vastgelegd in het toegangslog.")
    )
    return redirect("contacts:detail", contact_id=contact_id)


@require_GET
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        dossier = selectors.dossier_detail(
            user=user, dossier_id=dossier_id, audit=AuditContext.from_request(request)
        )
    except AdviceDossier.DoesNotExist as exc:
        raise Http404 from exc
    return _render_dossier(request, dossier)


def _render_dossier(
    request: HttpRequest,
    dossier: AdviceDossier,
    *,
    person_form: PersonForm | None = None,
    reason_form: ReasonForm | None = None,
    owner_form: OwnerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _staff(request)
    can_manage = may(user, Action.MANAGE_DOSSIER, dossier)
    colleagues = [
        colleague
        for colleague in selectors.colleagues_in(Region.objects.filter(pk=dossier.region_id))
        if colleague.pk != dossier.owner_id and may(colleague, Action.REGISTER_CONTACT, dossier)
    ]
    return render(
        request,
        "contacts/dossier.html",
        {
            "dossier": dossier,
            "persons": list(dossier.persons.all()),
            "history": selectors.dossier_history(dossier),
            "codes": dossier.continuity_codes.select_related("employee").order_by("-created_at"),
            "can_manage": can_manage,
            "can_register": may(user, Action.REGISTER_CONTACT, dossier),
            # Requests of the people involved are registered on the dossier (ADR 0032).
            "may_handle_requests": may(user, Action.HANDLE_SUBJECT_REQUEST, dossier),
            "own_statements": dossier.own_statements.select_related("person", "added_by"),
            "corrections": dossier.corrections.select_related("by"),
            "may_become_report": services.may_become_report(dossier),
            "report_url": _report_url(user, dossier),
            "person_form": person_form or PersonForm(),
            "reason_form": reason_form or ReasonForm(),
            "owner_form": owner_form or OwnerForm(colleagues=colleagues),
        },
        status=status,
    )


def _report_url(user: User, dossier: AdviceDossier) -> str | None:
    """Where the employee turns this dossier into a report (melding), when that is possible."""
    if not dossier.is_open or dossier.is_anonymous:
        return None
    try:
        return reverse("reports:new") + f"?dossier={dossier.pk}"
    except NoReverseMatch:
        return None


def _dossier_for(request: HttpRequest, dossier_id: int) -> AdviceDossier:
    try:
        return selectors.dossier_detail(
            user=_staff(request), dossier_id=dossier_id, audit=AuditContext.from_request(request)
        )
    except AdviceDossier.DoesNotExist as exc:
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    """Register a phone, written or in-person contact; with ?dossier=<id>, into that dossier."""
    user = _staff(request)
    region = _active_region(request)
    require(user, Action.REGISTER_CONTACT, region)
    if request.method == "POST":
        form = ContactForm(request.POST, region=region)
        if form.is_valid():
            try:
                contact = services.register_contact(
                    by=user,
                    region=region,
                    details=form.details(),
                    dossier=form.dossier,
                    title=form.cleaned_data["title"],
                    audit=AuditContext.from_request(request),
                )
            except services.ContactError as error:
                show_on_form(form, error, field_names=SERVICE_FIELD_TO_FORM_FIELD)
            else:
                dossier = contact.dossier
                assert dossier is not None  # register_contact always files it
                messages.success(
                    request,
                    _("Contact geregistreerd in adviesdossier %(reference)s.")
                    % {"reference": dossier.reference},
                )
                return redirect("contacts:dossier", dossier_id=dossier.pk)
        return render(request, "contacts/new.html", {"form": form, "region": region}, status=400)
    initial = {}
    dossier = selectors.dossier_to_register_in(
        user=user, region=region, dossier_id=request.GET.get("dossier", "")
    )
    if dossier is not None:
        initial["dossier_reference"] = dossier.reference
    form = ContactForm(initial=initial, region=region)
    return render(request, "contacts/new.html", {"form": form, "region": region})


def _dossier_action_failed(
    request: HttpRequest, dossier: AdviceDossier, error: services.ContactError, **forms: object
) -> HttpResponse:
    """A wrong field is shown at the field; a refusal because of the dossier's state (already
    closed, not closed) is a message on the dossier page."""
    if not error.errors:
        messages.error(request, str(error))
        return redirect("contacts:dossier", dossier_id=dossier.pk)
    bound = next(iter(forms.values()))
    show_on_form(bound, error, field_names=SERVICE_FIELD_TO_FORM_FIELD)  # type: ignore[arg-type]  # always a Form
    return _render_dossier(request, dossier, status=400, **forms)  # type: ignore[arg-type]  # the forms of this page


@require_POST
def dossier_add_person(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user = _staff(request)
    dossier = _dossier_for(request, dossier_id)
    form = PersonForm(request.POST)
    if not form.is_valid():
        return _render_dossier(request, dossier, person_form=form, status=400)
    try:
        services.name_dossier(
            dossier=dossier,
            by=user,
            persons=[form.person()],
            audit=AuditContext.from_request(request),
        )
    except services.ContactError as error:
        return _dossier_action_failed(request, dossier, error, person_form=form)
    messages.success(request, _("Persoon toegevoegd. Het dossier is niet meer anoniem."))
    return redirect("contacts:dossier", dossier_id=dossier.pk)


@require_POST
def dossier_remove_person(request: HttpRequest, dossier_id: int, person_id: int) -> HttpResponse:
    user = _staff(request)
    dossier = _dossier_for(request, dossier_id)
    require(user, Action.MANAGE_DOSSIER, dossier)
    person = get_object_or_404(DossierPerson, pk=person_id, dossier=dossier)
    try:
        services.remove_dossier_person(
            person=person, by=user, audit=AuditContext.from_request(request)
        )
    except services.ContactError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Persoon verwijderd uit het dossier."))
    return redirect("contacts:dossier", dossier_id=dossier.pk)


@require_POST
def dossier_close(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user = _staff(request)
    dossier = _dossier_for(request, dossier_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.close_dossier(
            dossier=dossier,
            by=user,
            reason=form.cleaned_data.get("reason", ""),
            audit=AuditContext.from_request(request),
        )
    except services.ContactError as error:
        return _dossier_action_failed(request, dossier, error, reason_form=form)
    messages.success(request, _("Dossier gesloten."))
    return redirect("contacts:dossier", dossier_id=dossier.pk)


@require_POST
def dossier_reopen(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user = _staff(request)
    dossier = _dossier_for(request, dossier_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.reopen_dossier(
            dossier=dossier,
            by=user,
            reason=form.cleaned_data.get("reason", ""),
            audit=AuditContext.from_request(request),
        )
    except services.ContactError as error:
        return _dossier_action_failed(request, dossier, error, reason_form=form)
    messages.success(request, _("Dossier heropend."))
    return redirect("contacts:dossier", dossier_id=dossier.pk)


@require_POST
def dossier_change_owner(request: HttpRequest, dossier_id: int) -> HttpResponse:
    user = _staff(request)
    dossier = _dossier_for(request, dossier_id)
    colleagues = list(selectors.colleagues_in(Region.objects.filter(pk=dossier.region_id)))
    form = OwnerForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        return _render_dossier(request, dossier, owner_form=form, status=400)
    try:
        services.change_dossier_owner(
            dossier=dossier,
            by=user,
            owner=form.cleaned_data["owner"],
            audit=AuditContext.from_request(request),
        )
    except services.ContactError as error:
        return _dossier_action_failed(request, dossier, error, owner_form=form)
    messages.success(request, _("Eigenaar gewijzigd."))
    return redirect("contacts:dossier", dossier_id=dossier.pk)


@require_http_methods(["GET", "POST"])
def dossier_search(request: HttpRequest) -> HttpResponse:
    """Search by POST, so that names and dates of birth stay out of URLs and server logs."""
    user = _staff(request)
    require(user, Action.VIEW_CONTACT)
    regions = selectors.searchable_regions(user)
    employees = selectors.colleagues_in(regions)
    if request.method == "GET":
        form = SearchForm(regions=regions, employees=employees)
        return render(request, "contacts/search.html", {"form": form})
    form = SearchForm(request.POST, regions=regions, employees=employees)
    if not form.is_valid():
        return render(request, "contacts/search.html", {"form": form}, status=400)
    data = form.cleaned_data
    found = selectors.search_dossiers(
        user=user,
        search=selectors.DossierSearch(
            reference=data["reference"],
            person_name=data["person_name"],
            date_of_birth=data["date_of_birth"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            region=data["region"],
            employee=data["employee"],
        ),
        params=request.POST,
        audit=AuditContext.from_request(request),
    )
    return render(
        request,
        "contacts/search.html",
        {"form": form, "found": found, "page_obj": found.page, "searched": True},
    )
