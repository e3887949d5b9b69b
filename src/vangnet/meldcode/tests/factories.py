"""Builders for meldcode tests: a school in a region with its teacher and contact person."""

from __future__ import annotations

from dataclasses import dataclass

from vangnet.accounts.models import Role, User
from vangnet.meldcode import services
from vangnet.meldcode.models import MeldcodeRecord
from vangnet.regions.models import PartnerOrganisation, Region
from vangnet.testing.factories import PartnerOrganisationFactory, RegionFactory, make_user


@dataclass
class School:
    region: Region
    organisation: PartnerOrganisation
    teacher: User
    colleague: User
    contact_person: User


def school(region: Region | None = None, name: str = "Basisschool De Regenboog") -> School:
    region = region or RegionFactory.create()
    organisation: PartnerOrganisation = PartnerOrganisationFactory.create(
        name=name, kind=PartnerOrganisation.Kind.SCHOOL, region=region
    )
    return School(
        region=region,
        organisation=organisation,
        teacher=make_user(
            Role.PROFESSIONAL,
            region=region,
            organisation=organisation,
            first_name="Lisa",
            phone_number="030-1234567",
        ),
        colleague=make_user(Role.PROFESSIONAL, region=region, organisation=organisation),
        contact_person=make_user(
            Role.MELDCODE_CONTACT_PERSON, region=region, organisation=organisation
        ),
    )


def open_record(by: User, **kwargs: object) -> MeldcodeRecord:
    values: dict[str, object] = {
        "sector": "education",
        "pseudonym": "Leerling groep 5",
        "concern": "Komt steeds met blauwe plekken op school en wil niet naar huis.",
        "forms_of_violence": ["physical_abuse"],
    }
    values.update(kwargs)
    return services.open_record(by=by, **values)  # type: ignore[arg-type]  # test values of mixed types
