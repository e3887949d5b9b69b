"""The registers page by key (ADR 0030): every record once, in order, from either end, and
the records on each page logged as seen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogRecord
from vangnet.contacts import selectors as contact_selectors
from vangnet.reports import selectors
from vangnet.reports.models import Report
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import ContactFactory, RegionFactory, make_user
from vangnet.testing.reports import a_report

pytestmark = pytest.mark.django_db


def _links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    if nav is None:
        return {}
    return {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(r'<a href="([^"]*)"[^>]*>([^<]+)</a>', nav.group(0))
    }


def _walk(client: Client, path: str, *, start: str = "", forward: str = "Volgende"):
    """The pages met following one link from `start` until it is gone."""
    pages = []
    query = start
    while True:
        response = client.get(f"{path}{query}")
        assert response.status_code == 200
        pages.append([obj.pk for obj in response.context["page_obj"]])
        links = _links(response.content.decode())
        if forward not in links:
            return pages
        query = links[forward]
        assert len(pages) < 20


@pytest.fixture
def eight_reports(monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    region = RegionFactory.create()
    reports = [a_report(region).report for _ in range(8)]
    # Two received at the same moment: the record number decides between them.
    moment = timezone.now() - timedelta(days=1)
    Report.objects.filter(pk__in=[reports[2].pk, reports[5].pk]).update(received_at=moment)
    newest_first = list(
        Report.objects.filter(region=region)
        .order_by("-received_at", "-id")
        .values_list("pk", flat=True)
    )
    lead = make_user(Role.TEAM_LEAD, region=region)
    return login_verified(Client(), lead), newest_first


def test_the_register_shows_every_report_once_newest_first_page_by_page(eight_reports):
    client, newest_first = eight_reports
    pages = _walk(client, "/staff/reports/")
    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:8]]


def test_the_last_page_holds_the_oldest_and_previous_leads_back_to_the_newest(eight_reports):
    client, newest_first = eight_reports
    first = client.get("/staff/reports/").content.decode()
    last_link = _links(first)["Laatste pagina"]
    pages = _walk(client, "/staff/reports/", start=last_link, forward="Vorige")
    assert pages == [newest_first[5:8], newest_first[2:5], newest_first[0:2]]
    last = client.get(f"/staff/reports/{last_link}").content.decode()
    assert "Volgende" not in _links(last) and "Eerste pagina" in _links(last)


def test_a_filter_stays_on_while_paging(eight_reports):
    client, newest_first = eight_reports
    pages = _walk(client, "/staff/reports/?state=received")
    assert [pk for page in pages for pk in page] == newest_first


def test_an_edited_page_address_shows_the_first_page(eight_reports):
    client, newest_first = eight_reports
    for query in ("?after=bm9uc2Vuc2U", "?before=%%%", "?after=WyJ4IiwiMSJd", "?page=7"):
        response = client.get(f"/staff/reports/{query}")
        assert response.status_code == 200
        assert [r.pk for r in response.context["page_obj"]] == newest_first[0:3]


def test_each_page_logs_exactly_the_reports_shown(eight_reports):
    client, newest_first = eight_reports
    first = client.get("/staff/reports/").content.decode()
    client.get(f"/staff/reports/{_links(first)['Volgende']}")
    logged = AccessLogRecord.objects.filter(object_type="reports.report").order_by("id")
    assert [int(r.object_id) for r in logged][-3:] == newest_first[3:6]


def test_the_page_address_carries_no_personal_data(eight_reports):
    client, _ = eight_reports
    html = client.get("/staff/reports/").content.decode()
    for href in _links(html).values():
        assert "Jansen" not in href and "Lindelaan" not in href


def test_the_contact_register_pages_the_same_way(monkeypatch):
    monkeypatch.setattr(contact_selectors, "PAGE_SIZE", 2)
    region = RegionFactory.create()
    now = timezone.now()
    contacts = [
        ContactFactory.create(region=region, received_at=now - timedelta(hours=i)) for i in range(5)
    ]
    user = make_user(Role.ADVICE_DESK, region=region)
    client = login_verified(Client(), user)
    pages = _walk(client, "/staff/contacts/")
    assert pages == [[c.pk for c in contacts[0:2]], [c.pk for c in contacts[2:4]], [contacts[4].pk]]


def test_the_deadlines_overview_pages_soonest_first_and_counts_every_section(monkeypatch):
    from vangnet.reports.deadlines import current_deadline

    monkeypatch.setattr(selectors, "DEADLINE_PAGE_SIZE", 2)
    region = RegionFactory.create()
    now = timezone.now()
    acute = a_report(region, is_acute=True, received_at=now - timedelta(hours=25)).report
    late = [a_report(region).report for _ in range(2)]
    Report.objects.filter(pk__in=[r.pk for r in late]).update(assessment_due_on="2020-01-06")
    fresh = [a_report(region).report for _ in range(2)]
    closed = a_report(region).report
    Report.objects.filter(pk=closed.pk).update(state="closed")
    lead = make_user(Role.TEAM_LEAD, region=region)
    client = login_verified(Client(), lead)

    pages = _walk(client, "/staff/reports/deadlines/")

    def soonest_first(report: Report) -> tuple[object, ...]:
        deadline = current_deadline(report)
        assert deadline is not None
        return (deadline.due_on, deadline.due_at is None, report.pk)

    expected = sorted(
        Report.objects.filter(pk__in=[acute.pk, *[r.pk for r in late + fresh]]),
        key=soonest_first,
    )
    assert [pk for page in pages for pk in page] == [r.pk for r in expected]
    assert all(len(page) <= 2 for page in pages)
    first = client.get("/staff/reports/deadlines/").content.decode()
    assert "Over de termijn (3)" in first and "Later (2)" in first
    assert "Staan op een andere pagina." in first  # the later two are not on this page
    assert str(closed.reference) not in "".join(
        client.get(f"/staff/reports/deadlines/{q}").content.decode() for q in ("", "?last=1")
    )


def test_the_access_log_search_pages_by_sequence_and_keeps_its_filter(monkeypatch):
    from vangnet.audit import selectors as audit_selectors
    from vangnet.audit.models import AccessLogAction, AccessLogEntry

    monkeypatch.setattr(audit_selectors, "PAGE_SIZE", 3)
    region = RegionFactory.create()
    contacts = [ContactFactory.create(region=region) for _ in range(4)]
    advisor = make_user(Role.ADVICE_DESK, username="marieke", region=region)
    advisor_client = login_verified(Client(), advisor)
    for contact in contacts + contacts[:3]:
        assert advisor_client.get(f"/staff/contacts/{contact.pk}/").status_code == 200
    officer = make_user(Role.PRIVACY_OFFICER, region=region)
    client = login_verified(Client(), officer)

    pages = _walk(client, "/staff/access-log/?username=marieke&action=view")

    views = AccessLogEntry.objects.filter(username="marieke", action=AccessLogAction.VIEW)
    newest_first = list(views.order_by("-sequence").values_list("pk", flat=True))
    assert len(newest_first) == 7
    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:7]]
