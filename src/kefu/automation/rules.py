"""Rules as data: the schema of conditions and actions, and their evaluation (pure).

A rule's conditions and actions are JSON, never code. :func:`check_conditions`
and :func:`check_actions` refuse anything the schema does not know, naming the
field (``conditions.rules[1].value``) so the page and the API can point at it.
:func:`matches` evaluates checked conditions against a case's facts, a flat
mapping from field name to value built by the services.

Imports nothing from Django (see the "Pure cores" contract).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class FieldType(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    BOOL = "bool"
    NUMBER = "number"
    TAGS = "tags"
    ID = "id"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    choices: tuple[str, ...] = ()


OPS: dict[FieldType, tuple[str, ...]] = {
    FieldType.TEXT: ("eq", "ne", "contains", "not_contains", "in", "not_in"),
    FieldType.CHOICE: ("eq", "ne", "in", "not_in"),
    FieldType.BOOL: ("is",),
    FieldType.NUMBER: ("eq", "gt", "gte", "lt", "lte"),
    FieldType.TAGS: ("contains", "not_contains"),
    FieldType.ID: ("eq", "ne", "in", "not_in", "is_set", "is_unset"),
}

LIST_OPS = ("in", "not_in")
NO_VALUE_OPS = ("is_set", "is_unset")
MAX_NESTING = 3
MAX_CONDITIONS = 50
MAX_ACTIONS = 20
MAX_TEXT = 2000

ACTION_TYPES = (
    "set_field",
    "add_tags",
    "assign_person",
    "assign_team",
    "assign_routing",
    "add_watchers",
    "reply_template",
    "note",
    "notify",
    "webhook",
)
SETTABLE = ("priority", "category", "status")
NOTIFY_TO = ("owner", "team_lead", "department_manager", "watchers")
TIME_SINCE = ("updated", "created", "resolved")


class RuleError(ValueError):
    """A rule the schema refuses: ``path`` names the field, ``problem`` says why
    (a code the services turn into translated words)."""

    def __init__(self, path: str, problem: str, **params: object) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
        self.params = params


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_scalar(spec: FieldSpec, value: object, path: str) -> None:
    if spec.type in (FieldType.TEXT, FieldType.TAGS):
        if not isinstance(value, str) or not value.strip():
            raise RuleError(path, "needs_text")
        if len(value) > MAX_TEXT:
            raise RuleError(path, "too_long", limit=MAX_TEXT)
    elif spec.type == FieldType.CHOICE:
        if not isinstance(value, str) or value not in spec.choices:
            raise RuleError(path, "not_a_choice", choices=", ".join(spec.choices))
    elif spec.type == FieldType.BOOL:
        if not isinstance(value, bool):
            raise RuleError(path, "needs_bool")
    elif spec.type == FieldType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RuleError(path, "needs_number")
    elif spec.type == FieldType.ID and not _is_int(value):
        raise RuleError(path, "needs_id")


def _check_leaf(item: Mapping[str, Any], fields: Mapping[str, FieldSpec], path: str) -> None:
    extra = set(item) - {"field", "op", "value"}
    if extra:
        raise RuleError(f"{path}.{sorted(extra)[0]}", "unknown_key")
    name = item.get("field")
    if not isinstance(name, str) or name not in fields:
        raise RuleError(f"{path}.field", "unknown_field", field=str(name))
    spec = fields[name]
    op = item.get("op")
    if op not in OPS[spec.type]:
        raise RuleError(f"{path}.op", "unknown_op", ops=", ".join(OPS[spec.type]))
    if op in NO_VALUE_OPS:
        if item.get("value") is not None:
            raise RuleError(f"{path}.value", "no_value_expected")
        return
    if "value" not in item:
        raise RuleError(f"{path}.value", "missing")
    value = item["value"]
    if op in LIST_OPS:
        if not isinstance(value, list) or not value:
            raise RuleError(f"{path}.value", "needs_list")
        for index, element in enumerate(value):
            _check_scalar(spec, element, f"{path}.value[{index}]")
    else:
        _check_scalar(spec, value, f"{path}.value")


def check_conditions(
    data: object, fields: Mapping[str, FieldSpec], *, path: str = "conditions", depth: int = 0
) -> int:
    """Raise :class:`RuleError` unless ``data`` is a valid condition group; returns
    how many leaf conditions it holds. An empty group matches every case."""
    if not isinstance(data, dict):
        raise RuleError(path, "needs_group")
    extra = set(data) - {"match", "rules"}
    if extra:
        raise RuleError(f"{path}.{sorted(extra)[0]}", "unknown_key")
    if data.get("match", "all") not in ("all", "any"):
        raise RuleError(f"{path}.match", "not_a_choice", choices="all, any")
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        raise RuleError(f"{path}.rules", "needs_list")
    count = 0
    for index, item in enumerate(rules):
        item_path = f"{path}.rules[{index}]"
        if isinstance(item, dict) and "rules" in item:
            if depth + 1 >= MAX_NESTING:
                raise RuleError(item_path, "too_deep", limit=MAX_NESTING)
            count += check_conditions(item, fields, path=item_path, depth=depth + 1)
        elif isinstance(item, dict):
            _check_leaf(item, fields, item_path)
            count += 1
        else:
            raise RuleError(item_path, "needs_condition")
    if count > MAX_CONDITIONS:
        raise RuleError(path, "too_many", limit=MAX_CONDITIONS)
    return count


_ACTION_KEYS: dict[str, dict[str, str]] = {
    # key -> kind of value: id, ids, text, texts, choice-of-SETTABLE
    "set_field": {"field": "settable", "value": "text"},
    "add_tags": {"tags": "texts"},
    "assign_person": {"user": "id"},
    "assign_team": {"team": "id"},
    "assign_routing": {},
    "add_watchers": {"users": "ids"},
    "reply_template": {"template": "id"},
    "note": {"text": "text"},
    "notify": {"to": "notify_to", "text": "text"},
    "webhook": {"subscription": "id"},
}
_OPTIONAL = {("notify", "text")}


def _check_action_value(kind: str, value: object, path: str) -> None:
    if kind == "id" and not _is_int(value):
        raise RuleError(path, "needs_id")
    if kind == "ids" and (
        not isinstance(value, list) or not value or not all(_is_int(v) for v in value)
    ):
        raise RuleError(path, "needs_ids")
    if kind == "text" and (not isinstance(value, str) or not value.strip()):
        raise RuleError(path, "needs_text")
    if kind == "text" and isinstance(value, str) and len(value) > MAX_TEXT:
        raise RuleError(path, "too_long", limit=MAX_TEXT)
    if kind == "texts" and (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() and len(v) <= 50 for v in value)
    ):
        raise RuleError(path, "needs_texts")
    if kind == "settable" and value not in SETTABLE:
        raise RuleError(path, "not_a_choice", choices=", ".join(SETTABLE))
    if kind == "notify_to" and value not in NOTIFY_TO:
        raise RuleError(path, "not_a_choice", choices=", ".join(NOTIFY_TO))


def check_actions(data: object, fields: Mapping[str, FieldSpec], *, path: str = "actions") -> None:
    """Raise :class:`RuleError` unless ``data`` is a list of valid actions. A
    ``set_field`` value must be one of the field's choices."""
    if not isinstance(data, list) or not data:
        raise RuleError(path, "needs_actions")
    if len(data) > MAX_ACTIONS:
        raise RuleError(path, "too_many", limit=MAX_ACTIONS)
    for index, action in enumerate(data):
        item_path = f"{path}[{index}]"
        if not isinstance(action, dict):
            raise RuleError(item_path, "needs_action")
        kind = action.get("type")
        if kind not in _ACTION_KEYS:
            raise RuleError(f"{item_path}.type", "unknown_action", types=", ".join(ACTION_TYPES))
        keys = _ACTION_KEYS[kind]
        extra = set(action) - {"type", *keys}
        if extra:
            raise RuleError(f"{item_path}.{sorted(extra)[0]}", "unknown_key")
        for key, value_kind in keys.items():
            if key not in action:
                if (kind, key) in _OPTIONAL:
                    continue
                raise RuleError(f"{item_path}.{key}", "missing")
            _check_action_value(value_kind, action[key], f"{item_path}.{key}")
        if kind == "set_field":
            spec = fields[f"case.{action['field']}"]
            if action["value"] not in spec.choices:
                raise RuleError(
                    f"{item_path}.value", "not_a_choice", choices=", ".join(spec.choices)
                )


def check_time(data: object, *, path: str = "time") -> None:
    """An automation's time condition: ``{"since": "updated", "hours": 48, "working": true}``."""
    if not isinstance(data, dict):
        raise RuleError(path, "needs_time")
    extra = set(data) - {"since", "hours", "working"}
    if extra:
        raise RuleError(f"{path}.{sorted(extra)[0]}", "unknown_key")
    if data.get("since") not in TIME_SINCE:
        raise RuleError(f"{path}.since", "not_a_choice", choices=", ".join(TIME_SINCE))
    hours = data.get("hours")
    if not _is_int(hours) or not 1 <= int(str(hours)) <= 24 * 365:
        raise RuleError(f"{path}.hours", "needs_hours")
    if not isinstance(data.get("working", False), bool):
        raise RuleError(f"{path}.working", "needs_bool")


@functools.lru_cache(maxsize=256)
def _folded(text: str) -> str:
    # Every trigger on an event reads the same message text: fold it once.
    return text.casefold()


def _leaf_matches(item: Mapping[str, Any], facts: Mapping[str, object]) -> bool:
    op = item["op"]
    actual = facts.get(item["field"])
    value: Any = item.get("value")
    if op == "is_set":
        return actual is not None
    if op == "is_unset":
        return actual is None
    if op == "is":
        return bool(actual) is value
    if op == "eq":
        return bool(actual == value)
    if op == "ne":
        return bool(actual != value)
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op in ("contains", "not_contains"):
        if isinstance(actual, Sequence) and not isinstance(actual, str):
            found = value in actual
        else:
            found = _folded(str(value)) in _folded(str(actual or ""))
        return found if op == "contains" else not found
    if not isinstance(actual, int | float):
        return False
    number = float(value)
    return {
        "gt": actual > number,
        "gte": actual >= number,
        "lt": actual < number,
        "lte": actual <= number,
    }[op]


def matches(conditions: Mapping[str, Any], facts: Mapping[str, object]) -> bool:
    """Whether checked ``conditions`` hold for ``facts`` (missing facts are None)."""
    results = (
        matches(item, facts) if "rules" in item else _leaf_matches(item, facts)
        for item in conditions.get("rules", [])
    )
    if conditions.get("match", "all") == "any":
        rules = conditions.get("rules", [])
        return not rules or any(results)
    return all(results)


def fields_used(conditions: Mapping[str, Any]) -> set[str]:
    """Every field name the conditions read (to build only the facts needed)."""
    used: set[str] = set()
    for item in conditions.get("rules", []):
        if "rules" in item:
            used |= fields_used(item)
        else:
            used.add(item["field"])
    return used
