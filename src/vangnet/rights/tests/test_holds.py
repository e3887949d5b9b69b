"""Legal holds on every kind of record the retention destroys, and an organisation's meldcode
term: who may (deny by default), the reason, the log, and what the record's page shows
(issue 17, ADR 0032)."""

from __future__ import annotations

import pytest
from django.test import Client

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.rights.models import HeldKind, LegalHold, OrganisationRetention
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    AdviceDossierFactory,
    ContactFactory,
    ConversationFactory,
    RegionFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

REASON = "Rechtszaak over het gezag: de rechtbank vraagt om bewaren"


def _open_record(by):
    from vangnet.meldcode.tests.factories import open_record

    return open_record(by)


def _school(region, name="Basisschool De Regenboog"):
    from vangnet.meldcode.tests.factories import school

    return school(region, name=name)


def _records(region):
    return {
        "dossier": AdviceDossierFactory.create(region=region),
        "contact": ContactFactory.create(region=region),
        "chat": ConversationFactory.create(region=region),
    }


# Veilig Thuis's own records: the team lead and the privacy officer of the region, no one else.
STAFF_MATRIX = [
    (Role.TEAM_LEAD, True),
    (Role.PRIVACY_OFFICER, True),
    (Role.ADVICE_DESK, False),
    (Role.TRIAGE, False),
    (Role.INVESTIGATOR, False),
    (Role.NATIONAL_PRIVACY_OFFICER, False),
    (Role.FUNCTIONAL_ADMIN, False),
    (Role.MELDCODE_CONTACT_PERSON, False),
]


@pytest.mark.parametrize(("role", "allowed"), STAFF_MATRIX)
@pytest.mark.parametrize("kind", ["dossier", "contact", "chat"])
def test_who_may_hold_a_dossier_a_contact_or_a_chat(kind, role, allowed):
    region = RegionFactory.create()
    record = _records(region)[kind]
    browser = login_verified(Client(), make_user(role, region=region))
    page = browser.get(f"/staff/rights/holds/{kind}/{record.pk}/")
    placed = browser.post(f"/staff/rights/holds/{kind}/{record.pk}/", {"reason": REASON})
    if allowed:
        assert page.status_code == 200
        assert placed.status_code == 302
        assert LegalHold.objects.filter(object_id=str(record.pk), lifted_at=None).count() == 1
    else:
        assert page.status_code == 403 and placed.status_code == 403
        assert not LegalHold.objects.exists()


def test_a_team_lead_of_another_region_may_not_hold():
    record = _records(RegionFactory.create())["dossier"]
    elsewhere = make_user(Role.TEAM_LEAD, region=RegionFactory.create())
    browser = login_verified(Client(), elsewhere)
    assert (
        browser.post(f"/staff/rights/holds/dossier/{record.pk}/", {"reason": REASON}).status_code
        == 403
    )
    assert AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).exists()


def test_an_unknown_kind_is_not_found():
    lead = make_user(Role.TEAM_LEAD)
    browser = login_verified(Client(), lead)
    assert browser.get("/staff/rights/holds/report/1/").status_code == 404


def test_a_hold_needs_a_reason_is_logged_shows_on_the_page_and_is_lifted_with_a_reason():
    region = RegionFactory.create()
    dossier = AdviceDossierFactory.create(region=region)
    lead = make_user(Role.TEAM_LEAD, region=region)
    browser = login_verified(Client(), lead)
    url = f"/staff/rights/holds/dossier/{dossier.pk}/"

    missing = browser.post(url, {"reason": " "})
    assert missing.status_code == 400
    assert "Geef de reden" in missing.text

    assert browser.post(url, {"reason": REASON}).status_code == 302
    entry = AccessLogEntry.objects.filter(action=AccessLogAction.CHANGE).latest("id")
    assert entry.object_type == "contacts.advicedossier" and REASON in entry.reason
    page = browser.get(f"/staff/contacts/dossiers/{dossier.pk}/")
    assert "Bewaarplicht: niet vernietigen" in page.text
    desk = login_verified(Client(), make_user(Role.ADVICE_DESK, region=region))
    seen_by_desk = desk.get(f"/staff/contacts/dossiers/{dossier.pk}/")
    assert "Bewaarplicht: niet vernietigen" in seen_by_desk.text
    assert "Bewaarplicht beheren" not in seen_by_desk.text

    hold = LegalHold.objects.get()
    no_reason = browser.post(url, {"lift": hold.pk, "lift_reason": ""})
    assert no_reason.status_code == 400
    assert browser.post(url, {"lift": hold.pk, "lift_reason": "Zaak afgerond"}).status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == lead
    assert (
        "Bewaarplicht: niet vernietigen"
        not in browser.get(f"/staff/contacts/dossiers/{dossier.pk}/").text
    )


def test_only_the_organisations_contact_person_holds_its_meldcode_records():
    region = RegionFactory.create()
    school = _school(region)
    record = _open_record(school.teacher)
    url = f"/staff/rights/holds/meldcode/{record.pk}/"
    other_school = _school(region, name="Basisschool Het Anker")
    teacher = login_verified(Client(), school.teacher)
    for browser, allowed in [
        (login_verified(Client(), school.contact_person), True),
        (teacher, False),  # the professional: the organisation decides
        (login_verified(Client(), other_school.contact_person), False),
        (login_verified(Client(), make_user(Role.TEAM_LEAD, region=region)), False),
        (login_verified(Client(), make_user(Role.PRIVACY_OFFICER, region=region)), False),
    ]:
        response = browser.post(url, {"reason": REASON})
        assert response.status_code == (302 if allowed else 403)
    (hold,) = LegalHold.objects.all()
    assert hold.object_type == HeldKind.MELDCODE_RECORD
    page = teacher.get(f"/partner/meldcode/{record.pk}/")
    assert "Bewaarplicht: niet vernietigen" in page.text


def test_the_meldcode_term_is_set_by_the_organisations_contact_person_within_a_sane_range():
    region = RegionFactory.create()
    school = _school(region)
    browser = login_verified(Client(), school.contact_person)
    page = browser.get("/staff/rights/meldcode-retention/")
    assert page.status_code == 200 and "20 jaar" in page.text  # the default (ADR 0031)

    for wrong in ("1", "31", "tien"):
        refused = browser.post("/staff/rights/meldcode-retention/", {"years": wrong})
        assert refused.status_code == 400
        assert "jaar" in refused.text
    assert not OrganisationRetention.objects.exists()

    assert browser.post("/staff/rights/meldcode-retention/", {"years": "15"}).status_code == 302
    term = OrganisationRetention.objects.get(organisation=school.organisation)
    assert term.meldcode_record_years == 15 and term.set_by == school.contact_person
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.CHANGE, reason__contains="15 jaar"
    ).exists()

    for user in (
        school.teacher,
        make_user(Role.PRIVACY_OFFICER, region=region),
        make_user(Role.TEAM_LEAD, region=region),
    ):
        denied = login_verified(Client(), user).post(
            "/staff/rights/meldcode-retention/", {"years": "3"}
        )
        assert denied.status_code == 403
    assert OrganisationRetention.objects.get().meldcode_record_years == 15
