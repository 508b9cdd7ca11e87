"""Reads of the core app shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from kefu.core.authz import authorize
from kefu.core.models import AuditEntry, Department, Notification, Team, User
from kefu.core.roles import Perm


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    target_type: str = ""
    target_id: str = ""
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_list(*, actor: User, filters: AuditFilter) -> QuerySet[AuditEntry]:
    """Audit entries ``actor`` may read, newest first, narrowed by ``filters``."""
    authorize(actor, Perm.VIEW_AUDIT)
    entries = AuditEntry.objects.all()
    if filters.actor:
        entries = entries.filter(actor_name__icontains=filters.actor)
    if filters.action:
        entries = entries.filter(action__icontains=filters.action)
    if filters.target_type:
        entries = entries.filter(target_type__icontains=filters.target_type)
    if filters.target_id:
        entries = entries.filter(target_id=filters.target_id)
    if filters.since:
        entries = entries.filter(at__gte=_day_start(filters.since))
    if filters.until:
        entries = entries.filter(at__lt=_day_start(filters.until + timedelta(days=1)))
    return entries.order_by("-at", "-id")


def user_list(*, actor: User) -> QuerySet[User]:
    """Active staff ``actor`` may see, with department and team."""
    authorize(actor, Perm.VIEW_USERS)
    return (
        User.objects.filter(is_active=True)
        .select_related("department", "team")
        .order_by("department__name", "username")
    )


def department_list() -> QuerySet[Department]:
    return Department.objects.order_by("name")


def team_list() -> QuerySet[Team]:
    return Team.objects.select_related("department").order_by("department__name", "name")


def notifications_unread(*, actor: User, limit: int = 10) -> list[Notification]:
    """``actor``'s newest unread notifications."""
    return list(Notification.objects.filter(recipient=actor, read_at__isnull=True)[:limit])
