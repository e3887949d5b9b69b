from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vangnet.insights"
    verbose_name = _("Inzicht")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .tasks import ensure_rollup_scheduled_after_migrate

        post_migrate.connect(ensure_rollup_scheduled_after_migrate, sender=self)
