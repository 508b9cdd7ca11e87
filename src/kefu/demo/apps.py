from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo company behind `kefu demo`; it has no models."""

    name = "kefu.demo"
    label = "demo"
    verbose_name = _("Demo data")
