from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vangnet.rights"
    verbose_name = _("Rechten en bewaartermijnen")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .tasks import ensure_retention_scheduled_after_migrate

        post_migrate.connect(ensure_retention_scheduled_after_migrate, sender=self)
