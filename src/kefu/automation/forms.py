"""The rule builder's form rows, read into the JSON the schema checks.

Each condition row posts ``cond_field``, ``cond_op`` and ``cond_value``; each
action row ``action_type``, ``action_field`` and ``action_value`` (repeated
names, one per row; empty rows are dropped). Values are read by the field's
type: ``true``/``false`` for yes-no fields, numbers, record ids, and lists
separated by commas (or ，、) for "one of" and tags. Nothing here checks the
rule: :func:`kefu.automation.services.rule_validate` does, naming the field.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict

from kefu.automation.facts import FIELDS
from kefu.automation.rules import LIST_OPS, NO_VALUE_OPS, FieldType

_SPLIT = re.compile(r"\s*[,，、]\s*")


def _scalar(kind: FieldType | None, text: str) -> object:
    text = text.strip()
    if kind == FieldType.BOOL:
        return {"true": True, "false": False, "是": True, "否": False}.get(text.lower(), text)
    if kind == FieldType.NUMBER:
        try:
            return float(text) if "." in text else int(text)
        except ValueError:
            return text
    if kind == FieldType.ID:
        return int(text) if text.isdigit() else text
    return text


def _items(text: str) -> list[str]:
    return [part for part in _SPLIT.split(text.strip()) if part]


def conditions_from(data: QueryDict) -> dict[str, Any]:
    rows = zip(
        data.getlist("cond_field"),
        data.getlist("cond_op"),
        data.getlist("cond_value"),
        strict=False,
    )
    rules: list[dict[str, Any]] = []
    for field, op, value in rows:
        if not field:
            continue
        spec = FIELDS.get(field)
        kind = spec.type if spec else None
        item: dict[str, Any] = {"field": field, "op": op}
        if op in LIST_OPS:
            item["value"] = [_scalar(kind, part) for part in _items(value)]
        elif op not in NO_VALUE_OPS:
            item["value"] = _scalar(kind, value)
        rules.append(item)
    match = data.get("match", "all")
    return {"match": match, "rules": rules}


def actions_from(data: QueryDict) -> list[dict[str, Any]]:
    rows = zip(
        data.getlist("action_type"),
        data.getlist("action_field"),
        data.getlist("action_value"),
        strict=False,
    )
    actions: list[dict[str, Any]] = []
    for kind, field, value in rows:
        value = value.strip()
        if not kind:
            continue
        if kind == "set_field":
            actions.append({"type": kind, "field": field, "value": value})
        elif kind == "add_tags":
            actions.append({"type": kind, "tags": _items(value)})
        elif kind in ("assign_person", "assign_team", "reply_template", "webhook"):
            key = {
                "assign_person": "user",
                "assign_team": "team",
                "reply_template": "template",
                "webhook": "subscription",
            }[kind]
            actions.append({"type": kind, key: _scalar(FieldType.ID, value)})
        elif kind == "add_watchers":
            actions.append(
                {"type": kind, "users": [_scalar(FieldType.ID, v) for v in _items(value)]}
            )
        elif kind == "note":
            actions.append({"type": kind, "text": value})
        elif kind == "notify":
            action: dict[str, Any] = {"type": kind, "to": field}
            if value:
                action["text"] = value
            actions.append(action)
        else:
            actions.append({"type": kind})
    return actions


def time_from(data: QueryDict) -> dict[str, Any] | None:
    since = data.get("time_since", "")
    if not since:
        return None
    hours: object = data.get("time_hours", "").strip()
    return {
        "since": since,
        "hours": int(str(hours)) if str(hours).isdigit() else hours,
        "working": data.get("time_working") == "on",
    }


def rows_of(rule_conditions: dict[str, Any]) -> list[dict[str, str]]:
    """Condition rows to show again (a list value shown joined by commas)."""
    rows = []
    for item in rule_conditions.get("rules", []):
        if "rules" in item:
            continue
        value = item.get("value")
        shown = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        if isinstance(shown, bool):
            shown = "true" if shown else "false"
        rows.append(
            {"field": item["field"], "op": item["op"], "value": "" if shown is None else str(shown)}
        )
    return rows


def action_rows(actions: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for action in actions:
        kind = action["type"]
        field = str(action.get("field") or action.get("to") or "")
        value: object = next(
            (
                action[key]
                for key in ("value", "user", "team", "template", "subscription", "text")
                if key in action
            ),
            "",
        )
        if kind == "add_tags":
            value = ", ".join(action["tags"])
        elif kind == "add_watchers":
            value = ", ".join(str(v) for v in action["users"])
        rows.append({"type": kind, "field": field, "value": str(value)})
    return rows
