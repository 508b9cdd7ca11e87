"""The quality endpoints under /api/v1/: dashboard figures, alarms, QA scorecards."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from kefu.core.authz import authorize
from kefu.core.requests import request_user as actor_of
from kefu.core.roles import Perm
from kefu.quality import selectors, services
from kefu.quality.metrics import insights
from kefu.quality.models import QaCalibration, QaScore
from kefu.quality.schemas import AlarmOut, InsightsOut, ScoreIn, ScoreItemOut, ScoreOut

router = Router(tags=["quality"])


def _score_out(score: QaScore) -> ScoreOut:
    return ScoreOut(
        id=score.pk,
        case_id=score.case_id,
        agent_id=score.agent_id,
        inspector_id=score.inspector_id,
        total=score.total,
        feedback=score.feedback,
        created_at=score.created_at,
        items=[
            ScoreItemOut(criterion=i.criterion.code, value=i.value, pre_score=i.pre_score)
            for i in score.items.select_related("criterion")
        ],
    )


@router.get("/quality/insights", response=InsightsOut, summary="Dashboard figures")
def insights_get(request: HttpRequest, days: int = 30) -> InsightsOut:
    authorize(actor_of(request), Perm.VIEW_TEAM)
    end = timezone.now()
    figures = insights(start=end - timedelta(days=min(max(days, 1), 366)), end=end)
    values: dict[str, Any] = {
        name: getattr(figures, name) for name in InsightsOut.model_fields if hasattr(figures, name)
    }
    values["complaint_rates"] = {r.line: r.rate for r in figures.complaint_rates}
    return InsightsOut(**values)


@router.get("/quality/alarms", response=list[AlarmOut], summary="Early-warning alarms")
def alarm_list(request: HttpRequest) -> list[AlarmOut]:
    return [
        AlarmOut(
            id=a.pk,
            series=a.series,
            key=a.key,
            method=a.method,
            period=a.period,
            period_start=a.period_start.isoformat(),
            count=a.count,
            baseline=a.baseline,
            statistic=a.statistic,
            limit=a.limit,
        )
        for a in selectors.alarms(actor_of(request))
    ]


@router.post(
    "/quality/cases/{case_id}/qa-scores",
    response={201: ScoreOut},
    summary="Score a case on the QA rubric",
)
def qa_score(request: HttpRequest, case_id: int, payload: ScoreIn) -> Status[Any]:
    actor = actor_of(request)
    case = selectors.case_for_scoring(actor, case_id)
    session = None
    if payload.calibration_id is not None:
        session = QaCalibration.objects.filter(pk=payload.calibration_id, case=case).first()
    score = services.qa_score_case(
        actor=actor,
        case=case,
        values=payload.scores,
        feedback=payload.feedback,
        at=timezone.now(),
        calibration=session,
    )
    return Status(201, _score_out(score))


@router.get("/quality/qa-scores/mine", response=list[ScoreOut], summary="My QA scorecards")
def qa_mine(request: HttpRequest) -> list[ScoreOut]:
    return [_score_out(s) for s in selectors.qa_scores_for_agent(actor_of(request))]
