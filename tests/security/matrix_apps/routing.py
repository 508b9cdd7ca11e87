"""Routing's rows of the permission matrix (codes as in test_permission_matrix).

Settings and skills are for team leads, department managers and administrators
(a lead for their own team); a case's routing is read by whoever may work the
case. The DELETE of the world's one skill succeeds for the lead, the first column
allowed, so the columns after it find nothing (404).
"""

from __future__ import annotations

from django.utils import timezone

from kefu.core.roles import Role
from kefu.routing.models import AgentSkill
from tests.security.matrix_world import World

# fmt: off
API: dict[str, str] = {
    "GET /api/v1/routing/teams": "UFAFFAA",
    "GET /api/v1/routing/teams/{team_id}": "UFAFFAA",
    "PUT /api/v1/routing/teams/{team_id}": "UFAFFAA",
    "GET /api/v1/routing/teams/{team_id}/skills": "UFAFFAA",
    "POST /api/v1/routing/skills": "UAAAAAA",  # an empty body is refused (422) first
    "DELETE /api/v1/routing/skills/{skill_id}": "UFAFFNN",
    "GET /api/v1/routing/cases/{case_id}": "UAAFFAA",
    "PUT /api/v1/routing/cases/{case_id}/requirements": "UAAAAAA",  # 422 on an empty body
    "POST /api/v1/routing/cases/{case_id}/route": "UFAFFAA",
}

PAGES: dict[str, str] = {
    "routing:index": "LFAFFAA",
    "routing:team": "LFAFFAA",
    "routing:skill_add": "MMMMMMM",
    "routing:skill_remove": "MMMMMMM",
    "routing:case_panel": "LAAFFAA",
    "routing:case_requirements": "MMMMMMM",
    "routing:case_route": "MMMMMMM",
}
# fmt: on


def extend_world(world: World) -> None:
    agent = world.users[str(Role.AGENT)]
    assert agent.team_id is not None
    skill = AgentSkill.objects.create(
        agent=agent, kind="topic", value="漏水", level=2, updated_at=timezone.now()
    )
    world.values["team_id"] = agent.team_id
    world.values["skill_id"] = skill.pk
