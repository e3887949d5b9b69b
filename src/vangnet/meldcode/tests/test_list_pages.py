"""The meldcode lists grow with the years: they page by key (ADR 0030), every record once,
in order, from either end; the records on each page are logged as seen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogRecord
from vangnet.meldcode import selectors, services
from vangnet.meldcode.models import AdviceRequest, MeldcodeRecord
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import make_user

from .factories import open_record, school

pytestmark = pytest.mark.django_db


def _links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    if nav is None:
        return {}
    return {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(r'<a href="([^"]*)"[^>]*>([^<]+)</a>', nav[0])
    }


def _walk(client: Client, path: str, *, start: str = "", forward: str = "Volgende"):
    pages, query = [], start
    while True:
        response = client.get(f"{path}{query}")
        assert response.status_code == 200
        pages.append([obj.pk for obj in response.context["page_obj"]])
        links = _links(response.content.decode())
        if forward not in links:
            return pages
        query = links[forward]
        assert len(pages) < 10


@pytest.fixture
def five_records(monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    s = school()
    records = [open_record(s.teacher, pseudonym=f"Kind {n}") for n in range(5)]
    now = timezone.now()
    for n, record in enumerate(records):
        MeldcodeRecord.objects.filter(pk=record.pk).update(updated_at=now - timedelta(hours=n))
    # Two changed at the same moment: the record number decides between them.
    MeldcodeRecord.objects.filter(pk=records[3].pk).update(updated_at=now - timedelta(hours=2))
    latest_first = list(
        MeldcodeRecord.objects.order_by("-updated_at", "-id").values_list("pk", flat=True)
    )
    return login_verified(Client(), s.contact_person), latest_first


def test_the_meldcode_overview_shows_every_record_once_last_changed_first(five_records):
    client, latest_first = five_records
    assert _walk(client, "/partner/meldcode/") == [
        latest_first[0:2],
        latest_first[2:4],
        latest_first[4:5],
    ]


def test_the_last_page_of_the_overview_and_back(five_records):
    client, latest_first = five_records
    last_link = _links(client.get("/partner/meldcode/").content.decode())["Laatste pagina"]
    pages = _walk(client, "/partner/meldcode/", start=last_link, forward="Vorige")
    assert pages == [latest_first[3:5], latest_first[1:3], latest_first[0:1]]


def test_an_edited_overview_address_shows_the_first_page(five_records):
    client, latest_first = five_records
    for query in ("?after=bm9uc2Vuc2U", "?before=%%%", "?page=2"):
        response = client.get(f"/partner/meldcode/{query}")
        assert [r.pk for r in response.context["page_obj"]] == latest_first[0:2]


def test_each_overview_page_logs_exactly_the_records_shown(five_records):
    client, latest_first = five_records
    first = client.get("/partner/meldcode/").content.decode()
    client.get(f"/partner/meldcode/{_links(first)['Volgende']}")
    logged = AccessLogRecord.objects.filter(object_type="meldcode.meldcoderecord").order_by("id")
    assert [int(r.object_id) for r in logged][-2:] == latest_first[2:4]


def test_the_call_back_queue_pages_urgent_first_then_longest_waiting(monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    s = school()
    requests = []
    for n in range(5):
        record = open_record(s.teacher, pseudonym=f"Kind {n}")
        requests.append(
            services.request_advice(
                record=record,
                by=s.teacher,
                summary=f"Vraag {n} over een leerling",
                callback_phone="030-1234567",
            )
        )
    now = timezone.now()
    for n, advice in enumerate(requests):
        AdviceRequest.objects.filter(pk=advice.pk).update(created_at=now - timedelta(hours=n))
    AdviceRequest.objects.filter(pk=requests[1].pk).update(is_urgent=True)
    desk = login_verified(Client(), make_user(Role.ADVICE_DESK, region=s.region))

    pages = _walk(desk, "/staff/advice-requests/", start="?show=open")

    expected = [requests[1].pk] + [r.pk for r in reversed(requests) if r is not requests[1]]
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]
