"""Response headers that keep pages with personal data off shared devices and caches."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Staff pages and public chat pages are never cached by browser or proxy.

    A visitor may share a device with the person they fear (DESIGN.md): the back button
    must not bring a page back from cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/static/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class LanguageMiddleware:
    """Dutch first: English only when the person chose it with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, showing English to
    a Dutch visitor on an English phone; the interface language is a choice, kept in the
    language cookie that `set_language` writes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ReplaceNavigationMiddleware:
    """A public form sent by vangnet.js (header `Vangnet-Navigation: replace`) gets a redirect
    as `204` with `Vangnet-Location`, so the page can follow it with location.replace().

    fetch() would follow a redirect itself and use up what the next page shows once (a flash
    message); the page then loads it again, replacing its history entry (ADR 0023).
    """

    HEADER = "Vangnet-Navigation"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        redirect = 300 <= response.status_code < 400 and response.has_header("Location")
        if redirect and request.headers.get(self.HEADER) == "replace":
            response["Vangnet-Location"] = response["Location"]
            del response["Location"]
            response.status_code = 204
        return response
