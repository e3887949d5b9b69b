from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldcodeConfig(AppConfig):
    name = "vangnet.meldcode"
    label = "meldcode"
    verbose_name = _("Meldcode-assistent")
    default_auto_field = "django.db.models.BigAutoField"
