from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kefu.core"
    label = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register core's clock handlers with the clock loop.
        from django.core import checks

        from kefu.core import clocks  # noqa: F401
        from kefu.core.checks import calendar_schedule_check

        checks.register(calendar_schedule_check)
