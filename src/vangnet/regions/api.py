"""REST endpoints of the regions app: postcode routing, the regions and their municipalities.

All three are public (a region and the postcodes it serves are public facts) and throttled
for anonymous callers. Errors have the API's one shape, see vangnet.api.errors.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from vangnet.api.errors import ERROR_RESPONSES, ServiceUnavailable, error_example

from .models import Municipality, Region
from .selectors import (
    InvalidPostcode,
    RoutingUnavailable,
    municipalities_of,
    region_by_code,
    route_postcode,
)


class RegionSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(
        read_only=True, help_text="The name to show a person, e.g. 'Veilig Thuis Utrecht'."
    )

    class Meta:
        model = Region
        fields = ["code", "name", "display_name", "is_national_desk"]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name"]


class RouteSerializer(serializers.Serializer):
    postcode = serializers.CharField(
        help_text="The 4 digits the answer is for (the letters of a full postcode are dropped)."
    )
    region = RegionSerializer(help_text="The Veilig Thuis region, or the national desk.")
    municipality = MunicipalitySerializer(
        allow_null=True,
        help_text="The municipality holding most addresses of this postcode area; null when "
        "the postcode is not assigned.",
    )
    national_desk_fallback = serializers.BooleanField(
        help_text="True when the postcode is not assigned to a region, so the national desk "
        "answers instead."
    )


UTRECHT = {"code": "VT09", "name": "Utrecht", "display_name": "Veilig Thuis Utrecht"}
NATIONAL_DESK = {
    "code": "LANDELIJK",
    "name": "Landelijk loket Kindertelefoon",
    "display_name": "Landelijk loket Kindertelefoon",
}


@extend_schema(
    operation_id="route_postcode",
    summary="Route a postcode to its Veilig Thuis region",
    description=(
        "Answers which Veilig Thuis region serves a 4-digit postcode (PC4). A full postcode "
        "('3511 AB') is accepted; only its digits are used. A well-formed postcode that is "
        "not assigned to a municipality routes to the national desk, with "
        "`national_desk_fallback: true`. A malformed postcode gets a 400 with a Dutch message "
        "that can be shown to the person who typed it."
    ),
    parameters=[
        OpenApiParameter(
            "postcode",
            OpenApiTypes.STR,
            required=True,
            description="4 digits, the first not 0, optionally with the 2 letters.",
            examples=[
                OpenApiExample("4 cijfers", value="3511"),
                OpenApiExample("Volledige postcode", value="3511 AB"),
            ],
        )
    ],
    responses={
        200: RouteSerializer,
        400: ERROR_RESPONSES[400],
        429: ERROR_RESPONSES[429],
        503: ERROR_RESPONSES[503],
    },
    examples=[
        OpenApiExample(
            "Utrecht",
            value={
                "postcode": "3511",
                "region": {**UTRECHT, "is_national_desk": False},
                "municipality": {"code": "GM0344", "name": "Utrecht"},
                "national_desk_fallback": False,
            },
            response_only=True,
            status_codes=["200"],
        ),
        OpenApiExample(
            "Niet toegewezen: landelijk loket",
            value={
                "postcode": "1000",
                "region": {**NATIONAL_DESK, "is_national_desk": True},
                "municipality": None,
                "national_desk_fallback": True,
            },
            response_only=True,
            status_codes=["200"],
        ),
        error_example(
            "Ongeldige postcode",
            http_status=400,
            error="invalid",
            detail="Dit is geen geldige postcode. Een postcode begint met 4 cijfers, waarvan "
            "het eerste geen 0 is, bijvoorbeeld 3511 of 3511 AB.",
            field="postcode",
        ),
    ],
    tags=["regions"],
)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([AnonRateThrottle])
def route(request: Request) -> Response:
    try:
        result = route_postcode(request.query_params.get("postcode"))
    except InvalidPostcode as exc:
        raise ValidationError({"postcode": [str(exc)]}) from exc
    except RoutingUnavailable as exc:
        raise ServiceUnavailable(str(exc)) from exc
    return Response(RouteSerializer(result).data)


@extend_schema(
    operation_id="list_regions",
    summary="The Veilig Thuis regions and the national desk",
    responses={200: RegionSerializer(many=True), 429: ERROR_RESPONSES[429]},
    examples=[
        OpenApiExample(
            "Regio's",
            value=[
                {**UTRECHT, "is_national_desk": False},
                {**NATIONAL_DESK, "is_national_desk": True},
            ],
            response_only=True,
            status_codes=["200"],
        )
    ],
    tags=["regions"],
)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([AnonRateThrottle])
def region_list(request: Request) -> Response:
    return Response(RegionSerializer(Region.objects.all(), many=True).data)


@extend_schema(
    operation_id="list_region_municipalities",
    summary="The municipalities a Veilig Thuis region serves",
    parameters=[
        OpenApiParameter(
            "code",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="The region's code, e.g. VT09.",
        )
    ],
    responses={
        200: MunicipalitySerializer(many=True),
        404: OpenApiResponse(ERROR_RESPONSES[404].response, description="No such region."),
        429: ERROR_RESPONSES[429],
    },
    examples=[
        OpenApiExample(
            "Utrecht",
            value=[
                {"code": "GM0307", "name": "Amersfoort"},
                {"code": "GM0344", "name": "Utrecht"},
            ],
            response_only=True,
            status_codes=["200"],
        ),
        error_example(
            "Onbekende regio",
            http_status=404,
            error="not_found",
            detail="Er is geen regio met code VT99.",
        ),
    ],
    tags=["regions"],
)
@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([AnonRateThrottle])
def region_municipalities(request: Request, code: str) -> Response:
    region = region_by_code(code)
    if region is None:
        raise NotFound(_("Er is geen regio met code %(code)s.") % {"code": code[:12]})
    return Response(MunicipalitySerializer(municipalities_of(region), many=True).data)
