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


def resolve_active_region(request: HttpRequest) -> Region | None:
    regions = user_regions(request.user)
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
