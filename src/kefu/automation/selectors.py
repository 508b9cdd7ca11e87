"""Reads automation's pages and API share."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.automation.errors import AutomationErrorCode
from kefu.automation.models import Macro, Rule, RuleRun, WebhookDelivery, WebhookSubscription
from kefu.automation.services import macro_visible_to, require_rule_manager, rule_require_access
from kefu.core.authz import authorize
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm, Role


def rules_for(actor: User) -> QuerySet[Rule]:
    """The rules ``actor`` keeps: every rule for an administrator, their
    department's for a department manager."""
    require_rule_manager(actor)
    rules = Rule.objects.select_related("run_as", "department").order_by("kind", "position", "pk")
    if actor.role == Role.ADMINISTRATOR or actor.is_superuser:
        return rules
    return rules.filter(department=actor.department)


def access_rule(actor: User, rule_id: int) -> Rule:
    rule = Rule.objects.select_related("run_as").filter(pk=rule_id).first()
    if rule is None:
        raise NotFoundError(AutomationErrorCode.NOT_FOUND, _("No such rule."))
    rule_require_access(actor, rule)
    return rule


def rule_runs(rule: Rule, *, limit: int = 200) -> list[RuleRun]:
    """The rule's latest runs (cases an automation examined and left are not listed)."""
    return list(
        RuleRun.objects.filter(rule=rule)
        .exclude(outcome=RuleRun.Outcome.SKIPPED)
        .select_related("case")
        .order_by("-at", "-pk")[:limit]
    )


def macros_for(actor: User) -> list[Macro]:
    """The macros ``actor`` may apply: shared ones, their team's and their own."""
    authorize(actor, Perm.WORK_CASES)
    macros = Macro.objects.filter(is_active=True).select_related("reply_template", "owner")
    return [macro for macro in macros.order_by("name", "pk") if macro_visible_to(actor, macro)]


def access_macro(actor: User, macro_id: int) -> Macro:
    macro = Macro.objects.select_related("reply_template").filter(pk=macro_id).first()
    if macro is None or not macro_visible_to(actor, macro):
        raise NotFoundError(AutomationErrorCode.NOT_FOUND, _("No such macro."))
    return macro


def webhooks_for(actor: User) -> QuerySet[WebhookSubscription]:
    authorize(actor, Perm.MANAGE_SETTINGS)
    return WebhookSubscription.objects.order_by("name", "pk")


def deliveries_for(actor: User, *, limit: int = 200) -> list[WebhookDelivery]:
    authorize(actor, Perm.MANAGE_SETTINGS)
    return list(
        WebhookDelivery.objects.select_related("subscription").order_by("-created_at", "-pk")[
            :limit
        ]
    )
