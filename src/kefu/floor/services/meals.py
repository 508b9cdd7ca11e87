"""Protected meals: warn the real-time analyst before traffic pushes a meal past its window."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kefu.core import domain_events
from kefu.core.authz import authorize
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.core.services import notification_send
from kefu.floor import notification_kinds, plan
from kefu.floor.days import local_day
from kefu.floor.errors import FloorErrorCode
from kefu.floor.meals import MealRisk, MoveKind, meal_risks
from kefu.floor.models import MealAlert
from kefu.floor.services._common import floor_watchers

# Look this far ahead: time enough to move a break or call someone back.
HORIZON = timedelta(hours=3)
# A meal may end this much later than planned and still be inside its window.
MEAL_SLACK = timedelta(minutes=30)


def _proposals(risk: MealRisk) -> list[dict[str, object]]:
    return [
        {
            "kind": str(move.kind),
            "agent_id": move.agent_id,
            "name": move.name,
            "start": move.start.isoformat(),
            "end": move.end.isoformat(),
        }
        for move in risk.moves
    ]


def _names(risk: MealRisk, kind: MoveKind) -> str:
    names = dict.fromkeys(move.name for move in risk.moves if move.kind is kind)
    return ", ".join(names) or "—"


@transaction.atomic
def meal_protection_run(*, at: datetime) -> list[MealAlert]:
    """Project today's traffic and raise one alert per meal that would leave its window.

    Run by the clock every few minutes; safe to run again (one alert per meal).
    Each alert names the proposed moves and notifies the real-time analysts.
    Open alerts whose meal is no longer at risk, and has not begun, are resolved.
    """
    from kefu.floor.selectors.intraday import required_by_interval

    day = local_day(at)
    required, step = required_by_interval(day, now=at)
    if not required:
        return []
    risks = meal_risks(
        days=plan.agent_days(day),
        required=required,
        interval=step,
        now=at,
        horizon=HORIZON,
        slack=MEAL_SLACK,
    )
    at_risk = {(risk.agent_id, risk.meal.start) for risk in risks}
    for alert in MealAlert.objects.filter(status=MealAlert.Status.OPEN, meal_start__gt=at):
        if (alert.agent_id, alert.meal_start) not in at_risk:
            MealAlert.objects.filter(pk=alert.pk, status=MealAlert.Status.OPEN).update(
                status=MealAlert.Status.RESOLVED, resolved_at=at
            )
    created = []
    for risk in risks:
        try:
            with transaction.atomic():
                alert = MealAlert.objects.create(
                    agent_id=risk.agent_id,
                    meal_start=risk.meal.start,
                    meal_end=risk.meal.end,
                    window_end=risk.window_end,
                    projected_start=risk.projected_start,
                    proposals=_proposals(risk),
                    created_at=at,
                )
        except IntegrityError:
            continue  # already alerted for this meal
        created.append(alert)
        # Outbound webhooks: ids and instants only (the agent's name stays inside).
        domain_events.publish(
            "floor.meal_at_risk",
            {
                "alert": alert.pk,
                "agent": alert.agent_id,
                "meal_start": alert.meal_start.isoformat(),
                "meal_end": alert.meal_end.isoformat(),
                "window_end": alert.window_end.isoformat(),
                "projected_start": alert.projected_start.isoformat()
                if alert.projected_start
                else None,
            },
            at=at,
        )
        for watcher in floor_watchers():
            notification_send(
                recipient=watcher,
                code=notification_kinds.MEAL_AT_RISK,
                params={
                    "agent": risk.name,
                    "start": risk.meal.start,
                    "window_end": risk.window_end,
                    "swap": _names(risk, MoveKind.SWAP_BREAK),
                    "take": _names(risk, MoveKind.TAKE_CALLS),
                },
                link=reverse("floor:meals"),
                at=at,
            )
    return created


def meal_alert_resolve(*, actor: User, alert_id: int, at: datetime) -> MealAlert:
    """The analyst has acted on the alert (moved a break, called someone in)."""
    authorize(actor, Perm.WATCH_FLOOR)
    MealAlert.objects.filter(pk=alert_id, status=MealAlert.Status.OPEN).update(
        status=MealAlert.Status.RESOLVED, resolved_at=at, resolved_by=actor
    )
    alert = MealAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise NotFoundError(FloorErrorCode.ALERT_NOT_FOUND, _("No such meal alert."))
    return alert
