"""The notifications the case desk sends, as codes rendered for the reader when read
(:mod:`kefu.core.notifications`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.cases.playbook import threat_kinds_text
from kefu.core.notifications import Params, notification_kind_register


def _threat_kinds(params: Params) -> Params:
    kinds = params.get("kinds", [])
    if isinstance(kinds, list):
        return {**params, "kinds": str(threat_kinds_text(kinds))}
    return params


PROMISE_DUE = notification_kind_register(
    "cases.promise_due", subject=_("Promise due at %(due)s: %(what)s")
)
PROMISE_OVERDUE = notification_kind_register(
    "cases.promise_overdue", subject=_("Promise overdue: %(what)s")
)
COMPENSATION_APPROVAL = notification_kind_register(
    "cases.compensation_approval",
    subject=_("Approve compensation of %(amount)s on %(ref)s"),
)
SLA_WARNING = notification_kind_register(
    "cases.sla_warning",
    subject=_("%(ref)s: the %(target)s target is due at %(due)s"),
    body=_("Most of the time for the %(target)s target is used. Act before %(due)s."),
)
ESCALATED = notification_kind_register(
    "cases.escalated", subject=_("Case %(ref)s escalated to you")
)
TRANSFERRED = notification_kind_register(
    "cases.transferred", subject=_("Case %(ref)s transferred to your department")
)
THREAT = notification_kind_register(
    "cases.customer_threat",
    subject=_("%(reference)s: the customer threatens to escalate"),
    body=_(
        "The customer on %(reference)s threatens to escalate (%(kinds)s). Call them "
        "before they do: listen, acknowledge the feeling, agree the next step and a time."
    ),
    prepare=_threat_kinds,
)
