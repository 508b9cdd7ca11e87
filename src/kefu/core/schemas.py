"""API schemas of the core app. Inputs forbid unknown fields."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


class DepartmentOut(Schema):
    id: int
    name: str
    code: str


class TeamOut(Schema):
    id: int
    name: str
    department_id: int
    working_hours: str
    working_days: str
    calendar_region: str


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    department_id: int | None
    team_id: int | None
    language: str


class MePatch(StrictInput):
    language: Literal["zh-hans", "en"]


class AuditOut(Schema):
    id: int
    at: datetime
    actor_name: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    before: dict[str, object] | None
    after: dict[str, object] | None


class AuditQuery(StrictInput):
    actor: str = ""
    action: str = ""
    target_type: str = ""
    target_id: str = ""
    since: date | None = None
    until: date | None = None


class DueQuery(StrictInput):
    start: datetime
    working_minutes: int = Field(ge=0, le=60 * 24 * 365)
    day: str = "09:00-18:00"
    weekdays: str = "1,2,3,4,5"
    region: str = "cn"


class DueOut(Schema):
    due_at: datetime
