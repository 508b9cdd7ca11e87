from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "kefu.quality"
    label = "quality"
    verbose_name = _("Quality")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the clock jobs and the customer-timeline source.
        from kefu.quality import campaign_clocks, clocks, timeline  # noqa: F401
