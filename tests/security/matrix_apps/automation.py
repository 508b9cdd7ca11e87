"""Automation's rows of the permission matrix (codes as in test_permission_matrix).

Rules are kept by department managers (their department's) and administrators
(all); the world's rule is an administrator's, so a department manager does not
see it (404). Macros are applied by whoever works cases; webhooks are for
administrators. POSTs with an empty body are judged on their content (422) first.
"""

from __future__ import annotations

from django.utils import timezone

from kefu.automation import services
from kefu.automation.models import Macro, Rule
from kefu.core.roles import Role
from tests.security.matrix_world import World

# fmt: off
API: dict[str, str] = {
    "GET /api/v1/automation/rules": "UFFFFAA",
    "POST /api/v1/automation/rules": "UAAAAAA",
    "GET /api/v1/automation/rules/{rule_id}": "UFFFFNA",
    "PUT /api/v1/automation/rules/{rule_id}": "UAAAAAA",
    "DELETE /api/v1/automation/rules/{rule_id}": "UFFFFNA",
    "GET /api/v1/automation/rules/{rule_id}/runs": "UFFFFNN",
    "POST /api/v1/automation/dry-run": "UAAAAAA",
    "GET /api/v1/automation/macros": "UAAFFAA",
    "POST /api/v1/automation/macros": "UAAAAAA",
    "POST /api/v1/automation/macros/{macro_id}/apply/{case_id}": "UAAFFAA",
    "GET /api/v1/automation/webhooks": "UFFFFFA",
    "POST /api/v1/automation/webhooks": "UAAAAAA",
    "GET /api/v1/automation/webhooks/deliveries": "UFFFFFA",
}

PAGES: dict[str, str] = {
    "automation:index": "LFFFFAA",
    "automation:rule_new": "LFFFFAA",
    "automation:dry_run": "MMMMMMM",
    "automation:rule_edit": "LFFFFNA",
    "automation:rule_delete": "MMMMMMM",
    "automation:rule_runs": "LFFFFNA",
    "automation:macros": "LAAFFAA",
    "automation:macro_bulk": "MMMMMMM",
    "automation:macro_bulk_options": "LAAFFAA",
    "automation:macro_panel": "LAAFFAA",
    "automation:macro_apply": "MMMMMMM",
    "automation:webhooks": "LFFFFFA",
}
# fmt: on


def extend_world(world: World) -> None:
    admin = world.users[str(Role.ADMINISTRATOR)]
    now = timezone.now()
    rule = services.rule_save(
        actor=admin,
        name="矩阵规则",
        kind=Rule.Kind.TRIGGER,
        events=["case_opened"],
        conditions={},
        actions=[{"type": "add_tags", "tags": ["矩阵"]}],
        at=now,
    )
    macro = services.macro_save(
        actor=admin,
        name="矩阵宏",
        scope=Macro.Scope.SHARED,
        actions=[{"type": "add_tags", "tags": ["矩阵"]}],
        at=now,
    )
    world.values["rule_id"] = rule.pk
    world.values["macro_id"] = macro.pk
