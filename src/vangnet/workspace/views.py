"""The workspace shell: the home page per role and the region switcher."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, may
from vangnet.contacts.selectors import recent_contact_count
from vangnet.reports.selectors import report_counts

from .middleware import SESSION_KEY, user_regions


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    staff = may(user, Action.USE_STAFF_WORKSPACE)
    partner = may(user, Action.USE_PARTNER_WORKSPACE)
    if not (staff or partner):
        raise PermissionDenied(
            _("Uw account heeft nog geen rol. Neem contact op met uw functioneel beheerder.")
        )
    assert isinstance(user, User)  # only accounts hold roles
    region = getattr(request, "active_region", None)
    context = {
        "is_staff_workspace": staff,
        "contact_count": (
            recent_contact_count(user=user, region=region)
            if region is not None and may(user, Action.VIEW_CONTACT, region)
            else None
        ),
        "memberships": user.memberships.select_related("region"),
        "report_counts": (report_counts(user=user, region=region) if region is not None else None),
    }
    return render(request, "workspace/home.html", context)


@require_POST
def switch_region(request: HttpRequest) -> HttpResponse:
    try:
        region_id = int(request.POST.get("region", ""))
    except ValueError:
        region_id = -1
    regions = {r.pk: r for r in user_regions(request.user)}
    if region_id not in regions:
        messages.error(request, _("U werkt niet in die regio. Kies een regio uit de lijst."))
    else:
        request.session[SESSION_KEY] = region_id
        messages.success(
            request, _("U werkt nu in regio %(region)s.") % {"region": regions[region_id].name}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "workspace:home"
    return redirect(target)
