"""Reads of the quality app; each list is behind a permission check."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.cases.models import Case, Message
from kefu.cases.selectors import access_case, visible_cases
from kefu.core.authz import authorize
from kefu.core.errors import NotFoundError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.quality.errors import QualityErrorCode
from kefu.quality.models import (
    Cause,
    CsatSurvey,
    QaCalibration,
    QaCriterion,
    QaScore,
    QaScoreItem,
    RootCauseAnalysis,
    ServqualItem,
    WarningAlarm,
)
from kefu.quality.pareto import ParetoRow, pareto


def case_for_scoring(actor: User, case_id: int) -> Case:
    """A case an inspector may score (visible to them); else not found."""
    return access_case(actor, case_id, perm=Perm.SCORE_QUALITY)


def case_for_reference(actor: User, reference: str) -> Case:
    """A case by reference, for linking to a root-cause record."""
    case = visible_cases(actor).filter(reference__iexact=reference.strip()).first()
    if case is None:
        raise NotFoundError(
            QualityErrorCode.NO_CASE, _("No case %(reference)s."), reference=reference
        )
    return case


def conversation(case: Case) -> list[Message]:
    """The case's messages to and from the customer, oldest first (for the scorer)."""
    return list(
        Message.objects.filter(case=case)
        .exclude(direction=Message.Direction.NOTE)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def _scores() -> QuerySet[QaScore]:
    return (
        QaScore.objects.select_related("case", "inspector", "agent")
        .prefetch_related(
            Prefetch("items", queryset=QaScoreItem.objects.select_related("criterion"))
        )
        .order_by("-created_at", "-pk")
    )


def qa_scores_for_agent(actor: User, *, limit: int = 50) -> list[QaScore]:
    """The actor's own scorecards and feedback, newest first (any staff member)."""
    return list(_scores().filter(agent=actor)[:limit])


def qa_scores_recent(actor: User, *, limit: int = 30) -> list[QaScore]:
    """The latest scorecards, for inspectors and managers."""
    authorize(actor, Perm.SCORE_QUALITY)
    return list(_scores().filter(calibration__isnull=True)[:limit])


def calibrations(actor: User) -> list[QaCalibration]:
    authorize(actor, Perm.SCORE_QUALITY)
    return list(
        QaCalibration.objects.select_related("case")
        .annotate(scored=Count("scores"))
        .order_by("-created_at")[:30]
    )


@dataclass(frozen=True)
class CalibrationRow:
    """One criterion across the inspectors of a session: values, mean and spread."""

    criterion: str
    values: list[int | None]
    mean: float | None
    spread: int | None
    stdev: float | None


@dataclass(frozen=True)
class CalibrationView:
    session: QaCalibration
    inspectors: list[str]
    rows: list[CalibrationRow]
    totals: list[float]


def calibration_compare(actor: User, session_id: int) -> CalibrationView:
    """Each inspector's scores side by side; spread = highest − lowest per criterion."""
    authorize(actor, Perm.SCORE_QUALITY)
    session = QaCalibration.objects.select_related("case").filter(pk=session_id).first()
    if session is None:
        raise NotFoundError(QualityErrorCode.NO_CASE, _("No such calibration session."))
    scores = list(_scores().filter(calibration=session).order_by("pk"))
    rows = []
    for criterion in QaCriterion.objects.filter(is_active=True).order_by("position", "pk"):
        values: list[int | None] = []
        for score in scores:
            item = next((i for i in score.items.all() if i.criterion_id == criterion.pk), None)
            values.append(item.value if item else None)
        known = [v for v in values if v is not None]
        rows.append(
            CalibrationRow(
                criterion=str(criterion),
                values=values,
                mean=statistics.fmean(known) if known else None,
                spread=max(known) - min(known) if known else None,
                stdev=statistics.pstdev(known) if len(known) > 1 else None,
            )
        )
    return CalibrationView(
        session=session,
        inspectors=[str(s.inspector) for s in scores],
        rows=rows,
        totals=[s.total for s in scores],
    )


def root_causes(actor: User) -> QuerySet[RootCauseAnalysis]:
    authorize(actor, Perm.VIEW_TEAM)
    return RootCauseAnalysis.objects.annotate(case_count=Count("cases")).order_by("-created_at")


def root_cause_get(actor: User, analysis_id: int) -> RootCauseAnalysis:
    authorize(actor, Perm.VIEW_TEAM)
    analysis = (
        RootCauseAnalysis.objects.prefetch_related("causes", "whys", "cases")
        .filter(pk=analysis_id)
        .first()
    )
    if analysis is None:
        raise NotFoundError(QualityErrorCode.NO_CASE, _("No such root-cause record."))
    return analysis


def cause_pareto(
    actor: User, *, start: datetime, end: datetime, by_category: bool = False
) -> list[ParetoRow]:
    """Causes of the records made in [start, end), each weighed by the number of
    cases its record explains (at least 1), sorted for a Pareto chart."""
    authorize(actor, Perm.VIEW_TEAM)
    causes = (
        Cause.objects.filter(analysis__created_at__gte=start, analysis__created_at__lt=end)
        .annotate(weight=Count("analysis__cases"))
        .values_list("category", "text", "weight")
    )
    labels = dict(Cause.Category.choices)
    tally: Counter[str] = Counter()
    for category, text, weight in causes:
        label = str(labels[category]) if by_category else f"{labels[category]}: {text}"
        tally[label] += max(weight, 1)
    return pareto(tally)


def alarms(actor: User, *, limit: int = 100) -> list[WarningAlarm]:
    authorize(actor, Perm.VIEW_TEAM)
    return list(WarningAlarm.objects.order_by("-period_start", "-pk")[:limit])


def alarm_get(actor: User, alarm_id: int) -> WarningAlarm:
    authorize(actor, Perm.VIEW_TEAM)
    alarm = WarningAlarm.objects.filter(pk=alarm_id).first()
    if alarm is None:
        raise NotFoundError(QualityErrorCode.NO_CASE, _("No such alarm."))
    return alarm


def surveys_recent(actor: User, *, limit: int = 20) -> list[CsatSurvey]:
    """The latest answered surveys (for the quality page)."""
    authorize(actor, Perm.VIEW_TEAM)
    return list(
        CsatSurvey.objects.filter(answered_at__isnull=False)
        .select_related("case", "follow_up_case")
        .order_by("-answered_at")[:limit]
    )


def servqual_items(business: str = "") -> list[ServqualItem]:
    """The 22 statements for ``business``, falling back to the default wording."""
    own = {i.number: i for i in ServqualItem.objects.filter(business=business)}
    default = {i.number: i for i in ServqualItem.objects.filter(business="")}
    return [own.get(n) or default[n] for n in sorted(default)]
