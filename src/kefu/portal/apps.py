from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kefu.portal"
    label = "portal"
    verbose_name = _("Customer portal")
    default_auto_field = "django.db.models.BigAutoField"

    #: Loaded by the processes that run clock jobs (kefu.core.clock.load_handlers).
    clock_modules = ("clocks",)
