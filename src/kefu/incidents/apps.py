from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "kefu.incidents"
    label = "incidents"
    verbose_name = _("Stoppages and outages")
    default_auto_field = "django.db.models.BigAutoField"

    #: Loaded by the processes that run clock jobs (kefu.core.clock.load_handlers).
    clock_modules = ("clocks",)

    def ready(self) -> None:
        # Registers the notice kinds and the customer timeline source.
        from kefu.incidents import notification_kinds, timeline  # noqa: F401
