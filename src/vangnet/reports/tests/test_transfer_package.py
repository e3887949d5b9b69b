"""One package of what leaves Veilig Thuis on a transfer: the API and the document agree."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client

from vangnet.api.auth import create_token
from vangnet.reports.api import TransferSerializer
from vangnet.reports.transfer_document import transfer_pdf
from vangnet.reports.transfer_package import TransferPackage, transfer_package
from vangnet.testing.factories import PartnerOrganisationFactory, RegionFactory
from vangnet.testing.reports import SCHOOL_REPORTER, transferred_report

pytestmark = pytest.mark.django_db


def test_the_api_and_the_document_carry_the_same_package():
    region = RegionFactory.create()
    team = PartnerOrganisationFactory.create(region=region)
    report = transferred_report(region, team)
    package = transfer_package(report)
    _token, key = create_token(organisation=team, name="systeem")

    answer = Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/transfers/").json()
    pdf = transfer_pdf(report).decode("latin-1")

    assert [t["reference"] for t in answer] == [package.reference]
    assert [p["name"] for p in answer[0]["persons"]] == [p.name for p in package.persons]
    assert answer[0]["summary"] == package.summary
    for person in package.persons:
        assert person.name in pdf
    assert package.summary in pdf
    assert SCHOOL_REPORTER.name not in pdf + str(answer)


def test_every_field_the_api_sends_is_a_field_of_the_package():
    package_fields = {f.name for f in dataclasses.fields(TransferPackage)} | {"status"}
    renamed = {"safety_conditions": "conditions"}

    for name in TransferSerializer().fields:
        assert renamed.get(str(name), str(name)) in package_fields, name
