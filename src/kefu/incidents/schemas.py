"""API schemas of the incidents app. Inputs forbid unknown fields."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from kefu.core.schemas import StrictInput


class AffectedIn(StrictInput):
    projects: list[int] = Field(default_factory=list)
    organisations: list[int] = Field(default_factory=list)
    contacts: list[int] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)


class IncidentIn(StrictInput):
    title: str = Field(min_length=1, max_length=200)
    kind: str
    cause: str = Field(min_length=1)
    next_steps: str = ""
    contact_point: str = Field(default="", max_length=300)
    started_at: datetime
    expected_from: date
    expected_to: date | None = None
    owner: str | None = Field(default=None, description="username; the caller by default")
    update_interval_hours: list[int] = Field(default_factory=lambda: [3, 6, 12, 24])
    auto_send_updates: bool = True
    affected: AffectedIn | None = None


class IncidentOut(Schema):
    id: int
    reference: str
    title: str
    kind: str
    cause: str
    status: str
    owner: str
    started_at: datetime
    expected_from: date
    expected_to: date | None
    update_interval_hours: list[int]
    next_update_due_at: datetime | None
    affected_contacts: int
    confirmed_at: datetime | None
    resumed_at: datetime | None


class DeliveryOut(Schema):
    id: int
    notice_id: int
    notice_kind: str
    contact_id: int
    contact_name: str
    channel: str
    status: str
    attempts: int
    next_attempt_at: datetime
    handed_at: datetime | None
    last_error: str
    external_id: str
    fallback_of: int | None


class NoticeOut(Schema):
    id: int
    kind: str
    status: str
    subject_zh: str
    subject_en: str
    body_zh: str
    body_en: str
    due_at: datetime | None
    sent_at: datetime | None
    is_automatic: bool
    author: str | None


class UpdateIn(StrictInput):
    body_zh: str | None = None
    body_en: str | None = None


class ResumeIn(StrictInput):
    resume_on: date
    work_plan: str
    risks: str
    progress_plan: str
    compensation: str
    supervision: str
