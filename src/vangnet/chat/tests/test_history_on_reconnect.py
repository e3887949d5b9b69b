"""The history a (re)connecting page is sent holds everything up to the point it names.

The page takes every sequence number up to `upto` as shown and ignores a later broadcast of
any of them; a message left out of the answer while `upto` covers it is lost on that screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from vangnet.chat import selectors, services

from .helpers import employee_at_desk, region_with_postcode, visitor_starts_chat

pytestmark = pytest.mark.django_db


def a_message_arrives_right_after_the_first_read_of_messages(conversation: Any) -> Callable:
    """An execute wrapper: the visitor's next message is committed just after the history's
    query of messages ran, as a message of another process can be."""
    fired = False

    def wrapper(execute, sql, params, many, context):
        nonlocal fired
        result = execute(sql, params, many, context)
        if not fired and 'FROM "chat_message"' in sql:
            fired = True
            services.send_visitor_message(
                conversation=conversation, body="Ben je er nog?", client_key="k-late"
            )
        return result

    return wrapper


@pytest.mark.parametrize("for_visitor", [True, False], ids=["visitor", "employee"])
def test_a_message_sent_while_the_history_is_read_is_not_skipped_by_the_page(for_visitor):
    region = region_with_postcode()
    chat = visitor_starts_chat()
    employee = employee_at_desk(region)
    services.accept_chat(conversation=chat, by=employee)
    for number in (1, 2):
        services.send_visitor_message(
            conversation=chat, body=f"bericht {number}", client_key=f"k{number}"
        )

    with connection.execute_wrapper(a_message_arrives_right_after_the_first_read_of_messages(chat)):
        messages, upto = selectors.transcript_after(
            chat, after=0, for_visitor=for_visitor, reader=None if for_visitor else employee
        )

    sent = [message.sequence for message in messages]
    # Everything up to `upto` is in the answer, and the late message is either in it or
    # after `upto`, where its broadcast (or the next hello) brings it: never in between.
    assert sent == list(range(1, upto + 1))
    later, _upto = selectors.transcript_after(chat, after=upto, for_visitor=for_visitor)
    keys = [message.client_key for message in [*messages, *later] if message.client_key]
    assert keys == ["k1", "k2", "k-late"]
