from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnerConfig(AppConfig):
    name = "kefu.partner"
    label = "partner"
    verbose_name = _("Writing partner")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.cases.panels import register_panel

        register_panel("partner_summary", "partner:summary_panel", place="aside", order=20)
        register_panel("partner", "partner:draft_panel", place="reply", order=20)
