"""Keeping the standard texts (team leads, functional administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vangnet.accounts.models import User
from vangnet.accounts.policy import may

from . import standard_texts

# Paged by number (ADR 0030): a team keeps tens of standard texts, not a register that grows.
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
def text_list(request: HttpRequest) -> HttpResponse:
    by = _user(request)
    texts = standard_texts.texts_to_manage(by=by)
    page_obj = Paginator(texts, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(text, may(by, standard_texts.KEEP, text)) for text in page_obj.object_list]
    return render(request, "chat/staff/standard_texts.html", {"page_obj": page_obj, "rows": rows})


def _form_page(request: HttpRequest, text_id: int | None) -> HttpResponse:
    by = _user(request)
    text = standard_texts.text_to_edit(by=by, text_id=text_id) if text_id else None
    if text is None:
        standard_texts.texts_to_manage(by=by)  # may keep texts at all
    form = standard_texts.StandardTextForm(request.POST or None, instance=text, by=by)
    if request.method == "POST":
        if form.is_valid():
            saved = standard_texts.save_text(form=form, by=by)
            messages.success(
                request, _("Standaardtekst “%(title)s” is opgeslagen.") % {"title": saved.title}
            )
            return redirect("chat_staff:standard_texts")
        status = 400
    else:
        status = 200
    return render(
        request, "chat/staff/standard_text_form.html", {"form": form, "text": text}, status=status
    )


@require_http_methods(["GET", "POST"])
def text_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
def text_edit(request: HttpRequest, text_id: int) -> HttpResponse:
    return _form_page(request, text_id)
