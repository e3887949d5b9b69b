"""The public REST API for partner systems, versioned under /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from vangnet.chat import api as chat_api
from vangnet.regions import api as regions_api
from vangnet.reports import api as reports_api

app_name = "api"

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("regions/", regions_api.region_list, name="region_list"),
    path("handovers/", chat_api.handover_create, name="handover_create"),
    path("handovers/<int:handover_id>", chat_api.handover_status, name="handover_status"),
    path("regions/route", regions_api.route, name="route_postcode"),
    path(
        "regions/<str:code>/municipalities",
        regions_api.region_municipalities,
        name="region_municipalities",
    ),
    path("transfers/", reports_api.transfer_list, name="transfer_list"),
    path("transfers/<int:report_id>/accept", reports_api.transfer_accept, name="transfer_accept"),
]
