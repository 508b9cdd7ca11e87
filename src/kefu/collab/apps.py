from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollabConfig(AppConfig):
    name = "kefu.collab"
    label = "collab"
    verbose_name = _("Collaboration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.cases.panels import register_panel
        from kefu.collab import clocks, timeline  # noqa: F401  (register handlers and texts)

        register_panel("collab", "collab:panel", place="aside", order=40)
