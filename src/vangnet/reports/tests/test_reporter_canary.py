"""The canary: a reporter named by a unique string, walked through every page, document, API
answer, e-mail and log line that each role can reach for that report. The string shows only
after the logged reveal, and only to the roles that may reveal (issue 12, hole 1).

Two reports carry the canary: one taken by phone, and one a professional submitted online
under her own account — her account's name is the reporter's name, so every place that
names "who did this step" is tested too.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from vangnet.accounts.models import Role
from vangnet.accounts.policy import GRANTS, Action
from vangnet.api.auth import create_token
from vangnet.audit.models import AccessLogEntry
from vangnet.contacts.models import Channel, Sector
from vangnet.reports import services
from vangnet.reports.models import Report
from vangnet.reports.services import ReporterDetails
from vangnet.reports.workflow import TriageOutcome
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    PartnerOrganisationFactory,
    RegionFactory,
    make_user,
    national_desk,
)
from vangnet.testing.reports import a_report

pytestmark = pytest.mark.django_db(transaction=False)

CANARY_NAME = "Kanarie Zq7Vx Melderdottir"
CANARY_EMAIL = "kanarie.zq7vx@school.example"
CANARY_PHONE = "06-98765432"
CANARY_ORGANISATION = "Basisschool Kanarie Zq7Vx"
CANARIES = (CANARY_NAME, "Zq7Vx", CANARY_EMAIL, CANARY_PHONE)

STAFF_ROLES = [
    Role.ADVICE_DESK,
    Role.TRIAGE,
    Role.BEHAVIOURAL_SCIENTIST,
    Role.INVESTIGATOR,
    Role.MONITORING,
    Role.TEAM_LEAD,
    Role.PRIVACY_OFFICER,
    Role.FUNCTIONAL_ADMIN,
]
MAY_REVEAL = {role for role, actions in GRANTS.items() if Action.VIEW_REPORTER_IDENTITY in actions}

REPORTER = ReporterDetails(
    name=CANARY_NAME,
    is_professional=True,
    organisation=CANARY_ORGANISATION,
    sector=Sector.EDUCATION,
    phone=CANARY_PHONE,
    email=CANARY_EMAIL,
    anonymous_to_family=True,
)


def leaks(text: str) -> list[str]:
    return [canary for canary in CANARIES if canary.lower() in text.lower()]


class World:
    def __init__(self) -> None:
        self.region = RegionFactory.create(code="VT09", name="Utrecht", accepts_online_reports=True)
        self.team = PartnerOrganisationFactory.create(region=self.region, name="Wijkteam Oost")
        self.triage = make_user(Role.TRIAGE, region=self.region, username="triage")
        self.scientist = make_user(Role.BEHAVIOURAL_SCIENTIST, region=self.region)
        # The professional who reports online: her account carries the reporter's name.
        first, last = CANARY_NAME.split(" ", 1)
        school = PartnerOrganisationFactory.create(
            region=self.region, name=CANARY_ORGANISATION, kind="school"
        )
        self.professional = make_user(
            Role.PROFESSIONAL,
            region=self.region,
            username="kanarie",
            first_name=first,
            last_name=last,
            email=CANARY_EMAIL,
            phone_number=CANARY_PHONE,
            organisation=school,
        )
        self.by_phone = a_report(self.region, by=self.triage, reporter=REPORTER).report
        self.online = a_report(
            self.region, by=self.professional, channel=Channel.WRITTEN, reporter=REPORTER
        ).report
        self.transfer(self.by_phone)
        self.transfer(self.online)
        self.local_team_member = make_user(
            Role.LOCAL_TEAM_MEMBER, region=self.region, organisation=self.team
        )
        _token, self.api_key = create_token(organisation=self.team, name="wijkteam-systeem")

    def transfer(self, report: Report) -> None:
        report = services.record_safety_assessment(
            report=report,
            by=self.triage,
            acute_unsafety=False,
            structural_unsafety=True,
            assessment="Herhaald letsel gezien op school.",
        )
        report = services.record_triage_decision(
            report=report,
            by=self.triage,
            outcome=TriageOutcome.LOCAL_TEAM,
            rationale="Via het wijkteam.",
        )
        report = services.approve_triage(report=report, by=self.scientist)
        services.transfer_report(
            report=report, to_team=self.team, by=self.triage, summary="Opvoedsteun nodig."
        )

    @property
    def reports(self) -> list[Report]:
        return [self.by_phone, self.online]


@pytest.fixture
def world(caplog, django_capture_on_commit_callbacks) -> World:
    caplog.set_level(logging.DEBUG)
    # Mail and reminders leave after the commit; run those callbacks, as production does.
    with django_capture_on_commit_callbacks(execute=True):
        return World()


def staff_pages(world: World) -> list[str]:
    pages = ["/staff/", "/staff/reports/", "/staff/reports/deadlines/", "/staff/access-log/"]
    for report in world.reports:
        pages += [
            f"/staff/reports/{report.pk}/",
            f"/staff/reports/{report.pk}/transfer.pdf",
            f"/staff/access-log/?object_type=reports.report&object_id={report.pk}",
        ]
    return pages


def body(response) -> str:
    content = response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return content.decode("latin-1")
    return content.decode(errors="replace")


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_no_staff_page_names_the_reporter_before_the_reveal(world, role, caplog):
    user = make_user(role, region=world.region)
    client = login_verified(Client(), user)

    for path in staff_pages(world):
        response = client.get(path)
        assert response.status_code in (200, 403, 404), path
        assert leaks(body(response)) == [], f"{role} sees the reporter on {path}"

    assert leaks("\n".join(r.getMessage() for r in caplog.records)) == []


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_the_reporter_shows_only_after_the_logged_reveal_to_roles_that_may(world, role):
    user = make_user(role, region=world.region)
    client = login_verified(Client(), user)

    for report in world.reports:
        response = client.post(
            f"/staff/reports/{report.pk}/reporter/", {"reason": "Melder terugbellen"}
        )
        revealed = leaks(body(response))
        if role in MAY_REVEAL:
            assert response.status_code == 200
            assert CANARY_NAME in revealed
            assert AccessLogEntry.objects.filter(
                user_id=user.pk,
                object_type="reports.reporter",
                reason="Melder terugbellen",
            ).exists()
        else:
            assert response.status_code == 403
            assert revealed == []
        # The reveal is for that one answer: the page does not keep showing it.
        assert leaks(body(client.get(f"/staff/reports/{report.pk}/"))) == []


def test_the_journal_names_an_online_reporter_by_role(world):
    client = login_verified(Client(), make_user(Role.TRIAGE, region=world.region))

    page = body(client.get(f"/staff/reports/{world.online.pk}/"))

    assert "Professional (Onderwijs): Melding ontvangen" in page
    assert leaks(page) == []


def test_the_receiving_team_never_sees_the_reporter(world, caplog):
    client = login_verified(Client(), world.local_team_member)
    paths = ["/partner/transfers/"]
    for report in world.reports:
        paths += [
            f"/partner/transfers/{report.pk}/",
            f"/partner/transfers/{report.pk}/document.pdf",
        ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert leaks(body(response)) == [], path
    for report in world.reports:
        client.post(f"/partner/transfers/{report.pk}/accept/")

    api = Client(HTTP_AUTHORIZATION=f"Token {world.api_key}")
    response = api.get("/api/v1/transfers/")
    assert response.status_code == 200
    assert leaks(response.content.decode()) == []
    assert leaks("\n".join(r.getMessage() for r in caplog.records)) == []


def test_mail_and_the_status_page_hold_no_identity(world, settings, caplog):
    # The reporter's own mail goes to her address; its text names nobody.
    assert mail.outbox, "the reporter gets a receipt"
    for message in mail.outbox:
        assert leaks(f"{message.subject}\n{message.body}") == []
    links = re.findall(r"https?://\S+/melding/\S+", "\n".join(str(m.body) for m in mail.outbox))
    assert links
    for link in links:
        response = Client().get(urlsplit(link).path, follow=True)
        assert response.status_code == 200
        assert leaks(body(response)) == []
    assert leaks("\n".join(r.getMessage() for r in caplog.records)) == []


def test_development_mail_is_kept_out_of_the_server_log(tmp_path, settings, caplog):
    from vangnet.core.mail import DevelopmentMailBackend

    caplog.set_level(logging.DEBUG)
    backend = DevelopmentMailBackend(file_path=str(tmp_path))
    message = mail.EmailMessage(
        "Uw melding", "Uw link: https://vangnet.example/melding/MLD-1/geheim123/", to=[CANARY_EMAIL]
    )

    assert backend.send_messages([message]) == 1

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert leaks(logged) == [] and "geheim123" not in logged
    stored = "".join(p.read_text() for p in tmp_path.iterdir())
    assert "geheim123" in stored  # a developer still finds the mail


def test_the_national_privacy_officer_sees_no_identity_in_the_log(world):
    officer = make_user(Role.NATIONAL_PRIVACY_OFFICER, region=national_desk())
    client = login_verified(Client(), officer)
    reveal = make_user(Role.TRIAGE, region=world.region)
    login_verified(Client(), reveal).post(
        f"/staff/reports/{world.by_phone.pk}/reporter/", {"reason": "Melder terugbellen"}
    )

    page = body(client.get("/staff/access-log/"))

    assert "reports.reporter" in page
    assert leaks(page) == []


def test_every_role_of_the_walk_is_a_staff_role():
    # The walk must grow with the roles: a new staff role gets walked too.
    from vangnet.accounts.models import STAFF_ROLES as ALL_STAFF

    assert set(ALL_STAFF) - {Role.NATIONAL_PRIVACY_OFFICER} == set(STAFF_ROLES)
