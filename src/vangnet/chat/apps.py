from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _plan_sweep(**kwargs: Any) -> None:
    # Deploying runs `migrate`: that starts the self-planning sweep (chat/tasks.py).
    from .tasks import ensure_sweep_scheduled  # models are loaded only after ready()

    ensure_sweep_scheduled()


class ChatConfig(AppConfig):
    name = "vangnet.chat"
    label = "chat"

    def ready(self) -> None:
        from vangnet.core import events

        from .views import leave_on_quick_exit  # views import models: only after ready()

        post_migrate.connect(_plan_sweep, sender=self)
        events.quick_exit.connect(leave_on_quick_exit, dispatch_uid="chat.leave_on_quick_exit")
