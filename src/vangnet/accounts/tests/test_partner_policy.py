"""What is a partner's own (accounts.policy): the one rule behind partner pages, socket and API."""

from __future__ import annotations

import pytest

from vangnet.accounts.models import Role, User
from vangnet.accounts.policy import (
    owns_handover,
    owns_transfer,
    scope_own_handovers,
    scope_own_transfers,
)
from vangnet.api.auth import PartnerClient, create_token
from vangnet.chat.models import Handover
from vangnet.regions.models import PartnerOrganisation
from vangnet.reports.models import Report
from vangnet.testing.factories import (
    HandoverFactory,
    PartnerOrganisationFactory,
    RegionFactory,
    helpline,
    make_user,
    national_desk,
)
from vangnet.testing.reports import transferred_report

pytestmark = pytest.mark.django_db


def system(organisation: PartnerOrganisation) -> PartnerClient:
    token, _key = create_token(organisation=organisation, name="koppeling")
    return PartnerClient(token)


def test_a_handover_is_the_requesting_volunteers_and_their_helplines_systems():
    kindertelefoon = helpline()
    volunteer = make_user(
        Role.HELPLINE_VOLUNTEER, region=national_desk(), organisation=kindertelefoon
    )
    colleague = make_user(
        Role.HELPLINE_VOLUNTEER, region=national_desk(), organisation=kindertelefoon
    )
    handover = HandoverFactory.create(organisation=kindertelefoon, requested_by=volunteer)
    other_helpline = PartnerOrganisationFactory.create(kind=PartnerOrganisation.Kind.HELPLINE)

    assert owns_handover(volunteer, handover)
    assert not owns_handover(colleague, handover)  # a colleague's child is not theirs to follow
    assert list(scope_own_handovers(Handover.objects.all(), volunteer)) == [handover]
    assert not scope_own_handovers(Handover.objects.all(), colleague).exists()
    assert list(scope_own_handovers(Handover.objects.all(), system(kindertelefoon))) == [handover]
    assert owns_handover(system(kindertelefoon), handover)
    assert not owns_handover(system(other_helpline), handover)
    # Without the role (or the kind) the record does not matter.
    volunteer.memberships.all().delete()
    assert not owns_handover(User.objects.get(pk=volunteer.pk), handover)
    school = PartnerOrganisationFactory.create(kind=PartnerOrganisation.Kind.SCHOOL)
    assert not owns_handover(system(school), HandoverFactory.create(organisation=school))


def test_a_transfer_is_the_receiving_teams_only_once_transferred():
    region = RegionFactory.create()
    team = PartnerOrganisationFactory.create(region=region)
    other_team = PartnerOrganisationFactory.create(region=region)
    report = transferred_report(region, team)
    member = make_user(Role.LOCAL_TEAM_MEMBER, region=region, organisation=team)
    other_member = make_user(Role.LOCAL_TEAM_MEMBER, region=region, organisation=other_team)

    assert owns_transfer(member, report) and owns_transfer(system(team), report)
    assert not owns_transfer(other_member, report)
    assert not owns_transfer(system(other_team), report)
    assert list(scope_own_transfers(Report.objects.all(), system(team))) == [report]
    assert not scope_own_transfers(Report.objects.all(), system(other_team)).exists()
    # A withdrawn transfer (no longer transferred) is nobody's.
    Report.objects.filter(pk=report.pk).update(transferred_at=None)
    report.refresh_from_db()
    assert not owns_transfer(member, report)
    assert not scope_own_transfers(Report.objects.all(), member).exists()
