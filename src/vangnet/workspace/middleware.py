"""The region a staff member is working in right now (the region switcher)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vangnet.regions.models import Region

SESSION_KEY = "vangnet_active_region"


def user_regions(user) -> list[Region]:
    if not user.is_authenticated:
        return []
    return list(Region.objects.filter(memberships__user=user).distinct().order_by("name"))


def regions_of_request(request: HttpRequest) -> list[Region]:
    """`user_regions` of the request's user, read once per request (the middleware, the
    region switcher in the layout and the views all ask)."""
    cached = getattr(request, "_user_regions", None)
    if cached is None:
        cached = user_regions(request.user)
        request._user_regions = cached  # type: ignore[attr-defined]  # a per-request cache
    return cached


def resolve_active_region(request: HttpRequest) -> Region | None:
    regions = regions_of_request(request)
    if not regions:
        return None
    chosen = request.session.get(SESSION_KEY)
    for region in regions:
        if region.pk == chosen:
            return region
    return regions[0]


class ActiveRegionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.active_region = resolve_active_region(request)  # type: ignore[attr-defined]  # set here for the views (ActiveRegionMiddleware)
        return self.get_response(request)
