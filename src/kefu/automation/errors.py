"""Error codes of automation (the API contract) and the words of a refused rule."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.automation.rules import RuleError
from kefu.core.errors import DomainError


class AutomationErrorCode(StrEnum):
    INVALID_RULE = "invalid_rule"
    NOT_FOUND = "automation_not_found"
    NOT_ALLOWED = "automation_not_allowed"
    ROUTING_UNAVAILABLE = "routing_unavailable"
    ACTION_FAILED = "action_failed"
    INVALID_WEBHOOK = "invalid_webhook"


_PROBLEMS: dict[str, Promise] = {
    "unknown_field": _("unknown field %(field)s"),
    "unknown_key": _("unknown key"),
    "unknown_op": _("unknown comparison; use one of %(ops)s"),
    "unknown_action": _("unknown action; use one of %(types)s"),
    "not_a_choice": _("not one of %(choices)s"),
    "needs_text": _("needs some text"),
    "needs_texts": _("needs a list of short texts"),
    "needs_bool": _("needs true or false"),
    "needs_number": _("needs a number"),
    "needs_id": _("needs the id of a record"),
    "needs_ids": _("needs a list of record ids"),
    "needs_list": _("needs a list"),
    "needs_group": _("needs a group of conditions"),
    "needs_condition": _("needs a condition"),
    "needs_action": _("needs an action"),
    "needs_actions": _("needs at least one action"),
    "needs_time": _("needs a time condition"),
    "needs_hours": _("needs a whole number of hours from 1 to 8760"),
    "needs_events": _("needs at least one event"),
    "missing": _("is missing"),
    "no_value_expected": _("takes no value"),
    "too_long": _("is longer than %(limit)s characters"),
    "too_many": _("holds more than %(limit)s items"),
    "too_deep": _("nests groups more than %(limit)s levels deep"),
    "not_found": _("names a record that does not exist"),
    "not_allowed": _("is not allowed for you"),
}


def invalid_rule(exc: RuleError) -> DomainError:
    """The refusal of a rule, naming the field: ``actions[0].value: not one of ...``."""
    problem = _PROBLEMS.get(exc.problem, _("is not valid"))
    detail = str(problem) % exc.params if exc.params else str(problem)
    return DomainError(
        AutomationErrorCode.INVALID_RULE,
        _("The rule is not valid: %(path)s %(detail)s."),
        path=exc.path,
        detail=detail,
    )
