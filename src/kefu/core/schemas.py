"""API schemas of the core app. Inputs forbid unknown fields."""

from datetime import date, datetime, timedelta
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

# What every database column of kefu can hold: PostgreSQL refuses NUL in text and
# integers past 32 bits in an integer column (SQLite takes both, so only one
# backend would fail, with a 500). Inputs are checked here, once, for every API.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
MAX_UTC_OFFSET = timedelta(hours=14)


def _storable(value: object) -> object:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    if isinstance(value, int) and not isinstance(value, bool) and not INT_MIN <= value <= INT_MAX:
        raise ValueError(f"integers must lie between {INT_MIN} and {INT_MAX}")
    if isinstance(value, datetime) and value.utcoffset() is not None:
        offset = value.utcoffset() or timedelta(0)
        # Real zones lie within ±14:00; PostgreSQL refuses more.
        if abs(offset) > MAX_UTC_OFFSET:
            raise ValueError("the UTC offset must lie within ±14:00")
    if isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _storable(item)
    return value


class StrictInput(Schema):
    """API input: unknown fields refused; no NUL in text, integers within 32 bits,
    UTC offsets within ±14:00."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _check_storable(cls, value: object) -> object:
        return _storable(value)


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
