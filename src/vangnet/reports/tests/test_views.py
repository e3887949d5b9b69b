from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from django.test import Client

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.contacts.models import Channel, DossierEvent
from vangnet.reports import public_views
from vangnet.reports.models import Report
from vangnet.reports.workflow import ReportState
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    ContactFactory,
    DossierPersonFactory,
    RegionFactory,
    make_user,
)
from vangnet.testing.reports import SCHOOL_REPORTER, a_report

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    return login_verified(Client(), user)


def _intake(**extra) -> dict[str, object]:
    body: dict[str, object] = {
        "channel": "phone",
        "reporter_is_professional": "on",
        "reporter_name": "Annemiek de Vries",
        "reporter_organisation": "Basisschool De Regenboog",
        "reporter_sector": "education",
        "reporter_phone": "030-1234567",
        "reporter_email": "a.devries@regenboog.example",
        "forms_of_violence": ["physical_abuse"],
        "concerns": "Blauwe plekken, wil niet naar huis.",
        "persons-TOTAL_FORMS": "2",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "1",
        "persons-MAX_NUM_FORMS": "12",
        "persons-0-role": "child",
        "persons-0-name": "Sem Jansen",
        "persons-0-date_of_birth": "2016-04-12",
        "persons-0-bsn": "111222333",
        "persons-1-role": "parent",
        "persons-1-name": "",
    }
    body.update(extra)
    return body


def test_triage_takes_a_report_by_phone_and_sees_the_status_link_once():
    region = RegionFactory.create()
    user = make_user(Role.TRIAGE, region=region)
    response = _client(user).post("/staff/reports/new/", _intake())
    assert response.status_code == 200
    report = Report.objects.get()
    assert response.context["status_url"].startswith("http")
    assert report.persons.count() == 1  # the empty second row is ignored
    assert report.reporter.name == "Annemiek de Vries"


def test_a_wrong_bsn_is_shown_at_its_field_and_nothing_is_saved():
    region = RegionFactory.create()
    user = make_user(Role.TRIAGE, region=region)
    response = _client(user).post("/staff/reports/new/", _intake(**{"persons-0-bsn": "123456789"}))
    assert response.status_code == 400
    assert "11-proef" in response.content.decode()
    assert not Report.objects.exists()


def test_intake_from_a_named_dossier_is_prefilled_and_converts_it():
    region = RegionFactory.create()
    user = make_user(Role.TRIAGE, region=region)
    person = DossierPersonFactory.create(
        dossier__region=region, name="Lisa Bakker", relation="child"
    )
    dossier = person.dossier
    ContactFactory.create(
        region=region, dossier=dossier, channel=Channel.PHONE, forms_of_violence=["neglect"]
    )
    client = _client(user)

    page = client.get(f"/staff/reports/new/?dossier={dossier.pk}")
    assert page.status_code == 200
    assert page.context["persons"].initial[0]["name"] == "Lisa Bakker"
    assert page.context["form"].initial["forms_of_violence"] == ["neglect"]

    response = client.post(
        f"/staff/reports/new/?dossier={dossier.pk}",
        _intake(**{"persons-0-name": "Lisa Bakker", "persons-0-bsn": ""}),
    )
    assert response.status_code == 200
    assert Report.objects.get().source_dossier == dossier
    assert dossier.events.filter(kind=DossierEvent.Kind.CONVERTED).exists()


def test_the_report_page_shows_earlier_history_and_logs_it():
    region = RegionFactory.create()
    user = make_user(Role.TRIAGE, region=region)
    earlier = a_report(region).report
    later = a_report(region).report
    response = _client(user).get(f"/staff/reports/{later.pk}/")
    assert response.status_code == 200
    assert earlier.reference in response.content.decode()
    assert AccessLogEntry.objects.filter(object_type="reports.history").exists()


def test_the_reporters_identity_is_shown_only_with_a_reason_and_logged():
    region = RegionFactory.create()
    report = a_report(region).report
    triage = make_user(Role.TRIAGE, region=region)
    client = _client(triage)

    page = client.get(f"/staff/reports/{report.pk}/").content.decode()
    assert SCHOOL_REPORTER.name not in page
    assert SCHOOL_REPORTER.organisation not in page

    refused = client.post(f"/staff/reports/{report.pk}/reporter/", {"reason": ""})
    assert refused.status_code == 400
    assert SCHOOL_REPORTER.name not in refused.content.decode()

    shown = client.post(
        f"/staff/reports/{report.pk}/reporter/", {"reason": "Terugbellen over afspraak"}
    )
    assert SCHOOL_REPORTER.name in shown.content.decode()
    entry = AccessLogEntry.objects.filter(
        object_type="reports.reporter", action=AccessLogAction.VIEW
    ).get()
    assert entry.user_id == triage.pk
    assert entry.reason == "Terugbellen over afspraak"


def test_monitoring_staff_never_see_the_reporters_identity():
    region = RegionFactory.create()
    report = a_report(region).report
    monitoring = make_user(Role.MONITORING, region=region)
    response = _client(monitoring).post(
        f"/staff/reports/{report.pk}/reporter/", {"reason": "Nieuwsgierig"}
    )
    assert response.status_code == 403
    assert SCHOOL_REPORTER.name not in response.content.decode()


def test_an_illegal_step_through_the_page_is_a_message_not_an_error():
    region = RegionFactory.create()
    report = a_report(region).report
    triage = make_user(Role.TRIAGE, region=region)
    response = _client(triage).post(
        f"/staff/reports/{report.pk}/steps/close_report/", {"reason": "Klaar"}, follow=True
    )
    assert response.status_code == 200
    assert "kan niet bij een melding met status" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED


def test_the_register_lists_filters_and_the_deadline_overview_shows_overdue():
    region = RegionFactory.create()
    report = a_report(region).report
    Report.objects.filter(pk=report.pk).update(assessment_due_on="2020-01-06")
    a_report(region)
    lead = make_user(Role.TEAM_LEAD, region=region)
    client = _client(lead)
    listed = client.get("/staff/reports/?state=received&overdue=on")
    assert [r.pk for r in listed.context["page_obj"].object_list] == [report.pk]
    overview = client.get("/staff/reports/deadlines/")
    assert [r.report.pk for r in overview.context["overdue"]] == [report.pk]


def test_a_local_team_member_accepts_in_the_partner_workspace():
    from vangnet.reports import services
    from vangnet.reports.tests.test_workflow import World, _triaged

    world = World()
    report = _triaged(world, "local_team")
    services.transfer_report(report=report, to_team=world.team, by=world.triage, summary="Info")
    client = _client(world.member)
    page = client.get(f"/partner/transfers/{report.pk}/")
    assert page.status_code == 200
    assert SCHOOL_REPORTER.name not in page.content.decode()
    other = _client(world.other_member).get(f"/partner/transfers/{report.pk}/")
    assert other.status_code == 403
    client.post(f"/partner/transfers/{report.pk}/accept/")
    report.refresh_from_db()
    assert report.state == ReportState.TRANSFERRED
    assert report.transfer_accepted_by == world.member


def test_the_transfer_pdf_holds_the_family_and_never_the_reporter():
    from vangnet.reports import services
    from vangnet.reports.tests.test_workflow import World, _triaged

    world = World()
    report = _triaged(world, "local_team")
    services.transfer_report(
        report=report, to_team=world.team, by=world.triage, summary="Gezin heeft steun nodig."
    )
    response = _client(world.triage).get(f"/staff/reports/{report.pk}/transfer.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert b"Sem Jansen" in pdf  # the document is readable: the check below means something
    assert b"steun nodig" in pdf
    for secret in (
        SCHOOL_REPORTER.name,
        SCHOOL_REPORTER.organisation,
        SCHOOL_REPORTER.phone,
        SCHOOL_REPORTER.email,
        "Regenboog",
    ):
        assert secret.encode() not in pdf


def test_the_team_system_accepts_through_the_api():
    from vangnet.api.auth import create_token
    from vangnet.reports import services
    from vangnet.reports.tests.test_workflow import World, _triaged

    world = World()
    report = _triaged(world, "local_team")
    services.transfer_report(report=report, to_team=world.team, by=world.triage, summary="Info")
    _token, key = create_token(organisation=world.team, name="Wijkteam-systeem")
    _other, other_key = create_token(organisation=world.other_team, name="Ander systeem")
    client = Client()

    listed = client.get("/api/v1/transfers/", HTTP_AUTHORIZATION=f"Token {key}")
    assert [t["reference"] for t in listed.json()] == [report.reference]
    assert SCHOOL_REPORTER.name not in listed.content.decode()
    assert client.get("/api/v1/transfers/", HTTP_AUTHORIZATION=f"Token {other_key}").json() == []
    refused = client.post(
        f"/api/v1/transfers/{report.pk}/accept", HTTP_AUTHORIZATION=f"Token {other_key}"
    )
    assert refused.status_code == 404  # as for a missing id: not the other team's to see
    accepted = client.post(
        f"/api/v1/transfers/{report.pk}/accept", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    report.refresh_from_db()
    assert report.state == ReportState.TRANSFERRED
    assert report.transfer_accepted_via == "api:Wijkteam Oost"
    again = client.post(f"/api/v1/transfers/{report.pk}/accept", HTTP_AUTHORIZATION=f"Token {key}")
    assert again.status_code == 400


def test_the_status_page_shows_who_handles_it_and_nothing_about_the_family():
    from vangnet.reports import services
    from vangnet.reports.tests.test_workflow import World, _triaged

    world = World()
    received = a_report(world.region, by=world.triage)
    link = urlsplit(received.status_url).path
    client = Client()
    opened = client.get(link)
    url = opened["Location"]
    first = client.get(url).content.decode()
    assert received.report.reference in first
    world.report = received.report
    report = _triaged(world, "local_team")
    services.transfer_report(report=report, to_team=world.team, by=world.triage, summary="Info")
    services.accept_transfer(report=report, by=world.member)

    page = client.get(url).content.decode()
    assert "Wijkteam Oost" in page
    for secret in ("Sem", "Jansen", "Lindelaan", "blauwe plekken", "Blauwe", SCHOOL_REPORTER.name):
        assert secret not in page
    assert client.get(link[:-5] + "xxxx/").status_code == 404


def test_the_status_link_trades_its_secret_for_a_short_session(settings):
    # The secret must not stay in the address bar or the history of a shared device.
    settings.REPORT_STATUS_SESSION_MINUTES = 15
    received = a_report(RegionFactory.create())
    link = urlsplit(received.status_url).path
    secret = link.rstrip("/").rsplit("/", 1)[1]
    client = Client()

    opened = client.get(link)

    assert opened.status_code == 302
    assert opened["Location"] == f"/melding/{received.report.reference}/"
    assert secret not in opened["Location"]
    page = client.get(opened["Location"])
    assert page.status_code == 200
    assert "Ontvangen" in page.text
    # Another browser, without the link, sees nothing; nor does this one after the session.
    assert Client().get(opened["Location"]).status_code == 404
    session = client.session
    granted = session[public_views.SESSION_KEY]
    until, generation = granted[received.report.reference]
    assert until - time.time() <= 15 * 60
    granted[received.report.reference] = [int(time.time()) - 1, generation]  # 15 minutes on
    session[public_views.SESSION_KEY] = granted
    session.save()
    later = client.get(opened["Location"])
    assert later.status_code == 404
    assert "Open de link uit de e-mail" in later.text


def test_a_report_is_handed_to_a_colleague_who_handles_reports():
    region = RegionFactory.create()
    lead = make_user(Role.TEAM_LEAD, region=region)
    investigator = make_user(Role.INVESTIGATOR, region=region)
    desk = make_user(Role.ADVICE_DESK, region=region)
    report = a_report(region).report
    client = _client(lead)

    refused = client.post(f"/staff/reports/{report.pk}/owner/", {"owner": desk.pk})
    assert refused.status_code == 400  # not on the list: the advice desk does not handle reports
    client.post(f"/staff/reports/{report.pk}/owner/", {"owner": investigator.pk})
    report.refresh_from_db()
    assert report.owner == investigator
    assert report.journal.filter(step="assign_report").exists()


def test_a_legal_hold_keeps_the_report_past_its_retention():
    region = RegionFactory.create()
    lead = make_user(Role.TEAM_LEAD, region=region)
    report = a_report(region).report
    _client(lead).post(
        f"/staff/reports/{report.pk}/legal-hold/",
        {"legal_hold": "on", "reason": "Ondertoezichtstelling loopt"},
    )
    report.refresh_from_db()
    assert report.legal_hold


def test_the_home_page_counts_open_and_overdue_reports_of_the_region():
    region = RegionFactory.create()
    late = a_report(region).report
    Report.objects.filter(pk=late.pk).update(assessment_due_on="2020-01-06")
    a_report(region)
    lead = make_user(Role.TEAM_LEAD, region=region)
    page = _client(lead).get("/staff/").content.decode()
    assert "2 open, waarvan 1 over de termijn." in page
    volunteer = make_user(Role.HELPLINE_VOLUNTEER, region=region)
    assert "over de termijn" not in _client(volunteer).get("/staff/").content.decode()


def test_notes_and_a_newly_found_person_go_into_the_report():
    region = RegionFactory.create()
    triage = make_user(Role.TRIAGE, region=region)
    report = a_report(region).report
    client = _client(triage)
    client.post(f"/staff/reports/{report.pk}/journal/", {"text": "Moeder gebeld; afspraak."})
    assert report.journal.filter(step="note", text="Moeder gebeld; afspraak.").exists()
    bad = client.post(
        f"/staff/reports/{report.pk}/persons/", {"role": "child", "name": "Zus", "bsn": "123"}
    )
    assert bad.status_code == 400
    assert "11-proef" in bad.content.decode()
    client.post(f"/staff/reports/{report.pk}/persons/", {"role": "child", "name": "Lieke Jansen"})
    assert report.persons.filter(name="Lieke Jansen").exists()
