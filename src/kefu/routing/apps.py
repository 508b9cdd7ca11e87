from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "kefu.routing"
    label = "routing"
    verbose_name = _("Routing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kefu.cases.events import register_event_text
        from kefu.cases.panels import register_panel
        from kefu.core.audit_labels import ACTION_LABELS
        from kefu.routing import clocks, hooks, reasons  # noqa: F401

        hooks.register()
        register_event_text(reasons.ROUTED_EVENT, reasons.routed_event_text)
        register_event_text(reasons.WAITING_EVENT, reasons.waiting_event_text)
        register_panel("routing", "routing:case_panel", place="aside", order=50)
        ACTION_LABELS.update(
            {
                "routing.team_saved": _("Team routing changed"),
                "routing.skill_saved": _("Agent skill saved"),
                "routing.skill_removed": _("Agent skill removed"),
                "routing.requirements_set": _("Case routing requirements set"),
            }
        )
