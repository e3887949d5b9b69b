"""Who sees which meldcode record, through the pages (the policy is in accounts.policy)."""

from __future__ import annotations

import pytest
from django.test import Client

from vangnet.accounts.models import Role
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.meldcode import services
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import make_user

from .factories import open_record, school

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    return login_verified(Client(), user)


def refusals() -> int:
    return AccessLogEntry.objects.filter(action=AccessLogAction.REFUSED).count()


def test_the_teacher_sees_her_record_and_the_contact_person_the_whole_school():
    s = school()
    mine = open_record(s.teacher, pseudonym="Leerling groep 5")
    theirs = open_record(s.colleague, pseudonym="Kleuter groep 2")

    teacher_page = client_for(s.teacher).get("/partner/meldcode/")
    assert "Leerling groep 5" in teacher_page.text
    assert "Kleuter groep 2" not in teacher_page.text

    contact = client_for(s.contact_person)
    contact_page = contact.get("/partner/meldcode/")
    assert "Leerling groep 5" in contact_page.text and "Kleuter groep 2" in contact_page.text
    assert "Dossiers van uw organisatie" in contact_page.text

    assert contact.get(f"/partner/meldcode/{mine.pk}/").status_code == 200
    assert contact.get(f"/partner/meldcode/{theirs.pk}/weighing/").status_code == 200
    assert contact.get(f"/partner/meldcode/{mine.pk}/pdf/").status_code == 200


def test_the_contact_person_reads_but_does_not_write():
    s = school()
    record = open_record(s.teacher)
    before = refusals()
    response = client_for(s.contact_person).post(
        f"/partner/meldcode/{record.pk}/signals/",
        {"observed_on": "2026-01-05", "codes": ["absence"]},
    )
    assert response.status_code == 403
    assert refusals() == before + 1
    assert not record.signals.exists()


def test_a_colleague_cannot_open_the_teachers_record():
    s = school()
    record = open_record(s.teacher)
    colleague = client_for(s.colleague)
    before = refusals()
    for path in ("", "signals/", "weighing/", "decision/", "report/", "pdf/"):
        assert colleague.get(f"/partner/meldcode/{record.pk}/{path}").status_code == 403
    assert refusals() == before + 6


def test_another_schools_contact_person_gets_403_and_a_missing_record_404():
    s = school()
    other = school(region=s.region, name="Het Kompas")
    record = open_record(s.teacher)
    client = client_for(other.contact_person)
    assert client.get(f"/partner/meldcode/{record.pk}/").status_code == 403
    assert client.get("/partner/meldcode/987654/").status_code == 404
    assert record.pseudonym not in client.get("/partner/meldcode/").text


def test_staff_do_not_see_meldcode_records():
    s = school()
    record = open_record(s.teacher)
    staff = client_for(make_user(Role.ADVICE_DESK, region=s.region))
    assert staff.get("/partner/meldcode/").status_code == 403
    assert staff.get(f"/partner/meldcode/{record.pk}/").status_code == 403


def test_the_pdf_is_an_attachment_and_its_download_is_logged():
    s = school()
    record = open_record(s.teacher)
    services.add_signals(
        record=record,
        by=s.teacher,
        codes=["absence"],
        description="Zei: \u2018ik ben bang\u2019 \u2014 echt.",
        observed_on=record.opened_at.date(),
    )
    response = client_for(s.teacher).get(f"/partner/meldcode/{record.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="meldcode-{record.reference}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.EXPORT, object_id=str(record.pk), user_id=s.teacher.pk
    ).exists()


def test_opening_a_record_through_the_form():
    s = school()
    client = client_for(s.teacher)
    form = client.get("/partner/meldcode/new/")
    assert 'value="education" selected' in form.text  # a school: education
    response = client.post(
        "/partner/meldcode/new/",
        {"sector": "education", "pseudonym": "Leerling groep 7", "concern": "Hongerig."},
    )
    assert response.status_code == 302
    assert s.teacher.meldcode_records.get().pseudonym == "Leerling groep 7"
    empty = client.post("/partner/meldcode/new/", {"sector": "education", "pseudonym": ""})
    assert empty.status_code == 400


def test_a_wrong_answer_order_is_a_friendly_400():
    s = school()
    record = open_record(s.teacher)
    response = client_for(s.teacher).post(
        f"/partner/meldcode/{record.pk}/weighing/",
        {"question": "4", "answer": "no", "reasoning": "Ouders willen niet."},
    )
    assert response.status_code == 400
    assert "Beantwoord de vragen op volgorde" in response.text
    assert not record.answers.exists()


def test_the_advice_desk_queue_shows_only_its_own_region():
    s = school()
    other = school(name="Elders")
    services.request_advice(
        record=open_record(s.teacher), by=s.teacher, summary="Eigen regio", callback_phone="06"
    )
    far = services.request_advice(
        record=open_record(other.teacher),
        by=other.teacher,
        summary="Andere regio",
        callback_phone="06",
    )
    desk = client_for(make_user(Role.ADVICE_DESK, region=s.region))
    page = desk.get("/staff/advice-requests/")
    assert "Eigen regio" in page.text and "Andere regio" not in page.text
    assert desk.get(f"/staff/advice-requests/{far.pk}/").status_code == 403
    assert desk.post(f"/staff/advice-requests/{far.pk}/take/").status_code == 403


def test_honour_based_violence_shows_consult_veilig_thuis_at_once():
    s = school()
    record = open_record(s.teacher, forms_of_violence=["forced_marriage"])
    plain = open_record(s.teacher)
    client = client_for(s.teacher)
    page = client.get(f"/partner/meldcode/{record.pk}/signals/")
    assert "Overleg meteen met Veilig Thuis" in page.text
    assert (
        "Overleg meteen met Veilig Thuis" not in client.get(f"/partner/meldcode/{plain.pk}/").text
    )


def test_a_reminder_set_on_the_page_shows_on_the_overview_once_it_fired():
    from vangnet.meldcode.models import Reminder
    from vangnet.meldcode.tasks import fire_reminder

    s = school()
    record = open_record(s.teacher)
    client = client_for(s.teacher)
    response = client.post(
        f"/partner/meldcode/{record.pk}/reminders/",
        {"due_on": "2099-03-01", "note": "Vraag 5: werkt de hulp?"},
    )
    assert response.status_code == 302
    reminder = Reminder.objects.get()
    assert "Vraag 5: werkt de hulp?" not in client.get("/partner/meldcode/").text
    fire_reminder.call(reminder_id=reminder.pk)
    overview = client.get("/partner/meldcode/")
    assert "Vraag 5: werkt de hulp?" in overview.text
    client.post(f"/partner/meldcode/reminders/{reminder.pk}/dismiss/")
    assert "Vraag 5: werkt de hulp?" not in client.get("/partner/meldcode/").text
