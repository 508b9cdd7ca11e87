"""Every write of automation: rules (triggers and automations) and macros.

Rules and shared macros are kept by department managers and administrators; a
department manager's rules act on their own department's cases only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kefu.automation import rules as pure
from kefu.automation.actions import actions_apply
from kefu.automation.engine import rules_changed
from kefu.automation.errors import AutomationErrorCode, invalid_rule
from kefu.automation.facts import FIELDS, case_facts
from kefu.automation.models import Macro, Rule, WebhookSubscription
from kefu.cases import hooks
from kefu.cases.models import Case, ReplyTemplate
from kefu.cases.services.workspace import reply_template_render
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError, NotFoundError, PermissionDeniedError
from kefu.core.models import Team, User
from kefu.core.roles import Perm, Role

TRIGGER_EVENTS = hooks.CODES
DRY_RUN_DAYS = 30
DRY_RUN_LIMIT = 500


def can_manage_rules(actor: User) -> bool:
    return actor.is_active and (
        actor.is_superuser or actor.role in (Role.ADMINISTRATOR, Role.DEPARTMENT_MANAGER)
    )


def require_rule_manager(actor: User) -> None:
    """Refuse unless ``actor`` keeps rules (department managers and administrators)."""
    if not can_manage_rules(actor):
        raise PermissionDeniedError(
            AutomationErrorCode.NOT_ALLOWED,
            _(
                "Triggers, automations and shared macros are kept by department managers "
                "and administrators. Ask your department manager if you need one."
            ),
        )


def _check_references(actions: Sequence[Mapping[str, Any]], *, path: str = "actions") -> None:
    """Every record an action names exists (a rule never saves with a dangling id)."""
    lookups: dict[str, tuple[str, Any]] = {
        "assign_person": ("user", User.objects.filter(is_active=True)),
        "assign_team": ("team", Team.objects.all()),
        "reply_template": ("template", ReplyTemplate.objects.filter(is_active=True)),
        "webhook": ("subscription", WebhookSubscription.objects.all()),
    }
    for index, action in enumerate(actions):
        kind = action["type"]
        if kind in lookups:
            key, queryset = lookups[kind]
            if not queryset.filter(pk=action[key]).exists():
                raise invalid_rule(pure.RuleError(f"{path}[{index}].{key}", "not_found"))
        if kind == "add_watchers":
            found = User.objects.filter(pk__in=action["users"], is_active=True).count()
            if found != len(set(action["users"])):
                raise invalid_rule(pure.RuleError(f"{path}[{index}].users", "not_found"))


def rule_validate(
    *,
    kind: str,
    events: Sequence[str],
    conditions: object,
    actions: object,
    time: object = None,
) -> None:
    """Raise ``invalid_rule`` naming the field unless the rule is valid data."""
    try:
        if kind not in Rule.Kind.values:
            raise pure.RuleError("kind", "not_a_choice", choices=", ".join(Rule.Kind.values))
        if kind == Rule.Kind.TRIGGER:
            if not isinstance(events, list | tuple) or not events:
                raise pure.RuleError("events", "needs_events")
            for index, code in enumerate(events):
                if code not in TRIGGER_EVENTS:
                    raise pure.RuleError(
                        f"events[{index}]", "not_a_choice", choices=", ".join(TRIGGER_EVENTS)
                    )
        else:
            pure.check_time(time)
        pure.check_conditions(conditions, FIELDS)
        pure.check_actions(actions, FIELDS)
    except pure.RuleError as exc:
        raise invalid_rule(exc) from exc
    if isinstance(actions, list):
        _check_references(actions)


@transaction.atomic
def rule_save(
    *,
    actor: User,
    name: str,
    kind: str,
    conditions: dict[str, Any],
    actions: list[dict[str, Any]],
    at: datetime,
    events: Sequence[str] = (),
    time: dict[str, Any] | None = None,
    position: int = 100,
    is_active: bool = True,
    rule: Rule | None = None,
) -> Rule:
    """Create (``rule`` None) or change a rule after checking it against the schema.

    The saver becomes the rule's ``run_as``: its actions run with their rights. A
    department manager's rule is limited to their department. Switching a rule on
    again clears its error count.
    """
    require_rule_manager(actor)
    name = name.strip()[:100]
    if not name:
        raise invalid_rule(pure.RuleError("name", "needs_text"))
    rule_validate(kind=kind, events=list(events), conditions=conditions, actions=actions, time=time)
    department = (
        None if actor.role == Role.ADMINISTRATOR or actor.is_superuser else actor.department
    )
    values: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "events": list(events) if kind == Rule.Kind.TRIGGER else [],
        "conditions": conditions,
        "actions": actions,
        "time": time if kind == Rule.Kind.AUTOMATION else None,
        "position": position,
        "is_active": is_active,
        "run_as": actor,
        "updated_at": at,
    }
    if rule is None:
        rule = Rule.objects.create(department=department, created_at=at, **values)
        action = "automation.rule_created"
    else:
        rule_require_access(actor, rule)
        if is_active and not rule.is_active:
            values.update(error_count=0, disabled_at=None, last_error="")
        for key, value in values.items():
            setattr(rule, key, value)
        rule.save()
        action = "automation.rule_changed"
    audit_record(actor=actor, action=action, target=rule, at=at, after={"name": name, "kind": kind})
    rules_changed()
    return rule


def rule_require_access(actor: User, rule: Rule) -> None:
    require_rule_manager(actor)
    if actor.role != Role.ADMINISTRATOR and not actor.is_superuser:
        if rule.department_id is not None and rule.department_id != actor.department_id:
            raise NotFoundError(AutomationErrorCode.NOT_FOUND, _("No such rule."))
        if rule.department_id is None:
            raise NotFoundError(AutomationErrorCode.NOT_FOUND, _("No such rule."))


@transaction.atomic
def rule_delete(*, actor: User, rule: Rule, at: datetime) -> None:
    rule_require_access(actor, rule)
    audit_record(actor=actor, action="automation.rule_deleted", target=rule, at=at)
    rule.delete()
    rules_changed()


@dataclass(frozen=True)
class DryRunMatch:
    case: Case
    matched: bool


def rule_dry_run(
    *,
    actor: User,
    conditions: dict[str, Any],
    at: datetime,
    days: int = DRY_RUN_DAYS,
    limit: int = DRY_RUN_LIMIT,
) -> tuple[list[Case], int]:
    """Which of the cases opened in the last ``days`` (at most ``limit``, newest first)
    ``conditions`` match now, read with each case's latest customer message. Writes
    nothing. Returns (the matched cases, how many were examined)."""
    require_rule_manager(actor)
    try:
        pure.check_conditions(conditions, FIELDS)
    except pure.RuleError as exc:
        raise invalid_rule(exc) from exc
    cases = Case.objects.filter(created_at__gte=at - timedelta(days=days)).select_related(
        "contact", "organisation", "team", "owner"
    )
    if actor.role != Role.ADMINISTRATOR and not actor.is_superuser:
        cases = cases.filter(department=actor.department)
    needed = pure.fields_used(conditions)
    examined = list(cases.order_by("-created_at", "-pk")[:limit])
    matched = [
        case
        for case in examined
        if pure.matches(conditions, case_facts(case, at=at, needed=needed))
    ]
    return matched, len(examined)


# Macros ---------------------------------------------------------------------


def macro_visible_to(actor: User, macro: Macro) -> bool:
    if not macro.is_active:
        return False
    if macro.scope == Macro.Scope.SHARED:
        return True
    if macro.scope == Macro.Scope.TEAM:
        return macro.team_id is not None and macro.team_id == actor.team_id
    return macro.owner_id == actor.pk


@transaction.atomic
def macro_save(
    *,
    actor: User,
    name: str,
    scope: str,
    actions: list[dict[str, Any]],
    at: datetime,
    reply_template: ReplyTemplate | None = None,
    macro: Macro | None = None,
) -> Macro:
    """Create or change a macro. Anyone working cases keeps personal ones; team
    macros are for team leads and above, shared ones for rule keepers."""
    authorize(actor, Perm.WORK_CASES)
    if scope == Macro.Scope.TEAM:
        authorize(actor, Perm.APPROVE_ESCALATIONS)
    elif scope == Macro.Scope.SHARED:
        require_rule_manager(actor)
    elif scope != Macro.Scope.PERSONAL:
        raise invalid_rule(
            pure.RuleError("scope", "not_a_choice", choices="personal, team, shared")
        )
    name = name.strip()[:100]
    if not name:
        raise invalid_rule(pure.RuleError("name", "needs_text"))
    if actions or reply_template is None:
        try:
            pure.check_actions(actions, FIELDS)
        except pure.RuleError as exc:
            raise invalid_rule(exc) from exc
        _check_references(actions)
    if macro is not None and macro.owner_id != actor.pk:
        require_rule_manager(actor)
    values = {
        "name": name,
        "scope": scope,
        "actions": actions,
        "reply_template": reply_template,
        "team": actor.team if scope == Macro.Scope.TEAM else None,
    }
    if macro is None:
        macro = Macro.objects.create(owner=actor, created_at=at, **values)
    else:
        for key, value in values.items():
            setattr(macro, key, value)
        macro.save()
    audit_record(actor=actor, action="automation.macro_saved", target=macro, at=at)
    return macro


@dataclass(frozen=True)
class MacroResult:
    case: Case
    done: list[str]
    reply_text: str


@transaction.atomic
def macro_apply(*, actor: User, macro: Macro, case: Case, at: datetime) -> MacroResult:
    """Run the macro's actions on ``case`` as ``actor`` (their rights apply) and
    render its reply template in the contact's language into ``reply_text`` for the
    reply box (the agent reads it and sends it; nothing goes to the customer
    unread). All or nothing: a failing action undoes the others."""
    authorize(actor, Perm.WORK_CASES)
    if not macro_visible_to(actor, macro):
        raise NotFoundError(AutomationErrorCode.NOT_FOUND, _("No such macro."))
    if not case.is_open:
        raise DomainError(
            AutomationErrorCode.ACTION_FAILED, _("The case is closed; reopen it first.")
        )
    done = actions_apply(
        case=case, actor=actor, actions=macro.actions or [], at=at, rule=macro.name
    )
    text = ""
    if macro.reply_template is not None and macro.reply_template.is_active:
        text, _language = reply_template_render(
            template=macro.reply_template, case=case, agent=actor
        )
    Macro.objects.filter(pk=macro.pk).update(use_count=F("use_count") + 1)
    return MacroResult(case=case, done=done, reply_text=text)


@dataclass(frozen=True)
class BulkMacroResult:
    applied: list[str]
    refused: list[tuple[str, str]]


def macro_apply_bulk(
    *, actor: User, macro: Macro, cases: Sequence[Case], at: datetime
) -> BulkMacroResult:
    """Apply the macro's actions to each case, each in its own transaction (one
    refused case does not undo the others); the reply template is not sent in
    bulk (a reply is written case by case). Returns what went and what was refused."""
    applied: list[str] = []
    refused: list[tuple[str, str]] = []
    for case in cases:
        try:
            macro_apply(actor=actor, macro=macro, case=case, at=at)
        except DomainError as exc:
            refused.append((case.reference, exc.text()))
        else:
            applied.append(case.reference)
    return BulkMacroResult(applied=applied, refused=refused)
