from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloorConfig(AppConfig):
    name = "kefu.floor"
    label = "floor"
    verbose_name = _("The floor")
    default_auto_field = "django.db.models.BigAutoField"

    #: Loaded by the processes that run clock jobs (kefu.core.clock.load_handlers).
    clock_modules = ("clocks",)

    def ready(self) -> None:
        # The notice kinds are listed to every process (preferences, the inbox).
        from kefu.floor import notification_kinds  # noqa: F401
