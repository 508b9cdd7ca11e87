"""Names people read for the planners' internal codes: forecast methods and the
scheduling solver's status (the cores return codes such as ``holt_winters`` and
``feasible``; pages, exports and the API text show these labels)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kefu.workforce.messages import explain
from kefu.workforce.models import ShiftActivity

METHOD_LABELS: dict[str, Promise] = {
    "weekday_profile": _("Weekday profile"),
    "seasonal_naive": _("Same day last week"),
    "holt_winters": _("Holt-Winters (trend and weekly season)"),
    "robust_profile": _("Weekday profile without unusual days"),
}

SOLVER_STATUS_LABELS: dict[str, Promise] = {
    "optimal": _("Best possible schedule"),
    "feasible": _("Good schedule (the solver's time ran out before proving it the best)"),
    "infeasible": _("No schedule meets every rule"),
    "unknown": _("No schedule found in the time allowed"),
}


def method_label(method: str) -> str:
    """A forecast method in the active language, or its code when unknown."""
    label = METHOD_LABELS.get(method)
    return str(label) if label is not None else method


def solver_status_label(status: str) -> str:
    """The solver's status in the active language, or its code when unknown."""
    label = SOLVER_STATUS_LABELS.get(status)
    return str(label) if label is not None else status


def _activity(value: object) -> str:
    text = str(value)
    return str(ShiftActivity.Type(text).label) if text in ShiftActivity.Type.values else text


def violation_text(item: object) -> str:
    """One broken rule of a solved schedule in the active language: a stored
    ``[code, params]`` pair, or the English line older schedules kept."""
    if not isinstance(item, list | tuple) or len(item) != 2 or not isinstance(item[1], dict):
        return str(item)
    code, params = str(item[0]), dict(item[1])
    for key in ("activity", "first", "second"):
        if key in params:
            params[key] = _activity(params[key]).lower()
    for key in ("got", "wanted"):
        if isinstance(params.get(key), list):
            params[key] = ", ".join(_activity(kind).lower() for kind in params[key]) or "—"
    return explain(code, params)
