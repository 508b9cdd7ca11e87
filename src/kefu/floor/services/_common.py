"""Helpers the floor services share: who leads whom, who watches the floor."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import PermissionDeniedError
from kefu.core.models import User
from kefu.core.roles import Perm, Role
from kefu.floor.errors import FloorErrorCode


def may_watch(actor: User, agent: User) -> bool:
    """Whether ``actor`` looks after ``agent``: floor watchers see all, leads their team."""
    if actor.has_role_perm(Perm.WATCH_FLOOR):
        return True
    return (
        actor.has_role_perm(Perm.VIEW_TEAM)
        and actor.team_id is not None
        and actor.team_id == agent.team_id
    )


def require_watch(actor: User, agent: User) -> None:
    """Raise unless ``actor`` looks after ``agent`` (``may_watch``)."""
    if not may_watch(actor, agent):
        raise PermissionDeniedError(
            FloorErrorCode.NOT_YOUR_TEAM,
            _("%(agent)s is not in a team you look after."),
            agent=agent,
        )


def leads_of(agent: User) -> QuerySet[User]:
    """The active team leads of ``agent``'s team."""
    if agent.team_id is None:
        return User.objects.none()
    return User.objects.filter(team_id=agent.team_id, role=Role.TEAM_LEAD, is_active=True)


def floor_watchers() -> QuerySet[User]:
    """Real-time analysts; department managers when there is no analyst."""
    analysts = User.objects.filter(role=Role.REALTIME_ANALYST, is_active=True)
    if analysts.exists():
        return analysts
    return User.objects.filter(role=Role.DEPARTMENT_MANAGER, is_active=True)
