"""Capacity, 'accept next', automatic offering and the return to the queue (ADR 0033)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from vangnet.accounts.models import Role
from vangnet.accounts.policy import AccessDenied
from vangnet.chat import assignment, presence, services
from vangnet.chat.models import Availability, ConversationStatus
from vangnet.testing.factories import make_user

from .helpers import employee_at_desk, region_with_postcode, texts, visitor_starts_chat

pytestmark = pytest.mark.django_db


def test_accept_next_takes_the_longest_waiting_chat_and_stops_at_capacity():
    region = region_with_postcode()
    employee = employee_at_desk(region)
    first = visitor_starts_chat(nickname="Eerste")
    second = visitor_starts_chat(nickname="Tweede")
    third = visitor_starts_chat(nickname="Derde")

    assert assignment.accept_next(user=employee).pk == first.pk
    assert assignment.accept_next(user=employee).pk == second.pk
    with pytest.raises(services.ChatError, match="uw maximum"):
        assignment.accept_next(user=employee)

    third.refresh_from_db()
    assert third.status == ConversationStatus.WAITING


def test_accept_next_says_so_when_nothing_waits():
    region = region_with_postcode()
    employee = employee_at_desk(region)

    with pytest.raises(services.ChatError, match="Er wacht nu geen chat"):
        assignment.accept_next(user=employee)


def test_accept_next_never_takes_a_chat_of_another_region():
    region = region_with_postcode()
    other = region_with_postcode(name="Gelderland-Zuid", code="6511")
    employee = employee_at_desk(other)
    visitor_starts_chat()  # Utrecht

    with pytest.raises(services.ChatError):
        assignment.accept_next(user=employee)
    assert region.pk != other.pk


def test_a_team_lead_sets_the_capacity_of_an_employee_of_their_region_only():
    region = region_with_postcode()
    other = region_with_postcode(name="Gelderland-Zuid", code="6511")
    employee = employee_at_desk(region)
    lead = make_user(Role.TEAM_LEAD, region=region)
    foreign_lead = make_user(Role.TEAM_LEAD, region=other)

    assignment.set_capacity(user=employee, capacity=3, by=lead)
    assert assignment.capacity_of(employee) == 3
    with pytest.raises(AccessDenied):
        assignment.set_capacity(user=employee, capacity=1, by=foreign_lead)
    with pytest.raises(services.ChatError, match="1 tot en met 6"):
        assignment.set_capacity(user=employee, capacity=9, by=lead)


def test_a_chat_of_an_employee_who_went_away_returns_to_the_front_of_the_queue():
    region = region_with_postcode()
    employee = employee_at_desk(region)
    chat = visitor_starts_chat()
    later = visitor_starts_chat(nickname="Later")
    services.accept_chat(conversation=chat, by=employee)
    services.send_visitor_message(
        conversation=chat, body="Hoi, ik wil iets vragen", client_key="k1"
    )

    # The console is still connected: nothing happens.
    assert assignment.return_stale_chats() == 0
    Availability.objects.filter(user=employee).update(
        heartbeat_at=timezone.now() - timedelta(seconds=120)
    )
    assert assignment.return_stale_chats() == 1

    chat.refresh_from_db()
    assert chat.status == ConversationStatus.WAITING and chat.assigned_to is None
    assert chat.queued_at < later.queued_at  # still ahead of who came later
    assert "Hoi, ik wil iets vragen" in texts(chat)  # nothing is lost
    assert any("verder met een collega" in text for text in texts(chat))

    colleague = employee_at_desk(region, username="collega")
    assert assignment.accept_next(user=colleague).pk == chat.pk


def test_automatic_offering_gives_the_chat_to_the_employee_with_the_most_room():
    region = region_with_postcode()
    desk = services.desk_for(region)
    desk.offer_automatically = True
    desk.save()
    busy = employee_at_desk(region, username="druk")
    free = employee_at_desk(region, username="vrij")
    services.accept_chat(conversation=visitor_starts_chat(), by=busy)
    waiting = visitor_starts_chat(nickname="Nieuw")

    assignment.offer_waiting_chats()

    waiting.refresh_from_db()
    assert waiting.assigned_to == free and waiting.status == ConversationStatus.ACTIVE


def test_a_chat_of_an_employee_who_set_themselves_away_returns_after_the_desks_time():
    region = region_with_postcode()
    employee = employee_at_desk(region)
    chat = visitor_starts_chat()
    services.accept_chat(conversation=chat, by=employee)
    presence.set_availability(user=employee, available=False)

    # Away for a moment (the console still connected): the chat stays.
    assert assignment.return_stale_chats() == 0
    # Away longer than the desk allows, though the console is still open: it goes back.
    Availability.objects.filter(user=employee).update(
        changed_at=timezone.now() - timedelta(seconds=120), heartbeat_at=timezone.now()
    )
    assert assignment.return_stale_chats() == 1
    chat.refresh_from_db()
    assert chat.status == ConversationStatus.WAITING and chat.assigned_to is None
