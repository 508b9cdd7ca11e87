"""Running rules: triggers on case events, each at most once per event per case.

:func:`on_case_event` is the case hook (``kefu.cases.hooks``, registered in
``AppConfig.ready``). For each active trigger listening to the event it records
a :class:`RuleRun` keyed by the event (the unique key makes a second firing for
the same event a no-op), checks the conditions and runs the actions in a
savepoint. A rule whose actions fail is counted; at
``KEFU_AUTOMATION_MAX_ERRORS`` failures in a row it is disabled and its author
notified. Nothing here raises into intake: the hook wraps each handler in its
own savepoint too, and the hooks' depth limit stops rules answering rules.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from kefu.automation import rules as pure
from kefu.automation.actions import actions_apply
from kefu.automation.facts import case_facts
from kefu.automation.models import Rule, RuleRun
from kefu.cases import hooks
from kefu.cases.models import Case, Message
from kefu.core.errors import DomainError
from kefu.core.services import notification_send

logger = logging.getLogger(__name__)

MAX_ERRORS = 5
DISABLED_CODE = "automation.rule_disabled"


def event_key(event: hooks.CaseHookEvent) -> str:
    """What identifies one event on one case: the message for message events, the
    target and due time for SLA events, the instant for the rest."""
    message = event.context.get("message")
    if isinstance(message, Message):
        return f"{event.code}:m{message.pk}"
    target = event.context.get("target")
    if target:
        due = event.context.get("due_at")
        stamp = due.isoformat() if isinstance(due, datetime) else event.at.isoformat()
        return f"{event.code}:{target}:{stamp}"[:100]
    after = event.context.get("after")
    return f"{event.code}:{after or ''}:{event.at.isoformat()}"[:100]


_cache: dict[str, Any] = {"key": None, "rules": [], "generation": 0}


def rules_changed() -> None:
    """Forget the cached triggers (the services call it on every save and delete)."""
    _cache["generation"] += 1


def _triggers_stamp() -> tuple[object, ...]:
    # Read on every case event: plain SQL, as the ORM's aggregate took longer to
    # compile than to run.
    table = connection.ops.quote_name(Rule._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(updated_at), MAX(id) FROM {table}"  # noqa: S608
            " WHERE kind = %s AND is_active",
            [Rule.Kind.TRIGGER.value],
        )
        row = cursor.fetchone()
    return tuple(row) if row else ()


def active_triggers(code: str) -> list[Rule]:
    """Active triggers listening to ``code``, in order. The parsed rules are kept per
    process while the set is unchanged (one aggregate query checks it: a save moves
    ``updated_at``, switching one off changes the count)."""
    key = (*_triggers_stamp(), _cache["generation"])
    if key != _cache["key"]:
        _cache["rules"] = list(
            Rule.objects.filter(kind=Rule.Kind.TRIGGER, is_active=True)
            .select_related("run_as")
            .order_by("position", "pk")
        )
        _cache["key"] = key
    return [rule for rule in _cache["rules"] if code in (rule.events or [])]


def on_case_event(event: hooks.CaseHookEvent) -> None:
    """The case hook: run every matching trigger for ``event``. The case's facts
    are read once, and again only after a rule changed the case."""
    triggers = active_triggers(event.code)
    if not triggers:
        return
    case = hooks.case_of(event, "contact", "organisation", "team", "owner")
    message = event.context.get("message")
    key = event_key(event)
    needed: set[str] = set()
    for rule in triggers:
        needed |= pure.fields_used(rule.conditions or {})
    facts: dict[str, object] | None = None
    for rule in triggers:
        if rule.department_id is not None and rule.department_id != case.department_id:
            continue
        if facts is None:
            facts = case_facts(
                case,
                at=event.at,
                message=message if isinstance(message, Message) else None,
                context=event.context,
                needed=needed,
            )
        if not pure.matches(rule.conditions or {}, facts):
            continue
        if rule_fire(rule=rule, case=case, event=event.code, key=key, at=event.at):
            facts = None  # the rule may have changed the case
            event.case_current = False  # and the handlers after this one read it again


def rule_fire(
    *,
    rule: Rule,
    case: Case,
    event: str,
    key: str,
    at: datetime,
    since_at: datetime | None = None,
) -> RuleRun | None:
    """Run ``rule``'s actions on ``case`` once for ``key``; None when it already ran.

    The run row is written first: a second firing for the same key finds it and
    does nothing, even inside the actions' own events (a loop).
    """
    try:
        with transaction.atomic():
            run = RuleRun.objects.create(
                rule=rule,
                case=case,
                event=event,
                key=key,
                since_at=since_at,
                at=at,
                outcome=RuleRun.Outcome.DONE,
            )
    except IntegrityError:
        return None
    try:
        with transaction.atomic():
            done = actions_apply(
                case=case, actor=rule.run_as, actions=rule.actions, at=at, rule=rule.name
            )
    except Exception as exc:
        error = exc.text() if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, DomainError):
            logger.exception("rule %s failed on case %s", rule.pk, case.pk)
        RuleRun.objects.filter(pk=run.pk).update(outcome=RuleRun.Outcome.FAILED, error=error[:300])
        rule_count_failure(rule=rule, error=error, at=at)
        case.refresh_from_db()
        return run
    RuleRun.objects.filter(pk=run.pk).update(detail=done)
    Rule.objects.filter(pk=rule.pk).update(run_count=F("run_count") + 1, error_count=0)
    return run


def rule_count_failure(*, rule: Rule, error: str, at: datetime) -> bool:
    """Count one failure; at ``MAX_ERRORS`` in a row disable the rule and tell its
    author. Returns whether it was disabled now."""
    from django.conf import settings

    limit = int(getattr(settings, "KEFU_AUTOMATION_MAX_ERRORS", MAX_ERRORS))
    Rule.objects.filter(pk=rule.pk).update(
        error_count=F("error_count") + 1, last_error=error[:300], run_count=F("run_count") + 1
    )
    disabled = Rule.objects.filter(pk=rule.pk, is_active=True, error_count__gte=limit).update(
        is_active=False, disabled_at=at
    )
    rule.refresh_from_db()
    if disabled:
        notification_send(
            recipient=rule.run_as,
            link=f"/automation/rules/{rule.pk}/",
            at=at,
            code=DISABLED_CODE,
            params={"rule": rule.name, "count": rule.error_count, "error": error[:200]},
        )
    return bool(disabled)


def register() -> None:
    hooks.register("automation", on_case_event, order=50)
