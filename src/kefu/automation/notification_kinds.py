"""The notifications automation sends, as codes rendered for the reader when read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.core.notifications import notification_kind_register

RULE_DISABLED = notification_kind_register(
    "automation.rule_disabled",
    subject=_("Rule %(rule)s was switched off after %(count)s errors in a row"),
    body=_("The last error: %(error)s. Fix the rule and switch it on again."),
)
NOTIFY = notification_kind_register(
    "automation.notify",
    subject=_("%(ref)s: rule %(rule)s"),
)
WEBHOOK_FAILED = notification_kind_register(
    "automation.webhook_failed",
    subject=_("Webhook %(name)s: delivery of %(event)s failed"),
    body=_("The receiver did not accept the event after %(attempts)s attempts: %(error)s"),
)
