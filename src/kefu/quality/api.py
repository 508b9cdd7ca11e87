"""The quality endpoints under /api/v1/: dashboard figures, alarms, QA scorecards."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from kefu.core.authz import authorize
from kefu.core.requests import request_user as actor_of
from kefu.core.roles import Perm
from kefu.quality import campaign_results, selectors, services
from kefu.quality.metrics import insights
from kefu.quality.models import QaCalibration, QaScore
from kefu.quality.models_campaigns import SurveyCampaign
from kefu.quality.schemas import AlarmOut, InsightsOut, ScoreIn, ScoreItemOut, ScoreOut
from kefu.quality.schemas_campaigns import CampaignIn, CampaignOut, InvitedOut, InviteIn, ResultsOut
from kefu.quality.services import campaigns

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


def _campaign_out(campaign: SurveyCampaign) -> CampaignOut:
    return CampaignOut(
        id=campaign.pk,
        kind=campaign.kind,
        name=campaign.name,
        status=campaign.status,
        business=campaign.business,
        instrument=campaign.instrument,
        closes_at=campaign.closes_at,
        features=[f.name for f in campaign.features.all()],
    )


@router.post(
    "/quality/campaigns", response={201: CampaignOut}, summary="Create a SERVQUAL or KANO campaign"
)
def campaign_create(request: HttpRequest, payload: CampaignIn) -> Status[Any]:
    campaign = campaigns.campaign_create(
        actor=actor_of(request),
        kind=payload.kind,
        name=payload.name,
        closes_at=payload.closes_at,
        at=timezone.now(),
        business=payload.business,
        instrument=payload.instrument,
        features=[campaigns.FeatureText(**f.model_dump()) for f in payload.features],
    )
    return Status(201, _campaign_out(campaign))


@router.post(
    "/quality/campaigns/{campaign_id}/invite",
    response=InvitedOut,
    summary="Invite contacts (by organisation tag or region, or all) and send the links",
)
def campaign_invite(request: HttpRequest, campaign_id: int, payload: InviteIn) -> InvitedOut:
    actor = actor_of(request)
    campaign = campaign_results.campaign_for(actor, campaign_id)
    invited = campaigns.campaign_invite(
        actor=actor, campaign=campaign, at=timezone.now(), tag=payload.tag, region=payload.region
    )
    return InvitedOut(invited=invited)


@router.get(
    "/quality/campaigns/{campaign_id}/results",
    response=ResultsOut,
    summary="A campaign's response figures and analysis",
)
def campaign_results_get(request: HttpRequest, campaign_id: int) -> ResultsOut:
    campaign = campaign_results.campaign_for(actor_of(request), campaign_id)
    figures = campaign_results.campaign_figures(campaign)
    return ResultsOut(
        id=campaign.pk,
        kind=campaign.kind,
        invited=figures.invited,
        sent=figures.sent,
        answered=figures.answered,
        response_rate=figures.response_rate,
        result=figures.result,
    )
