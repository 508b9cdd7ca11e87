"""The rule builder's form rows, read into the JSON the schema checks.

Each condition row posts ``cond_field``, ``cond_op``, ``cond_pick`` and
``cond_value``; each action row ``action_type``, ``action_field``,
``action_team``, ``action_person`` and ``action_value`` (repeated names, one per
row; empty rows are dropped). Teams and people are picked by name from select
lists and posted as ids (``cond_pick`` as ``team:7``, ``user:12`` or
``department:3``), so the stored JSON keeps ids; a typed id in the value box
still works when nothing is picked. Values are read by the field's
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


# Which kind of record an id field's picked value must be (``cond_pick``).
PICK_KIND = {"case.team": "team", "case.owner": "user", "case.department": "department"}


def _columns(data: QueryDict, first: str, *others: str) -> list[tuple[str, ...]]:
    """The rows of repeated fields ``first`` and ``others``; a column a form did not
    post (an older page) reads as empty rather than cutting the rows short."""
    leading = data.getlist(first)
    columns = [leading] + [data.getlist(name) for name in others]
    width = len(leading)
    padded = [column[:width] + [""] * (width - len(column)) for column in columns]
    return list(zip(*padded, strict=True))


def _picked(field: str, pick: str) -> str | None:
    """The id picked for ``field`` (``team:7`` → ``7``), or None when nothing is picked.

    A pick of another kind than the field holds (a person for ``case.team``) is
    kept whole, so the schema check refuses it naming the field."""
    if not pick:
        return None
    kind, _sep, record = pick.partition(":")
    return record if kind == PICK_KIND.get(field) else pick


def conditions_from(data: QueryDict) -> dict[str, Any]:
    rows = _columns(data, "cond_field", "cond_op", "cond_value", "cond_pick")
    rules: list[dict[str, Any]] = []
    for field, op, typed, pick in rows:
        if not field:
            continue
        spec = FIELDS.get(field)
        kind = spec.type if spec else None
        picked = _picked(field, pick) if field in PICK_KIND else None
        value = typed if picked is None else picked
        item: dict[str, Any] = {"field": field, "op": op}
        if op in LIST_OPS:
            item["value"] = [_scalar(kind, part) for part in _items(value)]
        elif op not in NO_VALUE_OPS:
            item["value"] = _scalar(kind, value)
        rules.append(item)
    match = data.get("match", "all")
    return {"match": match, "rules": rules}


def actions_from(data: QueryDict) -> list[dict[str, Any]]:
    rows = _columns(
        data, "action_type", "action_field", "action_value", "action_team", "action_person"
    )
    actions: list[dict[str, Any]] = []
    for kind, field, typed, team, person in rows:
        value = typed.strip()
        if not kind:
            continue
        if kind == "assign_team" and team:
            value = team
        elif kind in ("assign_person", "add_watchers") and person:
            value = person
        if kind == "add_watchers" and actions and actions[-1]["type"] == "add_watchers":
            # One person picked per row: consecutive rows make one action.
            actions[-1]["users"].extend(_scalar(FieldType.ID, v) for v in _items(value))
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
        shown = "" if shown is None else str(shown)
        kind = PICK_KIND.get(item["field"])
        # One id of a team, person or department shows as picked by name.
        picked = bool(kind) and shown.isdigit()
        rows.append(
            {
                "field": item["field"],
                "op": item["op"],
                "value": shown,
                "pick_kind": (kind or "") if picked else "",
                "pick_id": shown if picked else "",
            }
        )
    return rows


def action_rows(actions: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
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
            # One row per watcher, each picked by name (read back as one action).
            rows.extend(
                {"type": kind, "field": "", "value": str(user), "team": "", "person": str(user)}
                for user in action["users"]
            )
            continue
        rows.append(
            {
                "type": kind,
                "field": field,
                "value": str(value),
                "team": str(action["team"]) if kind == "assign_team" else "",
                "person": str(action["user"]) if kind == "assign_person" else "",
            }
        )
    return rows
