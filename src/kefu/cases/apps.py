from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "kefu.cases"
    label = "cases"
    verbose_name = _("Cases")
    default_auto_field = "django.db.models.BigAutoField"

    #: Loaded by the processes that run clock jobs (kefu.core.clock.load_handlers).
    clock_modules = ("clocks",)

    def ready(self) -> None:
        from kefu.cases import timeline  # noqa: F401
