"""Template filters for the planners' codes in words (:mod:`kefu.workforce.labels`)."""

from __future__ import annotations

from django import template

from kefu.workforce import labels

register = template.Library()


@register.filter
def method_label(method: str) -> str:
    return labels.method_label(str(method))


@register.filter
def solver_status_label(status: str) -> str:
    return labels.solver_status_label(str(status))


@register.filter
def violation_text(item: object) -> str:
    return labels.violation_text(item)
