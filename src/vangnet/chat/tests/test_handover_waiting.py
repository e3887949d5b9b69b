"""A warm-handover chat waits for the child as long as the join code is valid (Issue 13.2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from vangnet.chat import queue
from vangnet.chat.models import Conversation, ConversationStatus, HandoverStatus

from .test_handover import chat_handover, child_browser

pytestmark = pytest.mark.django_db


def minutes_ago(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


def test_a_handover_chat_is_not_swept_while_the_childs_code_is_still_valid():
    _volunteer, handover, join_code = chat_handover()
    # Six minutes after the request the child has not opened the chat yet (the code lasts 30).
    Conversation.objects.filter(pk=handover.conversation_id).update(created_at=minutes_ago(6))

    queue.sweep_waiting_chats()

    handover.refresh_from_db()
    assert handover.conversation.status == ConversationStatus.WAITING
    assert handover.status == HandoverStatus.REQUESTED
    child = child_browser(join_code)  # and the child still lands in the waiting chat
    assert child.get("/chat/").status_code == 200
    handover.conversation.refresh_from_db()
    assert handover.conversation.status == ConversationStatus.WAITING


def test_once_the_code_expired_unused_the_chat_is_swept_and_the_handover_no_longer_requested():
    _volunteer, handover, _join_code = chat_handover()
    Conversation.objects.filter(pk=handover.conversation_id).update(created_at=minutes_ago(31))
    type(handover).objects.filter(pk=handover.pk).update(join_expires_at=minutes_ago(1))

    assert queue.sweep_waiting_chats() == 1

    handover.refresh_from_db()
    assert handover.conversation.status == ConversationStatus.ABANDONED
    assert handover.status == HandoverStatus.CANCELLED
