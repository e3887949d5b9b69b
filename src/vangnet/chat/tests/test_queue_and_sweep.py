"""Every waiting chat is reachable from the queue, and gone visitors are swept by the task
worker without anyone's browser open (Issue 13.5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from vangnet.chat import selectors
from vangnet.chat.models import Conversation, ConversationStatus
from vangnet.chat.tasks import ensure_sweep_scheduled, sweep_waiting_chats_task
from vangnet.testing.auth import login_verified
from vangnet.testing.factories import ConversationFactory

from .helpers import employee_at_desk, region_with_postcode

pytestmark = pytest.mark.django_db


def pending_sweeps():
    return DBTaskResult.objects.filter(
        task_path=sweep_waiting_chats_task.module_path, status=TaskResultStatus.READY
    )


def test_the_queue_counts_every_waiting_chat_and_pages_to_the_last_one():
    utrecht = region_with_postcode()
    staff = login_verified(Client(), employee_at_desk(utrecht))
    total = 2 * selectors.WAITING_PAGE_SIZE + 5
    ConversationFactory.create_batch(total, region=utrecht, nickname="Wacht")
    last = ConversationFactory.create(region=utrecht, nickname="Laatste")

    first_page = staff.get("/staff/chat/").content.decode()
    assert f"{total + 1} wachtende chats" in first_page
    assert "Laatste" not in first_page
    assert 'href="?page=2"' in first_page

    last_page = staff.get("/staff/chat/?page=3").content.decode()
    assert "Laatste" in last_page
    assert f"/staff/chat/{last.pk}/accept/" in last_page
    # The live refresh of that page stays on that page.
    assert "/staff/chat/queue/?page=3" in last_page


@pytest.mark.django_db(transaction=True)  # the worker commits and checks its connection
def test_the_worker_sweeps_a_visitor_who_never_connected_without_any_browser(settings):
    settings.CHAT_SWEEP_SECONDS = 60
    utrecht = region_with_postcode()
    never_came = ConversationFactory.create(region=utrecht)
    long_ago = timezone.now() - timedelta(seconds=settings.CHAT_WAITING_VISITOR_GONE_SECONDS + 5)
    Conversation.objects.filter(pk=never_came.pk).update(created_at=long_ago)
    DBTaskResult.objects.all().delete()
    assert ensure_sweep_scheduled()
    pending_sweeps().update(run_after=timezone.now())  # its minute has come

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)

    never_came.refresh_from_db()
    assert never_came.status == ConversationStatus.ABANDONED
    # The sweep planned its own next run: one, a minute ahead.
    (next_run,) = pending_sweeps()
    assert next_run.run_after > timezone.now() + timedelta(seconds=50)


def test_migrating_plans_the_sweep_once():
    DBTaskResult.objects.all().delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert pending_sweeps().count() == 1
