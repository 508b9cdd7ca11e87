"""API schemas of the floor and people. Inputs forbid unknown fields: a candidate payload
carrying ethnicity, height, weight or marital status is refused, not silently dropped."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.schemas import PatchInput, StrictInput
from kefu.floor.models import CheckInSuggestion
from kefu.floor.services.calls import MAX_HANDLE_SECONDS

BreakKindName = Literal["scheduled", "meal", "special"]
WorkingState = Literal["available", "on_contact", "after_contact", "training", "meeting", "offline"]
LeaveKind = Literal["sick", "personal", "annual", "other"]


class HandIn(StrictInput):
    case_id: int | None = None
    note: str = Field(default="", max_length=200)


class HandOut(Schema):
    id: int
    agent_id: int
    agent_name: str
    case_id: int | None
    case_reference: str | None
    note: str
    raised_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None
    waiting_seconds: int
    seconds_to_help: int | None


class StateIn(StrictInput):
    state: WorkingState


class BreakIn(StrictInput):
    kind: BreakKindName = "special"
    reason: str = Field(default="", max_length=200)


class StateOut(Schema):
    id: int
    agent_id: int
    state: str
    started_at: datetime
    ended_at: datetime | None
    reason: str
    planned_activity_id: int | None


class DayQuery(StrictInput):
    day: date | None = None
    agent_id: int | None = None


class LeaveIn(StrictInput):
    kind: LeaveKind
    start_date: date
    end_date: date
    note: str = Field(default="", max_length=300)
    agent_id: int | None = None


class LeaveDecisionIn(StrictInput):
    approve: bool


class LeaveOut(Schema):
    id: int
    agent_id: int
    kind: str
    start_date: date
    end_date: date
    status: str
    note: str
    created_at: datetime


class SuggestionOut(Schema):
    id: int
    agent_id: int
    pattern: str
    detail: str
    status: str
    created_at: datetime

    @staticmethod
    def resolve_detail(obj: CheckInSuggestion) -> str:
        # Stored as figures; read as a sentence in the caller's language.
        return obj.detail_text


class SuggestionCloseIn(StrictInput):
    done: bool = True


class IntradayQuery(StrictInput):
    # Before 1901 Shanghai kept local mean time (+08:05:43), which no ISO 8601 answer
    # can carry; nobody plans a floor that far back.
    day: date | None = Field(None, ge=date(1970, 1, 1), le=date(9999, 12, 30))
    queue_id: int | None = None
    queue: str = ""


class IntradayRowOut(Schema):
    start: datetime
    forecast_offered: float | None
    reforecast_offered: float | None
    required: int | None
    reforecast_required: int | None
    scheduled: float
    on_phone: float | None
    gap: float | None
    offered: int
    answered: int
    service_level: float | None
    answer_rate: float | None


class IntradayOut(Schema):
    queue: str | None
    day: date
    scale: float
    on_leave: list[str]
    service_level: float | None
    answer_rate: float | None
    rows: list[IntradayRowOut]


class AdherenceIntervalOut(Schema):
    start: datetime
    scheduled_seconds: int
    adherent_seconds: int


class AdherenceOut(Schema):
    agent_id: int
    name: str
    adherence: float | None
    intervals: list[AdherenceIntervalOut]


class MealAlertOut(Schema):
    id: int
    agent_id: int
    meal_start: datetime
    meal_end: datetime
    window_end: datetime
    projected_start: datetime | None
    proposals: list[dict[str, object]]
    status: str
    created_at: datetime


class MealDelayOut(Schema):
    agent_id: int
    name: str
    planned_start: datetime
    actual_start: datetime | None
    delay_minutes: int | None


class QueueCallIn(StrictInput):
    queue: str = Field(min_length=1, max_length=100)
    arrived_at: datetime
    answered_at: datetime | None = None
    abandoned_at: datetime | None = None
    agent: str = ""
    handle_seconds: int = Field(default=0, ge=0, le=MAX_HANDLE_SECONDS)
    external_id: str = Field(default="", max_length=100)


class CallsIn(StrictInput):
    calls: list[QueueCallIn] = Field(max_length=10_000)


class CallsImportedOut(Schema):
    created: int
    skipped: int


class CareerEventIn(StrictInput):
    kind: Literal["hired", "role_change", "transfer", "skill", "training"]
    on: date
    detail: str = Field(default="", max_length=200)


class CareerEventOut(Schema):
    id: int
    kind: str
    on: date
    detail: str


class CoachingIn(StrictInput):
    agent_id: int
    topic: str = Field(min_length=1, max_length=200)
    notes: str = Field(min_length=1)
    agreed_actions: str = Field(min_length=1)
    follow_up_on: date | None = None


class CoachingOut(Schema):
    id: int
    lead_id: int
    agent_id: int
    held_at: datetime
    topic: str
    notes: str
    agreed_actions: str
    follow_up_on: date | None


class DisciplineIn(StrictInput):
    agent_id: int
    coaching_id: int | None = None
    text: str = Field(min_length=1)


class DisciplineOut(Schema):
    id: int
    agent_id: int
    coaching_id: int
    recorded_at: datetime
    text: str


class QaPointOut(Schema):
    on: date
    score: float


class HistoryOut(Schema):
    agent_id: int
    name: str
    hired_on: date | None
    events: list[CareerEventOut]
    coaching: list[CoachingOut]
    qa_trend: list[QaPointOut]
    left_on: date | None
    exit_reason: str | None


class ExitIn(StrictInput):
    agent_id: int
    left_on: date
    reason: Literal["pay", "monotony", "no_growth", "other"]
    notes: str = ""


class ExitOut(Schema):
    id: int
    agent_id: int
    left_on: date
    reason: str
    notes: str


class RetentionOut(Schema):
    headcount: int
    bands: dict[str, int]
    two_year_cohort: int
    past_two_years_share: float | None
    leavers_12_months: int
    attrition_12_months: float | None
    role_changers: int
    role_changers_retained: float | None
    others: int
    others_retained: float | None
    exit_reasons: dict[str, int]


class CandidateIn(StrictInput):
    name: str = Field(min_length=1, max_length=100)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    position: str = Field(default="", max_length=100)
    education: str = ""
    experience: str = ""
    languages: str = Field(default="", max_length=200)
    computer_skills: str = Field(default="", max_length=200)
    availability: str = Field(default="", max_length=200)
    expected_pay: int | None = Field(default=None, ge=0)
    self_introduction: str = ""
    national_id: str = Field(default="", max_length=30)


class CandidatePatch(PatchInput):
    NULLABLE = frozenset({"expected_pay"})

    name: str | None = Field(default=None, min_length=1, max_length=100)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    position: str | None = Field(default=None, max_length=100)
    education: str | None = None
    experience: str | None = None
    languages: str | None = Field(default=None, max_length=200)
    computer_skills: str | None = Field(default=None, max_length=200)
    availability: str | None = Field(default=None, max_length=200)
    expected_pay: int | None = Field(default=None, ge=0)
    self_introduction: str | None = None
    national_id: str | None = Field(default=None, max_length=30)


class CandidateStageIn(StrictInput):
    stage: Literal["applied", "interviewed", "offered", "hired", "declined"]


class CandidateOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    position: str
    education: str
    experience: str
    languages: str
    computer_skills: str
    availability: str
    expected_pay: int | None
    self_introduction: str
    stage: str
    national_id_masked: str
    created_at: datetime


class CandidateRevealOut(Schema):
    national_id: str
