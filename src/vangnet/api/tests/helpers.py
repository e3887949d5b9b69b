"""Partner systems for API tests: organisations of each kind, their keys, their records."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.test import APIClient

from vangnet.api.auth import create_token
from vangnet.chat.models import Handover
from vangnet.regions.models import PartnerOrganisation, Region
from vangnet.reports.models import Report
from vangnet.testing.factories import (
    HandoverFactory,
    PartnerOrganisationFactory,
    PostcodeFactory,
    RegionFactory,
    helpline,
    national_desk,
)
from vangnet.testing.reports import transferred_report

HANDOVER_BODY = {
    "channel": "phone",
    "consent": True,
    "summary_by": "volunteer",
    "volunteer_stays": False,
    "child_anonymous": True,
    "summary": "Jongen van 14, vader slaat hem.",
}


def key_for(organisation: PartnerOrganisation, *, name: str = "koppeling") -> str:
    _token, key = create_token(organisation=organisation, name=name)
    return key


def client_with(key: str | None) -> APIClient:
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@dataclass
class PartnerWorld:
    region: Region
    helpline: PartnerOrganisation  # De Kindertelefoon
    other_helpline: PartnerOrganisation
    team: PartnerOrganisation  # a local team of the region
    other_team: PartnerOrganisation
    school: PartnerOrganisation  # a kind that may use neither handovers nor transfers
    own_handover: Handover  # the helpline's
    other_handover: Handover  # the other helpline's
    transfer: Report | None  # transferred to `team`, waiting for acceptance
    other_transfer: Report | None  # transferred to `other_team`


def partner_world(*, with_transfers: bool = True) -> PartnerWorld:
    region = RegionFactory.create(name="Utrecht")
    PostcodeFactory.create(code="3511", municipality__region=region)
    national_desk()
    kindertelefoon = helpline()
    other_helpline = PartnerOrganisationFactory.create(
        name="Andere hulplijn", kind=PartnerOrganisation.Kind.HELPLINE, region=national_desk()
    )
    team = PartnerOrganisationFactory.create(region=region, name="Wijkteam Oost")
    other_team = PartnerOrganisationFactory.create(region=region, name="Wijkteam West")
    return PartnerWorld(
        region=region,
        helpline=kindertelefoon,
        other_helpline=other_helpline,
        team=team,
        other_team=other_team,
        school=PartnerOrganisationFactory.create(
            region=region, name="Basisschool De Regenboog", kind=PartnerOrganisation.Kind.SCHOOL
        ),
        own_handover=HandoverFactory.create(region=national_desk(), organisation=kindertelefoon),
        other_handover=HandoverFactory.create(region=national_desk(), organisation=other_helpline),
        transfer=transferred_report(region, team) if with_transfers else None,
        other_transfer=transferred_report(region, other_team) if with_transfers else None,
    )
