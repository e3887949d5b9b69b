"""Requests of the people involved (issue 17): who may ask for whom, the reviewed copy that
never holds the reporter, correction and own statement in every later document, and a
destruction carried out or refused with its ground."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.core.pdf import render
from vangnet.reports.models import JournalEntry, Report
from vangnet.reports.transfer_document import transfer_pdf
from vangnet.rights import services
from vangnet.rights.copy import copy_document
from vangnet.rights.models import CopyPassage, Release, RequestState, SubjectRequest
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import RegionFactory, make_user
from vangnet.testing.reports import CHILD, FATHER, SCHOOL_REPORTER, a_report

pytestmark = pytest.mark.django_db

# A reporter named by a string found nowhere else, to prove no trace of them leaves.
CANARY = "Zwaluwstaart-Qx7"


def _world():
    region = RegionFactory.create()
    reporter = replace(SCHOOL_REPORTER, name=f"Juf {CANARY}", organisation="OBS Kanarie")
    report = a_report(
        region,
        reporter=reporter,
        concerns=f"Juf {CANARY} zag blauwe plekken bij Sem.",
        signals="Sem is stil en schrikt van harde geluiden.",
    ).report
    officer = make_user(Role.PRIVACY_OFFICER, region=region)
    return region, report, officer


def _new(report: Report, kind: str, **extra) -> services.NewRequest:
    child = report.persons.get(role="child")
    values = {
        "kind": kind,
        "person": child,
        "requester": "parent",
        "requester_name": "Mirjam Jansen",
        "received_on": timezone.localdate(),
    }
    values.update(extra)
    return services.NewRequest(**values)  # type: ignore[arg-type]  # test values


def _release_all(item: SubjectRequest, by) -> SubjectRequest:
    decisions = {
        p.pk: (Release.WITHHOLD, "Gegevens van een ander")
        if p.about_other
        else (Release.RELEASE, "")
        for p in item.passages.filter(reveals_reporter=False)
    }
    decisions |= {
        p.pk: (Release.WITHHOLD, "Bescherming van de melder")
        for p in item.passages.filter(reveals_reporter=True)
    }
    services.review_passages(subject_request=item, by=by, decisions=decisions)
    return services.release_copy(subject_request=item, by=by)


def test_parents_ask_for_a_child_under_16_and_a_child_over_12_is_heard_first():
    _region, report, officer = _world()
    child = report.persons.get(role="child")  # born 2016-04-12
    with pytest.raises(services.RequestError) as refused:
        services.register_request(
            report=report, by=officer, new=_new(report, "copy", requester="self")
        )
    assert "ouders" in refused.value.errors["requester"][0]

    teen_day = timezone.localdate()
    child.date_of_birth = teen_day - timedelta(days=13 * 366)
    child.save(update_fields=["date_of_birth"])
    with pytest.raises(services.RequestError) as not_heard:
        services.register_request(
            report=report, by=officer, new=_new(report, "copy", received_on=teen_day)
        )
    assert "ouder dan 12" in not_heard.value.errors["child_consulted"][0]

    item = services.register_request(
        report=report,
        by=officer,
        new=_new(report, "copy", received_on=teen_day, child_consulted="Sem vindt het goed."),
    )
    assert item.due_on == teen_day + timedelta(weeks=4)
    assert item.child_consulted == "Sem vindt het goed."


def test_the_copy_holds_the_childs_data_and_no_trace_of_the_reporter():
    _region, report, officer = _world()
    item = services.register_request(report=report, by=officer, new=_new(report, "copy"))
    concerns = item.passages.get(heading="Zorgen")
    assert concerns.reveals_reporter  # the reporter is named in it
    with pytest.raises(services.RequestError) as refused:
        services.review_passages(
            subject_request=item, by=officer, decisions={concerns.pk: (Release.RELEASE, "")}
        )
    assert "melder" in refused.value.errors[f"passage-{concerns.pk}"][0]
    with pytest.raises(services.RequestError):
        services.release_copy(subject_request=item, by=officer)  # not every passage reviewed

    item = _release_all(item, officer)
    assert item.state == RequestState.PARTLY
    pdf = render(copy_document(item))
    assert CHILD.name.encode() in pdf
    assert b"schrikt van harde geluiden" in pdf
    for trace in (CANARY, "Kanarie", SCHOOL_REPORTER.phone, SCHOOL_REPORTER.email):
        assert trace.encode() not in pdf
    assert FATHER.name.encode() not in pdf  # another person's data, not marked shareable


def test_another_persons_data_is_released_only_when_marked_shareable_with_a_reason():
    _region, report, officer = _world()
    item = services.register_request(report=report, by=officer, new=_new(report, "copy"))
    father = item.passages.get(about_other=True)
    with pytest.raises(services.RequestError):
        services.review_passages(
            subject_request=item, by=officer, decisions={father.pk: (Release.RELEASE, "")}
        )
    services.review_passages(
        subject_request=item,
        by=officer,
        decisions={father.pk: (Release.RELEASE, "Vader stemt in met delen")},
    )
    father.refresh_from_db()
    assert father.decision == Release.RELEASE


def test_a_correction_and_an_own_statement_appear_in_the_next_copy_and_the_transfer():
    _region, report, officer = _world()
    correction = services.register_request(
        report=report, by=officer, new=_new(report, "correction")
    )
    services.correct(
        subject_request=correction,
        by=officer,
        field_name="signals",
        new_text="Sem is soms stil; hij schrikt niet.",
    )
    statement = services.register_request(report=report, by=officer, new=_new(report, "statement"))
    services.add_statement(
        subject_request=statement, by=officer, text="Moeder: de plekken komen van voetbal."
    )
    old = JournalEntry.objects.get(report=report, step="correct_file")
    assert "schrikt van harde geluiden" in old.text  # the old text stays in the history

    item = _release_all(
        services.register_request(report=report, by=officer, new=_new(report, "copy")), officer
    )
    pdf = render(copy_document(item))
    signals = pdf.split(b"(Signalen)")[1].split(b"(Journaal")[0]
    assert b"hij schrikt niet" in signals and b"harde geluiden" not in signals
    assert b"de plekken komen van voetbal" in pdf
    transfer = transfer_pdf(Report.objects.get(pk=report.pk))
    assert b"de plekken komen van voetbal" in transfer


def test_a_destruction_is_refused_with_its_ground_or_carried_out_without_a_trace():
    _region, report, officer = _world()
    services.register_request(report=report, by=officer, new=_new(report, "copy"))
    refused = services.register_request(report=report, by=officer, new=_new(report, "destruction"))
    with pytest.raises(services.RequestError) as no_ground:
        services.decide(
            subject_request=refused, by=officer, grant=False, ground="", grounds_text="Nee."
        )
    assert "grond" in no_ground.value.errors["ground"][0]
    services.decide(
        subject_request=refused,
        by=officer,
        grant=False,
        ground="other_interest",
        grounds_text="Het kind heeft er belang bij dat het dossier blijft.",
    )
    refused.refresh_from_db()
    assert (refused.state, refused.refusal_ground) == (RequestState.REFUSED, "other_interest")
    assert Report.objects.filter(pk=report.pk).exists()

    Report.objects.filter(pk=report.pk).update(legal_hold=True)
    held = services.register_request(report=report, by=officer, new=_new(report, "destruction"))
    with pytest.raises(services.RequestError):
        services.decide(subject_request=held, by=officer, grant=True, ground="", grounds_text="Ja")
    Report.objects.filter(pk=report.pk).update(legal_hold=False)

    services.decide(subject_request=held, by=officer, grant=True, ground="", grounds_text="Ja.")
    assert not Report.objects.filter(pk=report.pk).exists()
    held.refresh_from_db()
    assert held.state == RequestState.DONE and held.report is None
    assert not CopyPassage.objects.exists()  # nothing of the file stays in the requests
    entry = AccessLogEntry.objects.get(action=AccessLogAction.DELETE)
    assert entry.object_id == str(report.pk) and CHILD.name not in entry.reason


def test_only_the_regions_privacy_officer_and_team_lead_handle_requests():
    region, report, _officer = _world()
    for outsider in (
        make_user(Role.TRIAGE, region=region),
        make_user(Role.PRIVACY_OFFICER, region=RegionFactory.create()),
    ):
        with pytest.raises(services.AccessDenied):
            services.register_request(report=report, by=outsider, new=_new(report, "copy"))
    lead = make_user(Role.TEAM_LEAD, region=region)
    assert services.register_request(report=report, by=lead, new=_new(report, "inspection"))


def test_the_copy_download_is_logged_as_an_export():
    _region, report, officer = _world()
    item = _release_all(
        services.register_request(report=report, by=officer, new=_new(report, "copy")), officer
    )
    browser = login_verified(Client(), officer)
    response = browser.get(f"/staff/rights/requests/{item.pk}/copy.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert CANARY.encode() not in response.content
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.EXPORT, object_id=str(item.pk)
    ).exists()
