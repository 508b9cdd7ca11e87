"""Roles and what each may do: the one authorization table the services consult."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
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
    MANAGE_KNOWLEDGE = "manage_knowledge"
    SET_PEOPLE_POLICY = "set_people_policy"


_AGENT = {Perm.WORK_CASES}
_LEAD = _AGENT | {
    Perm.VIEW_TEAM,
    Perm.VIEW_USERS,
    Perm.APPROVE_ESCALATIONS,
    Perm.REVEAL_PII,
    Perm.RUN_INCIDENTS,
    Perm.MANAGE_KNOWLEDGE,
}
_MANAGER = _LEAD | {
    Perm.VIEW_AUDIT,
    Perm.WATCH_FLOOR,
    Perm.SCORE_QUALITY,
    Perm.WAIVE_READINESS,
    Perm.PLAN_WORKFORCE,
    Perm.MANAGE_COACH,
    Perm.SET_PEOPLE_POLICY,
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


# What each capability lets one do and who holds it, in words, for a refusal
# (403 page and API message). tests/core/test_perm_refusals.py keeps the roles
# named here equal to ROLE_PERMISSIONS.
PERM_REFUSALS: dict[Perm, Promise] = {
    Perm.WORK_CASES: _(
        "Working cases (replies, notes, status changes) is for agents, team leads and "
        "department managers."
    ),
    Perm.VIEW_TEAM: _(
        "Team figures are for team leads, QA inspectors, real-time analysts and "
        "department managers."
    ),
    Perm.VIEW_USERS: _(
        "The staff list is for team leads, QA inspectors, real-time analysts and "
        "department managers."
    ),
    Perm.VIEW_AUDIT: _("The audit log is for department managers and administrators."),
    Perm.SCORE_QUALITY: _("Scoring quality is for QA inspectors and department managers."),
    Perm.WATCH_FLOOR: _("Watching the floor is for real-time analysts and department managers."),
    Perm.APPROVE_ESCALATIONS: _(
        "Approving escalations and compensation is for team leads and department managers."
    ),
    Perm.REVEAL_PII: _("Revealing personal data is for team leads and department managers."),
    Perm.MANAGE_USERS: _("Managing users is for administrators."),
    Perm.MANAGE_TOKENS: _("Managing other people's API tokens is for administrators."),
    Perm.MANAGE_SETTINGS: _("Changing the desk's settings is for administrators."),
    Perm.RUN_INCIDENTS: _(
        "Running stoppages and outages is for team leads and department managers."
    ),
    Perm.WAIVE_READINESS: _("Waiving a readiness check is for department managers."),
    Perm.PLAN_WORKFORCE: _(
        "Workforce planning (forecasts and schedules) is for real-time analysts and "
        "department managers."
    ),
    Perm.MANAGE_COACH: _("Managing the conflict coach is for department managers."),
    Perm.SET_PEOPLE_POLICY: _(
        "Setting people policies (sick pay per contract, hiring bars) is for department "
        "managers and administrators."
    ),
    Perm.MANAGE_KNOWLEDGE: _(
        "Reviewing and publishing knowledge-base articles, synonyms and search reports is "
        "for team leads and department managers."
    ),
}


def whom_to_ask(role: str) -> Promise:
    """Who can give ``role`` more: an agent's team lead, else an administrator."""
    if role == Role.AGENT:
        return _("Ask your team lead or an administrator if you need it.")
    return _("Ask an administrator if you need it.")


def role_grants(role: str, perm: Perm) -> bool:
    """Whether ``role`` carries ``perm``; unknown roles carry nothing."""
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
