"""The chat's pages: intake validation, the closed page, leaving, and the staff forms."""

from __future__ import annotations

import pytest
from django.test import Client

from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat import desks, services
from vangnet.chat.models import Conversation, ConversationStatus
from vangnet.chat.selectors import SESSION_KEY
from vangnet.contacts.models import Contact
from vangnet.testing.auth import login_verified

from .helpers import employee_at_desk, region_with_postcode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"postcode": ""}, "Vul de 4 cijfers van een postcode in"),
        ({"postcode": "12"}, "Dit is geen geldige postcode"),
        ({"postcode": "0123"}, "Dit is geen geldige postcode"),
        ({"postcode": "9999"}, "Postcode 9999 kennen we niet"),
        ({"postcode": "3511", "age": "3"}, "Vul een leeftijd in vanaf 6 jaar."),
        ({"postcode": "3511", "age": "240"}, "Vul een leeftijd in tot 110 jaar."),
        ({"postcode": "3511", "age": "veertien"}, "Vul je leeftijd in met cijfers"),
        ({"postcode": "3511", "nickname": "sam@example.org"}, "Vul geen e-mailadres"),
        ({"postcode": "3511", "nickname": "0612345678"}, "Vul geen e-mailadres of telefoonnummer"),
        ({"postcode": "3511", "gender": "robot"}, "Selecteer een geldige keuze"),
    ],
)
def test_intake_explains_each_bad_answer_and_starts_nothing(client, data, message):
    region_with_postcode()

    response = client.post("/chat/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Conversation.objects.count() == 0


def test_intake_asks_only_what_routing_needs_and_keeps_the_chat_in_the_session(client):
    utrecht = region_with_postcode()

    response = client.post("/chat/", {"postcode": "3511"})

    assert response.status_code == 302 and response["Location"] == "/chat/"
    chat = Conversation.objects.get()
    assert chat.region == utrecht and chat.nickname == "" and chat.age is None
    assert client.session[SESSION_KEY] == str(chat.public_id)
    page = client.get("/chat/").content.decode()
    assert 'data-chat-socket="/ws/chat/"' in page
    assert str(chat.public_id) not in page  # never in the page or a URL


def test_the_intake_form_asks_no_name_email_phone_or_address(client):
    region_with_postcode()
    page = client.get("/chat/").content.decode()
    for field in ('name="email"', 'name="phone"', 'name="address"', 'name="name"'):
        assert field not in page


def test_outside_opening_hours_the_page_says_so_and_shows_the_phone_number(client, settings):
    settings.CHAT_OPENING_HOURS = "00:00-00:01"
    region_with_postcode()

    response = client.get("/chat/")

    page = response.content.decode()
    assert "De chat is nu gesloten" in page and "0800-2000" in page
    assert client.post("/chat/", {"postcode": "3511"}).status_code == 200
    assert Conversation.objects.count() == 0


def test_leaving_ends_the_chat_and_forgets_it(client):
    region_with_postcode()
    client.post("/chat/", {"postcode": "3511"})

    client.post("/chat/leave/")

    assert Conversation.objects.get().status == ConversationStatus.ABANDONED
    assert SESSION_KEY not in client.session
    assert "Start de chat" in client.get("/chat/").content.decode()


def test_quick_exit_during_a_chat_tells_the_employee_the_visitor_had_to_go(client):
    utrecht = region_with_postcode()
    client.post("/chat/", {"postcode": "3511"})
    chat = Conversation.objects.get()
    services.accept_chat(conversation=chat, by=employee_at_desk(utrecht))

    client.post("/exit/")

    chat.refresh_from_db()
    assert chat.status == ConversationStatus.VISITOR_LEFT
    assert chat.messages.filter(body__contains="snel weg").exists()


def test_the_public_chat_pages_set_no_cookie_before_the_chat_starts(client):
    region_with_postcode()
    response = client.get("/chat/")
    assert "sessionid" not in response.cookies


def staff_with_active_chat():
    utrecht = region_with_postcode()
    visitor = Client()
    visitor.post("/chat/", {"postcode": "3511"})
    chat = Conversation.objects.get()
    employee = employee_at_desk(utrecht, username="marieke")
    staff = login_verified(Client(), employee)
    assert staff.post(f"/staff/chat/{chat.pk}/accept/").status_code == 302
    return staff, chat


def test_closing_without_an_outcome_is_refused_field_by_field_and_changes_nothing():
    staff, chat = staff_with_active_chat()

    response = staff.post(f"/staff/chat/{chat.pk}/close/", {"asker_type": "child"})

    page = response.content.decode()
    assert response.status_code == 400
    for message in (
        "Kies minstens één onderwerp.",
        "Beschrijf kort waar de chat over ging.",
        "Beschrijf het gegeven advies.",
    ):
        assert message in page
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.ACTIVE and Contact.objects.count() == 0


def test_closing_with_an_outcome_registers_the_advice_contact():
    staff, chat = staff_with_active_chat()

    response = staff.post(
        f"/staff/chat/{chat.pk}/close/",
        {
            "asker_type": "bystander",
            "forms_of_violence": ["partner_violence"],
            "question": "Buurvrouw hoort geschreeuw.",
            "advice_given": "Uitgelegd wat ze kan doen en hoe ze kan melden.",
            "advised_to_report": "on",
        },
    )

    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.advised_to_report and contact.chat == chat
    page = staff.get(f"/staff/contacts/{contact.pk}/").content.decode()
    assert "Partnergeweld" in page and "Uitgelegd wat ze kan doen" in page


def test_opening_a_transcript_is_in_the_access_log():
    staff, chat = staff_with_active_chat()

    assert staff.get(f"/staff/chat/{chat.pk}/").status_code == 200

    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.VIEW, object_type="chat.conversation", object_id=str(chat.pk)
    ).exists()


def test_a_second_employee_accepting_is_told_a_colleague_was_first():
    _marieke, chat = staff_with_active_chat()
    colleague = login_verified(Client(), employee_at_desk(chat.region))

    response = colleague.post(f"/staff/chat/{chat.pk}/accept/", follow=True)

    assert "Een collega heeft deze chat al aangenomen." in response.content.decode()
    chat.refresh_from_db()
    assert chat.assigned_to.username == "marieke"


def test_the_queue_shows_who_is_waiting_and_logs_that_it_was_seen():
    utrecht = region_with_postcode()
    Client().post("/chat/", {"nickname": "Noor", "age": "16", "postcode": "3511"})
    employee = employee_at_desk(utrecht)
    staff = login_verified(Client(), employee)

    page = staff.get("/staff/chat/").content.decode()

    assert "Noor" in page and "1 wachtende chat" in page
    assert AccessLogEntry.objects.filter(
        user_id=employee.pk, action=AccessLogAction.VIEW, object_type="chat.conversation"
    ).exists()


def test_team_lead_sets_the_overflow_time_with_validation():
    from vangnet.accounts.models import Role
    from vangnet.testing.factories import make_user

    utrecht = region_with_postcode()
    lead = login_verified(Client(), make_user(Role.TEAM_LEAD, region=utrecht))

    refused = lead.post("/staff/chat/desk/", {"overflow_after_seconds": "5"})
    assert refused.status_code == 400
    assert desks.desk_for(utrecht).overflow_after_seconds == 180

    lead.post("/staff/chat/desk/", {"overflow_after_seconds": "60", "is_open": "on"})
    desk = desks.desk_for(utrecht)
    assert desk.overflow_after_seconds == 60 and desk.overflow_to_national_desk is False
