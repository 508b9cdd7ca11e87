"""Writing the audit log. Only services call ``audit_record``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

from kefu.core.models import AuditEntry, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry: ``actor`` did ``action`` to ``target`` at ``at``.

    ``before`` and ``after`` hold only the fields the action changed, as JSON
    values. ``actor`` is None for the system (clock loop, worker).
    """
    return AuditEntry.objects.create(
        at=at,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        before=before,
        after=after,
        ip_address=ip_address,
    )
