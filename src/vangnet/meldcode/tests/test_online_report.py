"""A report sent from the meldcode assistant to the region's intake (reports.receive_report)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from vangnet.meldcode import services
from vangnet.meldcode.models import Decision, RecordStatus, ReportChannel
from vangnet.reports.models import Report
from vangnet.testing.auth import login_verified

from .factories import open_record, school

pytestmark = pytest.mark.django_db

FAMILY = services.FamilyDetails(
    child_name="Noor de Wit", address="Lindenlaan 4, Utrecht", parent_names=["Petra de Wit"]
)


def decided_to_report(s):
    record = open_record(s.teacher)
    services.add_signals(
        record=record,
        by=s.teacher,
        codes=["repeated_injury"],
        description="",
        observed_on=record.opened_at.date(),
    )
    for number in (1, 2):
        services.answer_question(
            record=record, by=s.teacher, question=number, answer=True, reasoning="Zorgen."
        )
    return services.record_decision(
        record=record, by=s.teacher, decision=Decision.REPORT, reasoning="Meldnorm."
    )


def test_the_report_arrives_at_the_intake_with_the_teacher_as_reporter():
    s = school()
    s.region.accepts_online_reports = True
    s.region.save()
    record = decided_to_report(s)
    record = services.submit_online_report(
        record=record, by=s.teacher, family=FAMILY, parents_informed="yes"
    )
    report = Report.objects.get()
    assert record.report == report
    assert record.status == RecordStatus.REPORTED
    assert record.report_channel == ReportChannel.ONLINE
    assert "/melding/" in record.report_status_url
    assert report.region == s.region
    assert report.reporter.name == s.teacher.display_name
    assert report.reporter.is_professional
    assert report.reporter.organisation == s.organisation.name
    assert {p.name for p in report.persons.all()} == {"Noor de Wit", "Petra de Wit"}
    assert "Herhaaldelijk letsel" in report.signals
    # The meldcode record stays pseudonymous: the names went to the report only.
    texts = " ".join(record.timeline.values_list("text", flat=True))
    assert "Noor" not in texts and "Noor" not in record.concern


def test_a_region_that_does_not_accept_online_reports_means_phone():
    s = school()
    record = decided_to_report(s)
    with pytest.raises(services.MeldcodeError, match="telefonisch"):
        services.submit_online_report(
            record=record, by=s.teacher, family=FAMILY, parents_informed="yes"
        )
    assert not Report.objects.exists()
    record.refresh_from_db()
    assert record.status == RecordStatus.OPEN


def test_no_online_report_without_the_decision_to_report():
    s = school()
    s.region.accepts_online_reports = True
    s.region.save()
    with pytest.raises(services.MeldcodeError):
        services.submit_online_report(
            record=open_record(s.teacher), by=s.teacher, family=FAMILY, parents_informed="yes"
        )
    assert not Report.objects.exists()


def test_the_record_links_to_the_reports_status_page():
    s = school()
    s.region.accepts_online_reports = True
    s.region.save()
    record = decided_to_report(s)
    client = login_verified(Client(), s.teacher)
    page = client.get(f"/partner/meldcode/{record.pk}/report/")
    assert "Verstuur de melding naar Veilig Thuis" in page.text
    response = client.post(
        f"/partner/meldcode/{record.pk}/report/online/",
        {"child_name": "Noor de Wit", "parents_informed": "not_safe", "anonymous_to_family": "on"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    detail = client.get(f"/partner/meldcode/{record.pk}/")
    assert "Bekijk de status van de melding" in detail.text
    assert record.report_status_url in detail.text
    assert Report.objects.get().reporter.anonymous_to_family
    empty = client.post(f"/partner/meldcode/{record.pk}/report/online/", {})
    assert empty.status_code == 400


def test_the_two_report_forms_share_no_element_id():
    # The phone form and the online form both ask whether the parents know: a label of one
    # must never tick a radio of the other (which made the online form refuse to send).
    s = school()
    s.region.accepts_online_reports = True
    s.region.save()
    record = decided_to_report(s)
    client = login_verified(Client(), s.teacher)
    for response in (
        client.get(f"/partner/meldcode/{record.pk}/report/"),
        client.post(f"/partner/meldcode/{record.pk}/report/online/", {}),
    ):
        ids = re.findall(r'\sid="([^"]+)"', response.text)
        assert "id_parents_informed_0" in ids
        assert [i for i in set(ids) if ids.count(i) > 1] == []
