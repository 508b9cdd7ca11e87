from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "kefu.incidents"
    label = "incidents"
    verbose_name = _("Stoppages and outages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the clock handlers and the customer timeline source.
        from kefu.incidents import clocks, timeline  # noqa: F401
