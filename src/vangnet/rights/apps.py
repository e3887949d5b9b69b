from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vangnet.rights"
    verbose_name = _("Rechten en bewaartermijnen")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from vangnet.core import notices

        from .holds import hold_notices
        from .tasks import ensure_retention_scheduled_after_migrate

        post_migrate.connect(ensure_retention_scheduled_after_migrate, sender=self)
        # "Bewaarplicht: niet vernietigen" on the pages of the records a hold can stop.
        notices.register(hold_notices)
