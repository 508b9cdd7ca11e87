from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnerConfig(AppConfig):
    name = "kefu.partner"
    label = "partner"
    verbose_name = _("Writing partner")
    default_auto_field = "django.db.models.BigAutoField"
