"""The meldcode assistant's business actions, as a teacher and the advice desk live them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.accounts.policy import AccessDenied
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.contacts.models import AdviceDossier, AskerType, Channel, Contact
from vangnet.meldcode import services
from vangnet.meldcode.framework import FrameworkOutcome, all_paths
from vangnet.meldcode.models import (
    AdviceRequestStatus,
    Decision,
    RecordStatus,
    Reminder,
    TimelineEntry,
)
from vangnet.meldcode.tasks import fire_reminder
from vangnet.testing.factories import PostcodeFactory, RegionFactory, make_user

from .factories import open_record, school

pytestmark = pytest.mark.django_db


def last_entry(record) -> str:
    entry = record.timeline.last()
    assert entry is not None
    return entry.text


TODAY = timezone.localdate


def test_a_teacher_opens_a_pseudonymous_record_in_her_schools_region():
    s = school()
    record = open_record(s.teacher)
    assert record.organisation == s.organisation
    assert record.region == s.region
    assert record.reference.startswith("MC-")
    assert record.timeline.get().kind == TimelineEntry.Kind.OPENED
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.CREATE, object_type="meldcode.meldcoderecord"
    ).exists()


def test_without_an_organisation_there_is_no_record():
    teacher = make_user(Role.PROFESSIONAL)
    with pytest.raises(AccessDenied):
        open_record(teacher)


def test_signals_are_dated_and_may_be_free_text():
    s = school()
    record = open_record(s.teacher)
    created = services.add_signals(
        record=record,
        by=s.teacher,
        codes=["repeated_injury", "absence"],
        description="Zei: 'papa wordt boos als ik huil'.",
        observed_on=TODAY() - timedelta(days=2),
    )
    assert [signal.label for signal in created][:2] == [
        "Herhaaldelijk letsel, blauwe plekken of brandwonden",
        "Vaak afwezig of te laat, of weken niet in beeld",
    ]
    assert created[2].description.startswith("Zei:")
    assert "papa wordt boos" in last_entry(record)


@pytest.mark.parametrize(
    ("codes", "description", "days_ahead"),
    [([], "", 0), (["no_such_signal"], "", 0), (["absence"], "", 1)],
    ids=["nothing", "unknown-code", "future-date"],
)
def test_bad_signals_are_refused_and_change_nothing(codes, description, days_ahead):
    s = school()
    record = open_record(s.teacher)
    with pytest.raises(services.MeldcodeError):
        services.add_signals(
            record=record,
            by=s.teacher,
            codes=codes,
            description=description,
            observed_on=TODAY() + timedelta(days=days_ahead),
        )
    assert not record.signals.exists()
    assert record.timeline.count() == 1


def test_a_colleague_and_the_contact_person_cannot_write_in_the_teachers_record():
    s = school()
    record = open_record(s.teacher)
    for other in (s.colleague, s.contact_person):
        with pytest.raises(AccessDenied):
            services.add_signals(
                record=record, by=other, codes=["absence"], description="", observed_on=TODAY()
            )
    assert not record.signals.exists()


def test_honour_based_violence_means_consult_veilig_thuis_at_once():
    s = school()
    assert not services.consult_veilig_thuis_at_once(open_record(s.teacher))
    for form in ("honour_based", "forced_marriage", "fgm"):
        assert services.consult_veilig_thuis_at_once(
            open_record(s.teacher, forms_of_violence=[form])
        )


def test_advice_request_lands_in_the_regions_queue_with_a_new_advice_dossier():
    s = school()
    record = open_record(s.teacher)
    advice = services.request_advice(
        record=record,
        by=s.teacher,
        summary="Leerling groep 5 met blauwe plekken; hoe betrek ik de ouders?",
        callback_phone="030-1234567",
    )
    assert advice.region == s.region
    assert advice.status == AdviceRequestStatus.WAITING
    assert advice.dossier.region == s.region
    assert AdviceDossier.objects.count() == 1
    assert record.timeline.filter(kind=TimelineEntry.Kind.ADVICE_REQUEST).exists()


def test_advice_request_goes_to_the_region_of_the_familys_postcode():
    s = school()
    amsterdam = RegionFactory.create(name="Amsterdam")
    PostcodeFactory.create(code="1011", municipality__region=amsterdam)
    advice = services.request_advice(
        record=open_record(s.teacher),
        by=s.teacher,
        summary="Gezin woont in Amsterdam.",
        callback_phone="030-1234567",
        postcode="1011 AB",
    )
    assert advice.region == amsterdam
    assert advice.dossier.region == amsterdam


def test_advice_request_needs_a_phone_number_and_a_question():
    s = school()
    record = open_record(s.teacher)
    with pytest.raises(services.MeldcodeError):
        services.request_advice(record=record, by=s.teacher, summary="Vraag", callback_phone=" ")
    with pytest.raises(services.MeldcodeError):
        services.request_advice(record=record, by=s.teacher, summary="", callback_phone="06")
    assert not AdviceDossier.objects.exists()


def test_the_advice_desk_takes_the_call_back_and_registers_the_advice():
    s = school()
    record = open_record(s.teacher)
    advice = services.request_advice(
        record=record, by=s.teacher, summary="Blauwe plekken.", callback_phone="030-1234567"
    )
    employee = make_user(Role.ADVICE_DESK, region=s.region)
    colleague = make_user(Role.ADVICE_DESK, region=s.region)
    services.take_advice_request(advice_request=advice, by=employee)
    with pytest.raises(services.MeldcodeError, match="collega"):
        services.take_advice_request(advice_request=advice, by=colleague)
    contact = services.complete_advice_request(
        advice_request=advice,
        by=employee,
        summary="Leerkracht belde over blauwe plekken.",
        advice_given="Gesprek met moeder met z'n tweeën voeren.",
    )
    advice.refresh_from_db()
    assert advice.status == AdviceRequestStatus.DONE
    assert (contact.channel, contact.asker_type, contact.dossier) == (
        Channel.PHONE,
        AskerType.PROFESSIONAL,
        advice.dossier,
    )
    assert contact.region == s.region
    assert (contact.asker_sector, contact.asker_organisation) == ("education", s.organisation.name)
    assert record.timeline.filter(kind=TimelineEntry.Kind.ADVICE_CALLBACK).exists()


def test_another_regions_advice_desk_cannot_take_the_call_back():
    s = school()
    advice = services.request_advice(
        record=open_record(s.teacher), by=s.teacher, summary="Zorg.", callback_phone="06"
    )
    with pytest.raises(AccessDenied):
        services.take_advice_request(advice_request=advice, by=make_user(Role.ADVICE_DESK))
    advice.refresh_from_db()
    assert advice.status == AdviceRequestStatus.WAITING
    assert not Contact.objects.exists()


def _answer(record, by, answers):
    result = None
    for number, answer in answers.items():
        result = services.answer_question(
            record=record, by=by, question=number, answer=answer, reasoning=f"Reden {number}"
        )
    return result


@pytest.mark.parametrize(("answers", "outcome", "decided_by"), all_paths())
def test_every_path_through_the_five_questions_is_recorded_with_its_outcome(
    answers, outcome, decided_by
):
    s = school()
    record = open_record(s.teacher)
    result = _answer(record, s.teacher, answers)
    assert result.outcome == outcome
    assert record.answers.count() == len(answers)
    assert f"Uitkomst van het afwegingskader: {outcome.label}" in last_entry(record)


def test_questions_are_answered_in_order():
    s = school()
    record = open_record(s.teacher)
    with pytest.raises(services.MeldcodeError, match="vraag 1"):
        services.answer_question(
            record=record, by=s.teacher, question=3, answer=True, reasoning="x"
        )
    with pytest.raises(services.MeldcodeError):
        services.answer_question(record=record, by=s.teacher, question=1, answer=True, reasoning="")
    assert not record.answers.exists()


def test_changing_an_earlier_answer_drops_the_answers_after_it():
    s = school()
    record = open_record(s.teacher)
    _answer(record, s.teacher, {1: True, 2: False, 3: True})
    result = services.answer_question(
        record=record, by=s.teacher, question=2, answer=True, reasoning="Toch structureel."
    )
    assert result.outcome == FrameworkOutcome.REPORT
    assert sorted(record.answers.values_list("question", flat=True)) == [1, 2]
    assert "vervallen" in last_entry(record)


def test_the_professional_decides_and_a_deviation_is_written_down():
    s = school()
    record = open_record(s.teacher)
    _answer(record, s.teacher, {1: True, 2: True})
    record = services.record_decision(
        record=record,
        by=s.teacher,
        decision=Decision.ORGANISE_HELP,
        reasoning="Ouders werken mee.",
        help_plan="Schoolmaatschappelijk werk, evaluatie over zes weken.",
    )
    assert record.status == RecordStatus.HELP
    assert record.prescribed_outcome == FrameworkOutcome.REPORT
    assert "wijkt af" in last_entry(record)


def test_a_decision_needs_reasons_and_the_first_question_answered():
    s = school()
    record = open_record(s.teacher)
    with pytest.raises(services.MeldcodeError, match="stap 4"):
        services.record_decision(
            record=record, by=s.teacher, decision=Decision.REPORT, reasoning="x"
        )
    _answer(record, s.teacher, {1: True, 2: True})
    with pytest.raises(services.MeldcodeError):
        services.record_decision(
            record=record, by=s.teacher, decision=Decision.REPORT, reasoning=""
        )
    with pytest.raises(services.MeldcodeError, match="hulp"):
        services.record_decision(
            record=record, by=s.teacher, decision=Decision.HELP_AND_REPORT, reasoning="x"
        )
    record.refresh_from_db()
    assert record.decision == ""


def test_reporting_by_phone_after_deciding_to_report():
    s = school()
    record = open_record(s.teacher)
    with pytest.raises(services.MeldcodeError):
        services.record_phone_report(record=record, by=s.teacher, parents_informed="yes")
    _answer(record, s.teacher, {1: True, 2: True})
    services.record_decision(
        record=record, by=s.teacher, decision=Decision.REPORT, reasoning="Meldnorm."
    )
    record = services.record_phone_report(
        record=record, by=s.teacher, parents_informed="not_safe", report_reference="VT-123"
    )
    assert record.status == RecordStatus.REPORTED
    assert record.report_channel == "phone"
    assert "VT-123" in last_entry(record)
    with pytest.raises(services.MeldcodeError, match="al gedaan"):
        services.record_phone_report(record=record, by=s.teacher, parents_informed="yes")


def test_a_reminder_shows_at_its_date_and_mails_without_the_content(
    mailoutbox, django_capture_on_commit_callbacks
):
    s = school()
    record = open_record(s.teacher)
    due = TODAY() + timedelta(days=42)
    reminder = services.set_reminder(
        record=record, by=s.teacher, due_on=due, note="Werkt de hulp? Vraag 5 beantwoorden."
    )
    assert reminder.task_id
    assert reminder.is_due is False

    # The worker runs the task at the date; here the task function runs directly.
    with django_capture_on_commit_callbacks(execute=True):
        assert fire_reminder.call(reminder_id=reminder.pk) is True
    reminder.refresh_from_db()
    assert reminder.is_due
    assert record.timeline.last().kind == TimelineEntry.Kind.REMINDER
    assert len(mailoutbox) == 1
    assert record.reference in mailoutbox[0].body
    assert "Vraag 5" not in mailoutbox[0].body
    # A second run does nothing.
    assert fire_reminder.call(reminder_id=reminder.pk) is False
    assert len(mail.outbox) == 1


def test_a_reminder_is_for_a_later_day():
    s = school()
    record = open_record(s.teacher)
    with pytest.raises(services.MeldcodeError):
        services.set_reminder(record=record, by=s.teacher, due_on=TODAY(), note="Vandaag")
    assert not Reminder.objects.exists()


def test_a_dismissed_reminder_does_not_fire():
    s = school()
    reminder = services.set_reminder(
        record=open_record(s.teacher),
        by=s.teacher,
        due_on=TODAY() + timedelta(days=1),
        note="Bellen",
    )
    services.dismiss_reminder(reminder=reminder, by=s.teacher)
    assert fire_reminder.call(reminder_id=reminder.pk) is False
