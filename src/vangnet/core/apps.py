from django.apps import AppConfig
from django.core.signals import request_finished


class CoreConfig(AppConfig):
    name = "vangnet.core"
    label = "core"

    def ready(self) -> None:
        from .connections import close_request_thread_connections

        request_finished.connect(
            close_request_thread_connections, dispatch_uid="core.close_request_thread_connections"
        )
