"""Plans sent for the customers' approval (issue 21): the staff action and the signed page."""

from __future__ import annotations

from django.utils import timezone

from kefu.incidents.models import ContinuationPlan, IncidentContact
from kefu.incidents.services.plans import plan_token
from tests.security.matrix_world import World

# fmt: off
PAGES = {
    "incidents:plan_page": "AAAAAAA",
    "incidents:plan_send": "MMMMMMM",
}
# fmt: on

CUSTOMER_PAGES = {"incidents:plan_page"}


def extend_world(world: World) -> None:
    now = timezone.now()
    incident_id = int(str(world.values["incident_id"]))
    contact_id = int(str(world.values["contact_id"]))
    IncidentContact.objects.get_or_create(
        incident_id=incident_id, contact_id=contact_id, defaults={"via": "contact", "added_at": now}
    )
    plan = ContinuationPlan.objects.create(
        incident_id=incident_id,
        kind=ContinuationPlan.Kind.REMEDY,
        parts="分段施工",
        created_by=world.users["team_lead"],
        created_at=now,
        sent_at=now,
    )
    world.values["plan_id"] = plan.pk
    world.values["token@incidents:plan_page"] = plan_token(plan_id=plan.pk, contact_id=contact_id)
