"""The weekly digest: last week's figures to every department manager, by email."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from kefu.core.models import Notification, User
from kefu.core.roles import Role
from kefu.core.services import notification_send
from kefu.quality import notification_kinds
from kefu.quality.metrics import Insights, insights


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def digest_params(figures: Insights) -> dict[str, object]:
    """The digest's figures as text, for the translated body."""
    return {
        "cases": figures.cases,
        "service_level": _percent(figures.service_level),
        "answer_rate": _percent(figures.answer_rate),
        "first_response": _number(figures.first_response_minutes, 0),
        "resolution": _number(figures.resolution_hours),
        "backlog": figures.backlog,
        "escalations": figures.escalations,
        "over_heads": figures.over_heads,
        "kept": _percent(figures.commitments_kept),
        "csat": _number(figures.csat_mean),
        "responses": figures.csat_responses,
        "nps": _number(figures.nps, 0),
    }


def digest_send(*, at: datetime) -> list[Notification]:
    """Send the last seven days' figures to every active department manager."""
    figures = insights(start=at - timedelta(days=7), end=at)
    params = digest_params(figures)
    link = reverse("quality:insights")
    return [
        notification_send(
            recipient=manager,
            code=notification_kinds.DIGEST,
            link=link,
            at=at,
            params=params,
        )
        for manager in User.objects.filter(is_active=True, role=Role.DEPARTMENT_MANAGER)
    ]
