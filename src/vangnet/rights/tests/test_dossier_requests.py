"""Requests of the people involved about an advice dossier (issue 17, ADR 0032): the same rules
as for a report, the same passages and PDF, and whoever asked advice stays out of the copy as
a reporter does."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.contacts.models import AdviceDossier, Contact, DossierCorrection
from vangnet.core.pdf import render
from vangnet.rights import services
from vangnet.rights.copy import copy_document
from vangnet.rights.models import (
    FileKind,
    HeldKind,
    LegalHold,
    Release,
    RequestState,
    SubjectRequest,
)
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import (
    AdviceDossierFactory,
    ContactFactory,
    DossierPersonFactory,
    RegionFactory,
    make_user,
)
from vangnet.testing.reports import a_report

pytestmark = pytest.mark.django_db

# The neighbour who asked advice, named by a string found nowhere else.
CANARY = "Merelzang-Vb4"


def _dossier():
    region = RegionFactory.create()
    dossier = AdviceDossierFactory.create(region=region, is_anonymous=False)
    child = DossierPersonFactory.create(
        dossier=dossier, name="Noor de Vries", date_of_birth=date(2015, 3, 1), relation="child"
    )
    mother = DossierPersonFactory.create(
        dossier=dossier, name="Anouk de Vries", relation="parent", address="Lindelaan 4"
    )
    ContactFactory.create(
        region=region,
        dossier=dossier,
        is_anonymous=False,
        asker_name=f"Henk {CANARY}",
        asker_phone="0612345678",
        summary="Noor komt vaak zonder jas en zonder eten naar buiten.",
        advice_given=f"Geadviseerd aan {CANARY}: blijf contact houden met Noor.",
        participants="buurman",
    )
    officer = make_user(Role.PRIVACY_OFFICER, region=region)
    return dossier, child, mother, officer


def _new(person, kind: str, **extra) -> services.NewRequest:
    values = {
        "kind": kind,
        "person": person,
        "requester": "parent",
        "requester_name": "Anouk de Vries",
        "received_on": timezone.localdate(),
    }
    values.update(extra)
    return services.NewRequest(**values)


def _release_all(item: SubjectRequest, by) -> SubjectRequest:
    decisions = {
        p.pk: (Release.WITHHOLD, "Gegevens van een ander")
        if p.about_other or p.reveals_reporter
        else (Release.RELEASE, "")
        for p in item.passages.all()
    }
    services.review_passages(subject_request=item, by=by, decisions=decisions)
    return services.release_copy(subject_request=item, by=by)


def test_a_copy_of_an_advice_dossier_holds_the_childs_data_and_never_who_asked():
    dossier, child, _mother, officer = _dossier()
    item = services.register_dossier_request(dossier=dossier, by=officer, new=_new(child, "copy"))
    assert item.file_kind == FileKind.DOSSIER and item.report_reference == dossier.reference
    passages = {p.heading: p for p in item.passages.all()}
    assert any("Noor de Vries" in p.text for p in passages.values())
    other = next(p for p in passages.values() if "Anouk" in p.text)
    assert other.about_other
    advice = next(p for p in passages.values() if p.heading.startswith("Gegeven advies"))
    assert advice.reveals_reporter  # names the one who asked: never released
    assert not any("buurman" in p.text or "0612345678" in p.text for p in passages.values())

    with pytest.raises(services.RequestError):
        services.review_passages(
            subject_request=item, by=officer, decisions={advice.pk: (Release.RELEASE, "mag")}
        )
    done = _release_all(item, officer)
    assert done.state == RequestState.PARTLY
    pdf = render(copy_document(done))
    assert b"Noor de Vries" in pdf
    assert b"zonder jas" in pdf
    assert CANARY.encode() not in pdf and b"Lindelaan" not in pdf


def test_the_age_rules_and_the_person_of_the_file_apply_to_a_dossier_too():
    dossier, child, _mother, officer = _dossier()
    with pytest.raises(services.RequestError) as refused:
        services.register_dossier_request(
            dossier=dossier, by=officer, new=_new(child, "copy", requester="self")
        )
    assert "ouders" in refused.value.errors["requester"][0]
    stranger = DossierPersonFactory.create()  # of another dossier
    with pytest.raises(services.RequestError) as wrong:
        services.register_dossier_request(dossier=dossier, by=officer, new=_new(stranger, "copy"))
    assert "person" in wrong.value.errors


def test_a_request_is_about_exactly_one_file():
    dossier, child, _mother, officer = _dossier()
    report = a_report(dossier.region).report
    item = services.register_dossier_request(
        dossier=dossier, by=officer, new=_new(child, "inspection")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectRequest.objects.filter(pk=item.pk).update(report=report)


def test_a_correction_keeps_the_old_text_and_a_statement_goes_into_the_next_copy():
    dossier, child, _mother, officer = _dossier()
    contact = Contact.objects.get(dossier=dossier)
    correction = services.register_dossier_request(
        dossier=dossier, by=officer, new=_new(child, "correction")
    )
    services.correct(
        subject_request=correction,
        by=officer,
        field_name=f"contact.{contact.pk}.summary",
        new_text="Noor speelt vaak buiten, met jas.",
    )
    contact.refresh_from_db()
    assert contact.summary == "Noor speelt vaak buiten, met jas."
    (kept,) = DossierCorrection.objects.filter(dossier=dossier)
    assert "zonder jas" in kept.old_text

    statement = services.register_dossier_request(
        dossier=dossier, by=officer, new=_new(child, "statement")
    )
    services.add_statement(
        subject_request=statement, by=officer, text="Moeder: Noor heeft wel een jas."
    )
    lead = make_user(Role.TEAM_LEAD, region=dossier.region)
    page = login_verified(Client(), lead).get(f"/staff/contacts/dossiers/{dossier.pk}/")
    assert "Noor heeft wel een jas" in page.text
    assert "Verzoeken van betrokkenen" in page.text
    assert "zonder jas" in page.text  # the old text, in the dossier's corrections

    copy = _release_all(
        services.register_dossier_request(dossier=dossier, by=officer, new=_new(child, "copy")),
        officer,
    )
    pdf = render(copy_document(copy))
    assert b"Noor heeft wel een jas" in pdf
    assert b"met jas" in pdf


def test_destruction_of_a_dossier_is_refused_under_a_hold_and_otherwise_leaves_no_trace():
    dossier, child, _mother, officer = _dossier()
    contact_ids = list(dossier.contacts.values_list("pk", flat=True))
    held = services.register_dossier_request(
        dossier=dossier, by=officer, new=_new(child, "destruction")
    )
    hold = LegalHold.objects.create(
        object_type=HeldKind.ADVICE_DOSSIER,
        object_id=str(dossier.pk),
        reason="Rechtszaak",
        placed_by=officer,
    )
    with pytest.raises(services.RequestError) as refused:
        services.decide(subject_request=held, by=officer, grant=True, ground="", grounds_text="Ja")
    assert "niet vernietigen" in refused.value.errors["ground"][0]
    assert AdviceDossier.objects.filter(pk=dossier.pk).exists()

    LegalHold.objects.filter(pk=hold.pk).update(lifted_at=timezone.now())
    copy = services.register_dossier_request(dossier=dossier, by=officer, new=_new(child, "copy"))
    services.decide(subject_request=held, by=officer, grant=True, ground="", grounds_text="Ja.")
    held.refresh_from_db()
    assert held.state == RequestState.DONE and held.dossier is None
    assert held.report_reference == dossier.reference
    assert not AdviceDossier.objects.filter(pk=dossier.pk).exists()
    assert not Contact.objects.filter(pk__in=contact_ids).exists()
    assert not copy.passages.exists()  # the snapshot went with the dossier
    deleted = AccessLogEntry.objects.filter(action=AccessLogAction.DELETE)
    assert {(e.object_type, e.object_id) for e in deleted} >= {
        ("contacts.advicedossier", str(dossier.pk))
    }
    assert all(CANARY not in e.reason and "Noor" not in e.reason for e in deleted)


def test_the_dossier_page_offers_requests_only_to_those_who_handle_them():
    dossier, *_ = _dossier()
    desk = make_user(Role.ADVICE_DESK, region=dossier.region)
    browser = login_verified(Client(), desk)
    page = browser.get(f"/staff/contacts/dossiers/{dossier.pk}/")
    assert page.status_code == 200
    assert "Verzoeken van betrokkenen" not in page.text
    refused = browser.get(f"/staff/rights/requests/new/dossier/{dossier.pk}/")
    assert refused.status_code == 403
