from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloorConfig(AppConfig):
    name = "kefu.floor"
    label = "floor"
    verbose_name = _("The floor")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the floor's clock handlers with the clock loop.
        from kefu.floor import clocks  # noqa: F401
