"""The social map in the staff workspace: team leads and functional administrators keep the
help and links that chat employees send to visitors.

Thin adapters: each view reads the request, asks a selector or calls one service (which
checks the policy), and renders. A refusal is an AccessDenied: the 403 handler logs it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, may, require
from vangnet.errors import show_on_form

from . import selectors, services
from .forms import SocialMapEntryForm, SocialMapFilterForm
from .models import SocialMapEntry

# Paged by number (ADR 0030): the social map holds the addresses a region refers people to
# (hundreds at most), not a register that grows with the years.
PAGE_SIZE = 25

# The unique constraints are checked on the whole entry; the person fixes the name.
NAME_ERROR_CODES = {"unique", "unique_together"}


def _keeper(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the middleware lets only verified users through
    require(user, Action.MANAGE_SOCIAL_MAP)
    return user


def _entry(by: User, entry_id: int) -> SocialMapEntry:
    entry = get_object_or_404(SocialMapEntry.objects.select_related("region"), pk=entry_id)
    require(by, Action.MANAGE_SOCIAL_MAP, entry)
    return entry


def _entry_form(by: User, data: Any = None, **kwargs: Any) -> SocialMapEntryForm:
    return SocialMapEntryForm(
        data,
        regions=selectors.social_map_regions(by=by),
        national_allowed=selectors.may_manage_national_social_map(by=by),
        **kwargs,
    )


def _name_problem(problem: ValidationError) -> str | None:
    """A clash with another entry (unique) is about its name."""
    return "name" if problem.code in NAME_ERROR_CODES else None


@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    by = _keeper(request)
    filter_form = SocialMapFilterForm(
        request.GET or None, regions=selectors.social_map_regions(by=by)
    )
    region, national_only = filter_form.chosen()
    entries = selectors.social_map_to_manage(by=by, region=region, national_only=national_only)
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, may(by, Action.MANAGE_SOCIAL_MAP, entry)) for entry in page_obj.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    template = (
        "regions/social_map/_results.html"
        if getattr(request, "htmx", False)
        else "regions/social_map/list.html"
    )
    return render(
        request,
        template,
        {
            "filter_form": filter_form,
            "page_obj": page_obj,
            "rows": rows,
            "filtered": bool(region or national_only),
            "query_prefix": f"{query.urlencode()}&" if query else "",
        },
    )


@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    by = _keeper(request)
    active_region = getattr(request, "active_region", None)
    form = _entry_form(
        by,
        request.POST or None,
        initial={"kind": SocialMapEntry.Kind.LOCAL_TEAM, "region": active_region},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.create_social_map_entry(
                by=by,
                region=data["region"],
                name=data["name"],
                kind=data["kind"],
                url=data["url"],
                description=data["description"],
                municipality=data["municipality"],
            )
        except ValidationError as exc:
            show_on_form(form, exc, field_for=_name_problem)
        else:
            messages.success(
                request, _("%(name)s staat nu op de sociale kaart.") % {"name": entry.name}
            )
            return redirect("socialmap:list")
    status = 400 if form.is_bound else 200
    return render(request, "regions/social_map/form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    by = _keeper(request)
    entry = _entry(by, entry_id)
    form = _entry_form(
        by,
        request.POST or None,
        initial={
            "name": entry.name,
            "kind": entry.kind,
            "url": entry.url,
            "description": entry.description,
            "region": entry.region,
            "municipality": entry.municipality_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.update_social_map_entry(entry=entry, by=by, **form.cleaned_data)
        except ValidationError as exc:
            show_on_form(form, exc, field_for=_name_problem)
        else:
            messages.success(
                request, _("De wijzigingen in %(name)s zijn opgeslagen.") % {"name": entry.name}
            )
            return redirect("socialmap:list")
    status = 400 if form.is_bound else 200
    return render(
        request, "regions/social_map/form.html", {"form": form, "entry": entry}, status=status
    )


def _set_active(request: HttpRequest, entry_id: int, *, active: bool) -> HttpResponse:
    by = _keeper(request)
    entry = services.set_social_map_entry_active(entry=_entry(by, entry_id), by=by, active=active)
    if active:
        done = _("%(name)s wordt weer aangeboden in de chat.")
    else:
        done = _("%(name)s wordt niet meer aangeboden in de chat.")
    messages.success(request, done % {"name": entry.name})
    return redirect("socialmap:list")


@require_POST
def entry_deactivate(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _set_active(request, entry_id, active=False)


@require_POST
def entry_reactivate(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _set_active(request, entry_id, active=True)
