from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vangnet.accounts.models import User
from vangnet.accounts.policy import Action, require
from vangnet.audit.context import AuditContext

from .forms import AccessLogSearchForm
from .selectors import search_access_log


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    require(user, Action.VIEW_ACCESS_LOG)
    form = AccessLogSearchForm(request.GET or None)
    page_obj = None
    if (form.is_bound and form.is_valid()) or not form.is_bound:
        filters = form.cleaned_data if form.is_bound else {}
        page_obj = search_access_log(
            user=user, filters=filters, params=request.GET, audit=AuditContext.from_request(request)
        )
    query = request.GET.copy()
    for name in ("page", "after", "before", "last"):
        query.pop(name, None)
    template = "audit/_results.html" if request.htmx else "audit/search.html"  # type: ignore[attr-defined]  # set by django-htmx middleware
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page_obj,
            "query_prefix": f"{query.urlencode()}&" if query else "",
        },
    )
