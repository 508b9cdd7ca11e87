from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollabConfig(AppConfig):
    name = "kefu.collab"
    label = "collab"
    verbose_name = _("Collaboration")
    default_auto_field = "django.db.models.BigAutoField"

    #: Loaded by the processes that run clock jobs (kefu.core.clock.load_handlers).
    clock_modules = ("clocks",)

    def ready(self) -> None:
        from kefu.cases.panels import register_panel
        from kefu.collab import timeline  # noqa: F401  (register the event texts)

        register_panel("collab", "collab:panel", place="aside", order=40)
