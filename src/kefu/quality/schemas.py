"""API schemas of the quality app. Inputs forbid unknown fields."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from kefu.core.schemas import StrictInput


class InsightsOut(Schema):
    start: datetime
    end: datetime
    cases: int
    service_level: float | None
    answer_rate: float | None
    calls: int
    first_response_minutes: float | None
    resolution_hours: float | None
    backlog: int
    escalations: int
    over_heads: int
    commitments_kept: float | None
    csat_mean: float | None
    csat_satisfied: float | None
    csat_responses: int
    csat_sent: int
    nps: float | None
    complaint_rates: dict[str, float]
    incidents: dict[str, float | None]


class AlarmOut(Schema):
    id: int
    series: str
    key: str
    method: str
    period: str
    period_start: str
    count: int
    baseline: float
    statistic: float
    limit: float


class ScoreIn(StrictInput):
    scores: dict[str, int] = Field(description="1-5 per criterion code")
    feedback: str = ""
    calibration_id: int | None = None


class ScoreItemOut(Schema):
    criterion: str
    value: int
    pre_score: int | None


class ScoreOut(Schema):
    id: int
    case_id: int
    agent_id: int | None
    inspector_id: int
    total: float
    feedback: str
    created_at: datetime
    items: list[ScoreItemOut]
