from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "kefu.quality"
    label = "quality"
    verbose_name = _("Quality")
    default_auto_field = "django.db.models.BigAutoField"

    #: Loaded by the processes that run clock jobs (kefu.core.clock.load_handlers).
    clock_modules = ("campaign_clocks", "clocks")

    def ready(self) -> None:
        # Register the notice kinds and the customer-timeline source.
        from kefu.quality import notification_kinds, timeline  # noqa: F401
