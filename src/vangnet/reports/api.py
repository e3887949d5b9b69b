"""REST endpoints for a local team's or SAVE team's own system: its transfers, and accepting one.

The team's system sees only reports transferred to its own organisation, and of those only
what the transfer document holds (never the reporter). Accepting gives the team the lead.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vangnet.accounts.policy import Action
from vangnet.api.auth import PartnerTokenAuthentication, own_or_not_found, partner_system_may
from vangnet.api.errors import partner_responses
from vangnet.audit.context import AuditContext
from vangnet.audit.models import AccessLogAction
from vangnet.audit.services import record_access

from . import selectors, services
from .models import Report
from .transfer_package import transfer_package
from .workflow import WorkflowError

# The statuses of a transfer, named in the OpenAPI document as TransferStatusEnum (settings).
TRANSFER_STATUSES = [("pending", "pending"), ("accepted", "accepted")]


class TransferPersonSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    address = serializers.CharField()
    is_victim = serializers.BooleanField()
    is_alleged_perpetrator = serializers.BooleanField()


class TransferConditionSerializer(serializers.Serializer):
    description = serializers.CharField()
    responsible = serializers.CharField()
    due_on = serializers.DateField()


class OwnStatementSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    text = serializers.CharField()
    added_on = serializers.DateField()


class TransferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=TRANSFER_STATUSES)
    transferred_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    forms_of_violence = serializers.ListField(child=serializers.CharField())
    triage_outcome = serializers.CharField()
    summary = serializers.CharField(help_text="What the team needs to know; never the reporter.")
    persons = TransferPersonSerializer(many=True)
    safety_conditions = TransferConditionSerializer(many=True)
    own_statements = OwnStatementSerializer(
        many=True, help_text="A person's own statement about the file; it goes with the file."
    )


def _transfer(report: Report) -> dict[str, object]:
    """The transfer package (the same as the transfer document) in the API's shape."""
    package = transfer_package(report)
    return {
        "id": package.id,
        "reference": package.reference,
        "status": package.status,
        "transferred_at": package.transferred_at,
        "accepted_at": package.accepted_at,
        "forms_of_violence": package.forms_of_violence,
        "triage_outcome": package.triage_outcome,
        "summary": package.summary,
        "persons": [
            {
                "role": p.role,
                "name": p.name,
                "date_of_birth": p.date_of_birth,
                "address": p.address,
                "is_victim": p.is_victim,
                "is_alleged_perpetrator": p.is_alleged_perpetrator,
            }
            for p in package.persons
        ],
        "safety_conditions": [
            {"description": c.description, "responsible": c.responsible, "due_on": c.due_on}
            for c in package.conditions
        ],
        "own_statements": [
            {"role": s.role_label, "name": s.name, "text": s.text, "added_on": s.added_on}
            for s in package.own_statements
        ],
    }


def _own(request: Request, report_id: int) -> Report:
    return own_or_not_found(
        lambda: selectors.partner_transfer(principal=request.user, report_id=report_id)  # type: ignore[arg-type]  # the partner permission admitted a partner system
    )


@extend_schema(
    operation_id="transfer_list",
    summary="Reports transferred to your organisation",
    responses={200: TransferSerializer(many=True), **partner_responses()},
    tags=["transfers"],
)
@api_view(["GET"])
@authentication_classes([PartnerTokenAuthentication])
@permission_classes([partner_system_may(Action.ACCEPT_TRANSFER)])
def transfer_list(request: Request) -> Response:
    reports = list(
        selectors.transfers_for(principal=request.user)  # type: ignore[arg-type]  # the partner permission admitted a partner system
        .prefetch_related("persons", "conditions")
        .order_by("-transferred_at")[:100]
    )
    if reports:
        record_access(
            user=None,
            username=request.user.get_username(),
            action=AccessLogAction.VIEW,
            objects=reports,
            audit=AuditContext.from_request(request._request),
        )
    return Response([_transfer(r) for r in reports])


@extend_schema(
    operation_id="transfer_accept",
    summary="Accept a transfer: from now on your team has the lead",
    request=None,
    responses={200: TransferSerializer, **partner_responses(400)},
    tags=["transfers"],
)
@api_view(["POST"])
@authentication_classes([PartnerTokenAuthentication])
@permission_classes([partner_system_may(Action.ACCEPT_TRANSFER)])
def transfer_accept(request: Request, report_id: int) -> Response:
    report = _own(request, report_id)
    try:
        report = services.accept_transfer(
            report=report,
            organisation=request.user.organisation,  # type: ignore[union-attr]  # the partner permission admitted a partner system
            via=request.user.get_username(),
            audit=AuditContext.from_request(request._request),
        )
    except WorkflowError as error:
        raise ValidationError({"detail": str(error)}) from error
    return Response(_transfer(report))
