"""REST endpoints for partner systems: request a warm handover and follow its status.

A helpline's own system creates the request with what was agreed with the child and gets a
join code for the child; it then follows the status. It never receives anything of the
conversation or of Veilig Thuis' records — only whether and when Veilig Thuis took it on.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vangnet.accounts.policy import Action
from vangnet.api.auth import PartnerTokenAuthentication, own_or_not_found, partner_system_may
from vangnet.api.errors import partner_responses
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access

from . import handovers, selectors, services
from .models import Handover, HandoverStatus


class HandoverRequestSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Handover.Channel.choices)
    consent = serializers.BooleanField(help_text="The child agrees that Veilig Thuis joins.")
    summary_by = serializers.ChoiceField(choices=Handover.SummaryBy.choices)
    volunteer_stays = serializers.BooleanField()
    child_anonymous = serializers.BooleanField(default=True)
    summary = serializers.CharField(max_length=2000, help_text="Short summary; no names.")
    is_urgent = serializers.BooleanField(default=False)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    nickname = serializers.CharField(required=False, allow_blank=True, max_length=40)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=6, max_value=25)
    external_reference = serializers.CharField(required=False, allow_blank=True, max_length=64)


class HandoverStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField()
    status = serializers.ChoiceField(choices=HandoverStatus.values)
    external_reference = serializers.CharField()
    created_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class HandoverCreatedSerializer(HandoverStatusSerializer):
    join_code = serializers.CharField(
        help_text="For a chat: the code the child enters on the Veilig Thuis chat (once, 30 min)."
    )


def _status(handover: Handover) -> dict[str, object]:
    return {
        "id": handover.pk,
        "channel": handover.channel,
        "status": handover.status,
        "external_reference": handover.external_reference,
        "created_at": handover.created_at,
        "accepted_at": handover.accepted_at,
        "completed_at": handover.completed_at,
    }


@extend_schema(
    operation_id="handover_create",
    summary="Request a warm handover to Veilig Thuis",
    request=HandoverRequestSerializer,
    responses={201: HandoverCreatedSerializer, **partner_responses(400)},
    tags=["handovers"],
)
@api_view(["POST"])
@authentication_classes([PartnerTokenAuthentication])
@permission_classes([partner_system_may(Action.REQUEST_HANDOVER)])
def handover_create(request: Request) -> Response:
    serializer = HandoverRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    # The permission class admitted only a helpline's system: its organisation is the requester.
    organisation = getattr(request.user, "organisation", None)
    if organisation is None:
        raise ValidationError({"detail": "Geen organisatie bij deze sleutel."})
    try:
        handover, join_code = handovers.request_handover(
            organisation=organisation,
            by=None,
            request=handovers.HandoverRequest(
                channel=data["channel"],
                consent=data["consent"],
                summary_by=data["summary_by"],
                volunteer_stays=data["volunteer_stays"],
                child_anonymous=data["child_anonymous"],
                summary=data["summary"],
                is_urgent=data["is_urgent"],
                postcode=data.get("postcode", ""),
                nickname=data.get("nickname", ""),
                age=data.get("age"),
                external_reference=data.get("external_reference", ""),
            ),
        )
    except services.ChatError as error:
        raise ValidationError({"detail": str(error)}) from error
    record_access(
        user=None,
        username=request.user.get_username(),
        action=AccessLogAction.CREATE,
        obj=handover,
        audit=AuditContext.from_request(request._request),
    )
    return Response({**_status(handover), "join_code": join_code}, status=status.HTTP_201_CREATED)


@extend_schema(
    operation_id="handover_status",
    summary="Follow the status of a warm handover",
    responses={200: HandoverStatusSerializer, **partner_responses()},
    tags=["handovers"],
)
@api_view(["GET"])
@authentication_classes([PartnerTokenAuthentication])
@permission_classes([partner_system_may(Action.REQUEST_HANDOVER)])
def handover_status(request: Request, handover_id: int) -> Response:
    handover = own_or_not_found(
        lambda: selectors.partner_handover(principal=request.user, handover_id=handover_id)
    )
    return Response(_status(handover))
