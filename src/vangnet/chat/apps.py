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
        post_migrate.connect(_plan_sweep, sender=self)
