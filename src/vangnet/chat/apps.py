from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ChatConfig(AppConfig):
    name = "vangnet.chat"
    label = "chat"

    def ready(self) -> None:
        # Modules that import models load only now, when the app registry is ready.
        from vangnet.core import events

        from .tasks import ensure_sweep_scheduled_after_migrate
        from .views import leave_on_quick_exit

        # Deploying runs `migrate`: that starts the self-planning sweep (chat/tasks.py).
        post_migrate.connect(ensure_sweep_scheduled_after_migrate, sender=self)
        events.quick_exit.connect(leave_on_quick_exit, dispatch_uid="chat.leave_on_quick_exit")
