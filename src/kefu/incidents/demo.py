"""Demo data for incidents: one confirmed stoppage on existing demo customers.

``demo_load`` is called by the demo command after customers and staff are in;
it does nothing the second time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kefu.core.models import User
from kefu.core.roles import Role
from kefu.customers.models import Organisation, Project
from kefu.incidents import services
from kefu.incidents.models import ContinuationPlan, ImpactEntry, Incident


@transaction.atomic
def demo_load(*, at: datetime) -> Incident | None:
    """Create and confirm one stoppage affecting the first project's customer and two more.

    Returns the incident, or None when one exists already or the demo has no
    customers or no team lead.
    """
    if Incident.objects.exists():
        return None
    lead = User.objects.filter(role=Role.TEAM_LEAD, is_active=True).order_by("pk").first()
    project = Project.objects.select_related("organisation").order_by("pk").first()
    if lead is None or project is None:
        return None
    others = list(
        Organisation.objects.exclude(pk=project.organisation_id)
        .filter(contacts__is_active=True)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[:2]
    )
    incident = services.incident_create(
        actor=lead,
        title=f"{project.name} 停工",
        kind=Incident.Kind.CLIENT_FUNDING,
        cause="甲方进度款审批未完成，付款延后；财务部回复预计两周内完成审批。",
        next_steps="每天与甲方财务确认审批进度；先完成已到场材料的阶段性验收。",
        started_at=at - timedelta(hours=2),
        expected_from=timezone.localdate(at) + timedelta(days=14),
        expected_to=timezone.localdate(at) + timedelta(days=21),
        update_interval_hours=[3, 6, 12, 24],
        at=at - timedelta(hours=1),
    )
    services.incident_pick_affected(
        actor=lead, incident=incident, projects=[project.pk], organisations=others, at=at
    )
    services.incident_confirm(actor=lead, incident=incident, at=at)
    services.plan_add(
        actor=lead,
        incident=incident,
        kind=ContinuationPlan.Kind.STAGED_ACCEPTANCE,
        parts="已完成的水电隐蔽工程先做阶段性验收",
        at=at,
    )
    services.impact_add(
        actor=lead,
        incident=incident,
        kind=ImpactEntry.Kind.CREW_IDLE,
        description="木工班组待工",
        crew_size=6,
        at=at,
    )
    return incident
