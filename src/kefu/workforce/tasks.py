"""Background work of the workforce app: solving a schedule."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from kefu.workforce import services


@task()
def schedule_solve(*, schedule_id: int) -> str:
    """Solve one queued schedule; returns its status. Safe to run twice (the row is claimed)."""
    return services.schedule_solve(schedule_id=schedule_id, at=timezone.now()).status
