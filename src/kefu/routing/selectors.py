"""Reads of routing: who may manage which team, where each agent is now, their load,
a case's requirements. Pages, the API and ``services.route_case`` share them.

Routing runs on every new case, so ``candidates_for`` is one query for the team's
agents with their shift, leave and floor state (subqueries), one for their skills
and one for their open cases, written out in ``kefu.routing.sql``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case, Message
from kefu.core.errors import NotFoundError, PermissionDeniedError
from kefu.core.models import Team, User
from kefu.core.roles import Role
from kefu.floor.models import AgentState
from kefu.routing import engine, sql
from kefu.routing.errors import RoutingErrorCode
from kefu.routing.models import AgentSkill, CaseRouting, SkillKind, TeamRouting

MANAGER_ROLES = frozenset({Role.TEAM_LEAD, Role.DEPARTMENT_MANAGER, Role.ADMINISTRATOR})
# Floor states in which an agent is signed in and working (a break, training or a
# meeting is not; no state row at all is signed out).
WORKING_STATES = (
    AgentState.State.AVAILABLE,
    AgentState.State.ON_CONTACT,
    AgentState.State.AFTER_CONTACT,
)
BREAK_STATES = (
    AgentState.State.SCHEDULED_BREAK,
    AgentState.State.MEAL,
    AgentState.State.SPECIAL_BREAK,
    AgentState.State.TRAINING,
    AgentState.State.MEETING,
)
# Open cases that count against an agent's capacity (waiting on the customer does not).
LOAD_STATUSES = (Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING_DEPARTMENT)
OPEN_STATUSES = (*LOAD_STATUSES, Case.Status.WAITING_CUSTOMER)


def can_manage(actor: User) -> bool:
    return actor.is_active and (actor.is_superuser or actor.role in MANAGER_ROLES)


def authorize_manage(actor: User) -> None:
    """Routing settings and skills are for team leads, department managers and administrators."""
    if not can_manage(actor):
        raise PermissionDeniedError(
            RoutingErrorCode.NOT_ALLOWED,
            _(
                "Routing settings and skills are for team leads, department managers and "
                "administrators. Ask your team lead if a skill of yours is missing."
            ),
        )


def teams_for(actor: User) -> QuerySet[Team]:
    """The teams whose routing ``actor`` manages: a lead their team, a manager their
    department's, an administrator every team."""
    authorize_manage(actor)
    teams = Team.objects.select_related("department").order_by("department__name", "name")
    if actor.is_superuser or actor.role == Role.ADMINISTRATOR:
        return teams
    if actor.role == Role.DEPARTMENT_MANAGER:
        if actor.department_id is None:
            return teams.none()
        return teams.filter(department_id=actor.department_id)
    if actor.team_id is None:
        return teams.none()
    return teams.filter(pk=actor.team_id)


def access_team(actor: User, team_id: int) -> Team:
    team = teams_for(actor).filter(pk=team_id).first()
    if team is None:
        raise NotFoundError(RoutingErrorCode.TEAM_NOT_FOUND, _("No such team among yours."))
    return team


def team_routing(team: Team) -> TeamRouting | None:
    return TeamRouting.objects.filter(team=team).first()


def team_agents(team: Team) -> QuerySet[User]:
    """The agents routing may give the team's cases to."""
    return User.objects.filter(team=team, is_active=True, role=Role.AGENT).order_by("pk")


def skills_for_team(team: Team) -> QuerySet[AgentSkill]:
    return (
        AgentSkill.objects.filter(agent__team=team, agent__is_active=True)
        .select_related("agent")
        .order_by("agent__username", "kind", "value")
    )


def access_skill(actor: User, skill_id: int) -> AgentSkill:
    skill = AgentSkill.objects.filter(
        pk=skill_id, agent__team__in=teams_for(actor).values("pk")
    ).first()
    if skill is None:
        raise NotFoundError(RoutingErrorCode.SKILL_NOT_FOUND, _("No such skill in your teams."))
    return skill


def case_routing(case: Case) -> CaseRouting | None:
    return CaseRouting.objects.filter(case=case).first()


def waiting_for_team(team: Team) -> QuerySet[CaseRouting]:
    """The team's cases routing could not give anyone, oldest first, with why."""
    return (
        CaseRouting.objects.filter(
            status=CaseRouting.Status.WAITING, case__team=team, case__owner__isnull=True
        )
        .select_related("case")
        .order_by("waiting_since", "pk")
    )


# -- where the agents are ------------------------------------------------------------------


def _presence(
    *, on_leave: bool, on_shift: bool, state: str | None, require_shift: bool
) -> engine.Presence:
    if on_leave:
        return engine.Presence.ON_LEAVE
    if require_shift and not on_shift:
        return engine.Presence.OFF_SHIFT
    if state in BREAK_STATES:
        return engine.Presence.ON_BREAK
    if state in WORKING_STATES:
        return engine.Presence.AVAILABLE
    return engine.Presence.SIGNED_OUT


def candidates_for(
    team: Team, *, channel: str, at: datetime, require_shift: bool = True
) -> tuple[list[engine.Candidate], dict[int, User]]:
    """The team's agents as routing sees them at ``at``: presence (published shift,
    approved leave today, open floor state), skills and open-case load."""
    day = timezone.localdate(at)
    fetched = sql.team_agents(team_id=team.pk, at=at, day=day)
    if not fetched:
        return [], {}
    rows: list[User] = []
    presence: dict[int, engine.Presence] = {}
    for *fields, on_shift, on_leave, floor_state in fetched:
        row = User.from_db(connection.alias, sql.AGENT_FIELDS, fields)
        rows.append(row)
        presence[row.pk] = _presence(
            on_leave=bool(on_leave),
            on_shift=bool(on_shift),
            state=floor_state,
            require_shift=require_shift,
        )
    ids = [row.pk for row in rows]
    skills: dict[int, dict[tuple[str, str], int]] = {pk: {} for pk in ids}
    for agent_id, kind, value, level in sql.agent_skills(ids):
        skills[agent_id][(kind, value)] = level
    load = dict.fromkeys(ids, 0)
    channel_open = dict.fromkeys(ids, 0)
    for owner_id, case_channel, priority, n in sql.open_case_counts(ids, LOAD_STATUSES):
        load[owner_id] += engine.PRIORITY_WEIGHT.get(priority, 1) * n
        if case_channel == channel:
            channel_open[owner_id] += n
    candidates = [
        engine.Candidate(
            agent_id=row.pk,
            presence=presence[row.pk],
            skills=skills[row.pk],
            load=load[row.pk],
            channel_open=channel_open[row.pk],
        )
        for row in rows
    ]
    return candidates, {row.pk: row for row in rows}


# -- what a case needs ---------------------------------------------------------------------


def inbound_facts(case: Case) -> tuple[str, bool]:
    """The customer's first message (topics are read in it) and whether their latest
    one reads as a threat, in one query."""
    rows = list(
        Message.objects.filter(case=case, direction=Message.Direction.INBOUND)
        .order_by("created_at", "pk")
        .values_list("body", "threat")
    )
    if not rows:
        return "", False
    return rows[0][0], bool(rows[-1][1])


def derived_requirements(
    case: Case, *, first_message: str | None = None
) -> list[engine.Requirement]:
    """What the case needs, read from the case: its category, the contact's language,
    the channel, the organisation's tier and region, and any topic some agent holds
    as a skill that the subject, first message or tags name.

    A fact counts only when some agent on the desk holds a skill for it, so a desk
    that never entered a language skill does not wait for one.
    """
    held: dict[str, set[str]] = {}
    for kind, value in sql.held_skills():
        held.setdefault(kind, set()).add(value)
    if not held:
        return []
    organisation = case.organisation
    facts: list[tuple[str, str]] = [
        (SkillKind.CATEGORY, case.category),
        (SkillKind.LANGUAGE, case.contact.language),
        (SkillKind.CHANNEL, case.channel),
    ]
    if organisation is not None:
        facts.append((SkillKind.TIER, organisation.tier))
        if organisation.region:
            facts.append((SkillKind.REGION, organisation.region))
    needs = [
        engine.Requirement(kind, value) for kind, value in facts if value in held.get(kind, ())
    ]
    topics = held.get(SkillKind.TOPIC, set())
    if topics:
        body = inbound_facts(case)[0] if first_message is None else first_message
        text = f"{case.subject}\n{body}"
        tags = {str(tag) for tag in case.tags or []}
        needs.extend(
            engine.Requirement(SkillKind.TOPIC, topic)
            for topic in sorted(topics)
            if topic in tags or topic in text
        )
    return needs


def requirements_for(
    case: Case, routing: CaseRouting | None, *, first_message: str | None = None
) -> list[engine.Requirement]:
    """The requirements set by hand when there are, else those read from the case."""
    if routing is not None and routing.is_manual:
        return [
            engine.Requirement(str(item["kind"]), str(item["value"]), int(item.get("level", 1)))
            for item in routing.requirements
        ]
    return derived_requirements(case, first_message=first_message)


# -- a returning customer ------------------------------------------------------------------


def sticky_agents(case: Case, *, at: datetime, days: int) -> tuple[int | None, int | None]:
    """The agent owning the contact's other open case, and the agent who served the
    contact last within ``days`` (the owner of their latest other case)."""
    if days <= 0:
        return None, None
    # One query: the open cases first, then the latest.
    found = sql.contact_latest_owner(
        contact_id=case.contact_id, except_case_id=case.pk, open_statuses=OPEN_STATUSES
    )
    if found is None:
        return None, None
    owner_id, closed, updated_at = found
    if not closed:
        return owner_id, None
    if updated_at >= at - timedelta(days=days):
        return None, owner_id
    return None, None


def lead_for(case: Case) -> User | None:
    """The team's lead, else a lead of the department (as the escalation ladder finds them)."""
    leads = User.objects.filter(
        is_active=True, role=Role.TEAM_LEAD, department_id=case.department_id
    ).order_by("pk")
    if case.team_id:
        in_team = leads.filter(team_id=case.team_id).first()
        if in_team is not None:
            return in_team
    return leads.first()
