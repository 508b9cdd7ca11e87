"""Roles and what each may do: the one authorization table the services consult."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    TEAM_LEAD = "team_lead", _("Team lead")
    QA_INSPECTOR = "qa_inspector", _("QA inspector")
    REALTIME_ANALYST = "realtime_analyst", _("Real-time analyst")
    DEPARTMENT_MANAGER = "department_manager", _("Department manager")
    ADMINISTRATOR = "administrator", _("Administrator")


class Perm(StrEnum):
    """Capabilities. Services ask for one of these; roles grant them."""

    WORK_CASES = "work_cases"
    VIEW_TEAM = "view_team"
    VIEW_USERS = "view_users"
    VIEW_AUDIT = "view_audit"
    SCORE_QUALITY = "score_quality"
    WATCH_FLOOR = "watch_floor"
    APPROVE_ESCALATIONS = "approve_escalations"
    REVEAL_PII = "reveal_pii"
    MANAGE_USERS = "manage_users"
    MANAGE_TOKENS = "manage_tokens"
    MANAGE_SETTINGS = "manage_settings"
    RUN_INCIDENTS = "run_incidents"
    WAIVE_READINESS = "waive_readiness"
    PLAN_WORKFORCE = "plan_workforce"
    MANAGE_COACH = "manage_coach"


_AGENT = {Perm.WORK_CASES}
_LEAD = _AGENT | {
    Perm.VIEW_TEAM,
    Perm.VIEW_USERS,
    Perm.APPROVE_ESCALATIONS,
    Perm.REVEAL_PII,
    Perm.RUN_INCIDENTS,
}
_MANAGER = _LEAD | {
    Perm.VIEW_AUDIT,
    Perm.WATCH_FLOOR,
    Perm.SCORE_QUALITY,
    Perm.WAIVE_READINESS,
    Perm.PLAN_WORKFORCE,
    Perm.MANAGE_COACH,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.AGENT: frozenset(_AGENT),
    Role.TEAM_LEAD: frozenset(_LEAD),
    Role.QA_INSPECTOR: frozenset({Perm.SCORE_QUALITY, Perm.VIEW_TEAM, Perm.VIEW_USERS}),
    Role.REALTIME_ANALYST: frozenset(
        {Perm.WATCH_FLOOR, Perm.VIEW_TEAM, Perm.VIEW_USERS, Perm.PLAN_WORKFORCE}
    ),
    Role.DEPARTMENT_MANAGER: frozenset(_MANAGER),
    Role.ADMINISTRATOR: frozenset(set(Perm)),
}


def role_grants(role: str, perm: Perm) -> bool:
    """Whether ``role`` carries ``perm``; unknown roles carry nothing."""
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
