"""The audit log's codes in words, for the audit page (:mod:`kefu.core.audit_labels`)."""

from __future__ import annotations

from django import template

from kefu.core import audit_labels
from kefu.core.models import AuditEntry

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return audit_labels.action_label(action)


@register.filter
def target_type_label(target_type: str) -> str:
    return audit_labels.target_type_label(target_type)


@register.filter
def audit_changes(entry: AuditEntry) -> list[audit_labels.AuditChange]:
    return audit_labels.audit_changes(entry)
