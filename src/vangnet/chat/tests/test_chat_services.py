"""The chat's rules: routing, the queue, one message once, accepting, forwarding, closing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.accounts.policy import AccessDenied
from vangnet.audit.models import AccessLogAction, AccessLogEntry
from vangnet.chat import desks, presence, queue, retention, services
from vangnet.chat.models import Availability, Conversation, ConversationStatus, Message
from vangnet.chat.opening import chat_hours_open
from vangnet.contacts.models import Channel, Contact
from vangnet.testing.factories import make_user, national_desk

from .helpers import (
    employee_at_desk,
    region_with_postcode,
    texts,
    transcript,
    visitor_starts_chat,
)

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")

OUTCOME = services.ClosingRegistration(
    asker_type="child",
    forms_of_violence=["witnessing", "psychological_abuse"],
    question="Jongen van 14, ouders maken vaak ruzie, hij is bang als vader drinkt.",
    advice_given="Besproken met wie hij kan praten: mentor. Uitgelegd wat Veilig Thuis kan doen.",
    referral="Kindertelefoon",
    advised_to_report=False,
)


def test_visitor_lands_in_the_queue_of_their_own_region():
    utrecht = region_with_postcode("Utrecht", "3511")

    chat = visitor_starts_chat(postcode="3511 AB")

    assert chat.region == utrecht and chat.home_region == utrecht
    assert chat.status == ConversationStatus.WAITING
    assert chat.postcode == "3511"


def test_an_unknown_postcode_is_refused_with_a_clear_message_and_nothing_is_created():
    region_with_postcode("Utrecht", "3511")

    with pytest.raises(services.ChatError, match="Postcode 9999 kennen we niet"):
        visitor_starts_chat(postcode="9999")

    assert Conversation.objects.count() == 0


def test_a_visitor_who_does_not_know_their_postcode_goes_to_the_national_desk():
    region_with_postcode()

    chat = visitor_starts_chat(postcode=None)

    assert chat.region == national_desk()
    assert chat.postcode == ""


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime(2026, 11, 23, 10, 0, tzinfo=AMS), True),  # a Monday morning
        (datetime(2026, 11, 23, 8, 59, tzinfo=AMS), False),
        (datetime(2026, 11, 23, 17, 0, tzinfo=AMS), False),
        (datetime(2026, 11, 21, 12, 0, tzinfo=AMS), False),  # Saturday
        (datetime(2026, 12, 25, 12, 0, tzinfo=AMS), False),  # Christmas Day, a Friday
        (datetime(2027, 4, 27, 12, 0, tzinfo=AMS), False),  # King's Day, a Tuesday
    ],
)
def test_chat_is_open_on_working_days_within_opening_hours(settings, moment, is_open):
    settings.CHAT_OPENING_HOURS = "09:00-17:00"
    assert chat_hours_open(moment) is is_open


def test_outside_opening_hours_no_chat_starts(settings, monkeypatch):
    settings.CHAT_OPENING_HOURS = "09:00-17:00"
    region_with_postcode()
    saturday = datetime(2026, 11, 21, 12, 0, tzinfo=AMS)
    monkeypatch.setattr(timezone, "now", lambda: saturday)

    with pytest.raises(services.ChatClosed):
        visitor_starts_chat()
    assert Conversation.objects.count() == 0


def test_a_closed_regional_desk_sends_visitors_to_the_national_desk_or_says_closed():
    utrecht = region_with_postcode()
    desk = desks.desk_for(utrecht)
    desk.is_open = False
    desk.save()

    assert visitor_starts_chat().region == national_desk()

    desk.overflow_to_national_desk = False
    desk.save()
    with pytest.raises(services.ChatClosed):
        visitor_starts_chat()


def test_messages_are_numbered_in_order_and_a_retried_send_is_stored_once():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)

    first = services.send_visitor_message(conversation=chat, body="Hoi", client_key="k-1")
    retried = services.send_visitor_message(conversation=chat, body="Hoi", client_key="k-1")
    reply = services.send_employee_message(
        conversation=chat, by=employee, body="Hoi Sam, fijn dat je chat.", client_key="k-1"
    )

    assert retried.pk == first.pk
    assert reply.sequence == first.sequence + 1
    assert Message.objects.filter(conversation=chat, body="Hoi").count() == 1
    sequences = list(Message.objects.filter(conversation=chat).values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))


def test_a_message_reads_back_from_the_database_as_it_was_sent():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    employee = employee_at_desk(utrecht)
    employee.first_name = "Anouk"
    employee.save(update_fields=["first_name"])
    services.accept_chat(conversation=chat, by=employee)

    sent = services.send_employee_message(
        conversation=chat,
        by=employee,
        body="Fijn dat je het vertelt 💛 — échte moed.",
        client_key="k-9",
    )

    stored = Message.objects.get(pk=sent.pk)
    assert (
        stored.conversation_id,
        stored.sequence,
        stored.sender,
        stored.author_id,
        stored.author_name,
        stored.kind,
        stored.body,
        stored.link_url,
        stored.client_key,
        stored.created_at,
    ) == (
        chat.pk,
        sent.sequence,
        "employee",
        employee.pk,
        "Anouk",
        "text",
        "Fijn dat je het vertelt 💛 — échte moed.",
        "",
        "k-9",
        sent.created_at,
    )
    assert stored.created_at.tzinfo is not None
    assert Message.objects.filter(conversation=chat).latest("sequence").pk == sent.pk


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ("   ", "k-1", "leeg bericht"),
        ("x" * 2001, "k-1", "hoogstens 2000 tekens"),
        ("Hoi", "", "ongeldige sleutel"),
        ("Hoi", "k" * 65, "ongeldige sleutel"),
        ("Hoi", "<script>", "ongeldige sleutel"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_stored(body, key, message):
    region_with_postcode()
    chat = visitor_starts_chat()
    before = texts(chat)

    with pytest.raises(services.ChatError, match=message):
        services.send_visitor_message(conversation=chat, body=body, client_key=key)

    assert texts(chat) == before


def test_two_employees_racing_to_accept_one_chat_one_wins_and_the_other_is_told():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    marieke, ahmed = employee_at_desk(utrecht), employee_at_desk(utrecht)

    services.accept_chat(conversation=chat, by=marieke)
    with pytest.raises(services.ChatError, match="Een collega heeft deze chat al aangenomen"):
        services.accept_chat(conversation=chat, by=ahmed)

    chat.refresh_from_db()
    assert chat.assigned_to == marieke and chat.status == ConversationStatus.ACTIVE


def test_an_employee_of_another_region_cannot_accept_and_nothing_changes():
    region_with_postcode()
    chat = visitor_starts_chat()
    outsider = employee_at_desk(region_with_postcode("Twente", "7511"))

    with pytest.raises(AccessDenied):
        services.accept_chat(conversation=chat, by=outsider)

    chat.refresh_from_db()
    assert chat.status == ConversationStatus.WAITING and chat.assigned_to is None


def test_only_the_employee_who_accepted_may_send():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    marieke, ahmed = employee_at_desk(utrecht), employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=marieke)

    with pytest.raises(services.ChatError, match="Alleen de medewerker"):
        services.send_employee_message(conversation=chat, by=ahmed, body="Hallo", client_key="a")


def test_closing_registers_an_advice_contact_and_tells_the_visitor():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)

    contact = services.close_chat(conversation=chat, by=employee, outcome=OUTCOME)

    chat.refresh_from_db()
    assert chat.status == ConversationStatus.CLOSED and chat.contact == contact
    assert contact.channel == Channel.CHAT and contact.region == utrecht
    assert contact.forms_of_violence == ["psychological_abuse", "witnessing"]
    assert contact.registered_by == employee and contact.received_at == chat.created_at
    assert ("system", "De medewerker heeft de chat afgesloten.") in transcript(
        chat, for_visitor=True
    )
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.CREATE, object_type="contacts.contact", object_id=str(contact.pk)
    ).exists()


def test_the_chat_contact_records_how_long_the_conversation_took_and_joins_a_dossier():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)
    Conversation.objects.filter(pk=chat.pk).update(
        accepted_at=timezone.now() - timedelta(minutes=17)
    )

    contact = services.close_chat(conversation=chat, by=employee, outcome=OUTCOME)

    assert contact.duration_minutes == 17
    assert contact.dossier is not None
    assert list(contact.dossier.events.values_list("kind", flat=True)) == [
        "opened",
        "contact_added",
    ]


def test_a_chat_cannot_be_closed_twice_or_by_someone_else():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    marieke, ahmed = employee_at_desk(utrecht), employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=marieke)

    with pytest.raises(services.ChatError):
        services.close_chat(conversation=chat, by=ahmed, outcome=OUTCOME)
    services.close_chat(conversation=chat, by=marieke, outcome=OUTCOME)
    with pytest.raises(services.ChatError, match="al afgesloten"):
        services.close_chat(conversation=chat, by=marieke, outcome=OUTCOME)

    assert Contact.objects.count() == 1


def test_when_the_visitor_leaves_the_employee_still_registers_the_outcome():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)

    services.leave_chat(conversation=chat)

    chat.refresh_from_db()
    assert chat.status == ConversationStatus.VISITOR_LEFT and chat.needs_outcome
    services.close_chat(conversation=chat, by=employee, outcome=OUTCOME)
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.CLOSED


def test_a_waiting_chat_overflows_to_the_national_desk_when_nobody_comes(monkeypatch):
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    assert queue.overflow_if_due(conversation=chat) is False  # too soon

    later = timezone.now() + timedelta(seconds=desks.desk_for(utrecht).overflow_after_seconds)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert queue.overflow_if_due(conversation=chat) is True

    chat.refresh_from_db()
    assert chat.region == national_desk() and chat.home_region == utrecht
    # The visitor is told nothing confusing; the employees see why in a note.
    assert not any("landelijk" in body for _, body in transcript(chat, for_visitor=True))
    assert any("landelijk loket" in body for _, body in transcript(chat, for_visitor=False))


def test_a_waiting_chat_stays_in_its_region_while_someone_there_is_available(monkeypatch):
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    employee_at_desk(utrecht)

    later = timezone.now() + timedelta(seconds=desks.desk_for(utrecht).overflow_after_seconds)
    monkeypatch.setattr(timezone, "now", lambda: later)
    # Presence is a heartbeat: refresh it at the moved-on clock.
    for availability in Availability.objects.all():
        presence.heartbeat(user=availability.user)

    assert queue.overflow_if_due(conversation=chat) is False


def test_queue_position_and_an_honest_estimate():
    utrecht = region_with_postcode()
    first, second, third = visitor_starts_chat(), visitor_starts_chat(), visitor_starts_chat()

    nobody = queue.queue_status(third)
    assert (nobody.position, nobody.estimate_minutes) == (3, None)

    employee_at_desk(utrecht)
    assert queue.queue_status(first).estimate_minutes == 1  # someone is free now
    status = queue.queue_status(third)
    assert status.position == 3
    assert status.estimate_minutes == 2 * 15  # two typical chats of 15 minutes before it
    assert queue.queue_status(second).position == 2


def test_forwarding_to_another_region_puts_the_chat_in_that_queue_with_a_note_for_staff():
    utrecht = region_with_postcode()
    twente = region_with_postcode("Twente", "7511")
    chat = visitor_starts_chat()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)

    services.forward_chat(
        conversation=chat, by=employee, to_region=twente, note="Woont sinds kort in Enschede."
    )

    chat.refresh_from_db()
    assert chat.region == twente and chat.status == ConversationStatus.WAITING
    assert chat.assigned_to is None
    staff_view = transcript(chat, for_visitor=False)
    assert any("Woont sinds kort in Enschede" in body for _, body in staff_view)
    assert not any("Enschede" in body for _, body in transcript(chat, for_visitor=True))


def test_forwarding_to_a_colleague_who_is_not_available_is_refused():
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    marieke = employee_at_desk(utrecht)
    away = employee_at_desk(utrecht, available=False)
    services.accept_chat(conversation=chat, by=marieke)

    with pytest.raises(services.ChatError, match="niet beschikbaar"):
        services.forward_chat(conversation=chat, by=marieke, to_user=away)

    present = employee_at_desk(utrecht)
    services.forward_chat(conversation=chat, by=marieke, to_user=present)
    chat.refresh_from_db()
    assert chat.assigned_to == present and chat.status == ConversationStatus.ACTIVE


def test_a_visitor_gone_too_long_while_waiting_leaves_the_queue(settings, monkeypatch):
    region_with_postcode()
    chat = visitor_starts_chat()
    presence.visitor_connected(conversation=chat, connected=False)
    later = timezone.now() + timedelta(seconds=settings.CHAT_WAITING_VISITOR_GONE_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert queue.sweep_waiting_chats() == 1

    chat.refresh_from_db()
    assert chat.status == ConversationStatus.ABANDONED


def test_transcripts_are_removed_after_the_retention_period_but_the_contact_stays(settings):
    utrecht = region_with_postcode()
    chat = visitor_starts_chat()
    employee = employee_at_desk(utrecht)
    services.accept_chat(conversation=chat, by=employee)
    services.send_visitor_message(conversation=chat, body="Mijn vader slaat", client_key="a")
    contact = services.close_chat(conversation=chat, by=employee, outcome=OUTCOME)

    almost = timezone.now() + timedelta(days=settings.CHAT_TRANSCRIPT_RETENTION_DAYS - 1)
    assert retention.purge_old_transcripts(now=almost) == 0
    after = timezone.now() + timedelta(days=settings.CHAT_TRANSCRIPT_RETENTION_DAYS + 1)
    assert retention.purge_old_transcripts(now=after) == 1

    chat.refresh_from_db()
    assert chat.transcript_purged_at is not None and chat.nickname == ""
    assert not Message.objects.filter(conversation=chat).exists()
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert AccessLogEntry.objects.filter(
        action=AccessLogAction.DELETE, object_type="chat.conversation", object_id=str(chat.pk)
    ).exists()


def test_a_partner_cannot_set_themselves_available_for_chats():
    utrecht = region_with_postcode()
    volunteer = make_user(Role.HELPLINE_VOLUNTEER, region=utrecht)
    with pytest.raises(AccessDenied):
        presence.set_availability(user=volunteer, available=True)
    assert presence.available_employees(utrecht) == []


def test_the_purge_command_reports_what_it_removed(settings):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("purge_chat_transcripts", stdout=out)
    assert "0 transcript(s) removed (retention 30 days)" in out.getvalue()


def test_what_the_visitor_is_told_is_in_their_language_whoever_acts():
    from django.utils import translation

    utrecht = region_with_postcode()
    chat = visitor_starts_chat()  # a Dutch visitor
    employee = employee_at_desk(utrecht)

    with translation.override("en"):  # the employee works with the English interface
        services.accept_chat(conversation=chat, by=employee)

    told = transcript(chat, for_visitor=True)[-1][1]
    assert told.endswith("van Veilig Thuis is er nu voor je.")
