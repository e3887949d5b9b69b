"""The public REST API for partner systems, versioned under /api/v1/: the endpoints of the
apps (chat, regions, reports) in one URL map, beside the project's `urls.py` (above the apps).

Record ids use the `id` converter: at most 18 digits, so an id too large for the database is
an unknown path (a JSON 404, vangnet.core.views.page_not_found), never a server error.
"""

from django.urls import path, register_converter
from drf_spectacular.views import SpectacularJSONAPIView

from vangnet.chat import api as chat_api
from vangnet.regions import api as regions_api
from vangnet.reports import api as reports_api

app_name = "api"


class RecordIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordIdConverter, "id")

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("regions/", regions_api.region_list, name="region_list"),
    path("handovers/", chat_api.handover_create, name="handover_create"),
    path("handovers/<id:handover_id>", chat_api.handover_status, name="handover_status"),
    path("regions/route", regions_api.route, name="route_postcode"),
    path(
        "regions/<str:code>/municipalities",
        regions_api.region_municipalities,
        name="region_municipalities",
    ),
    path("transfers/", reports_api.transfer_list, name="transfer_list"),
    path("transfers/<id:report_id>/accept", reports_api.transfer_accept, name="transfer_accept"),
]
