from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kefu.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    #: Loaded by the processes that run clock jobs (kefu.core.clock.load_handlers).
    clock_modules = ("clocks",)

    def ready(self) -> None:
        from django.core import checks

        from kefu.core.checks import calendar_schedule_check

        checks.register(calendar_schedule_check)
