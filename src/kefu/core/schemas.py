"""API schemas of the core app. Inputs forbid unknown fields."""

from datetime import date, datetime, timedelta
from typing import Any, ClassVar, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, ValidationInfo, field_validator

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


def _bound_integers(schema: object) -> None:
    """Every integer in ``schema`` (nested lists, maps and unions included) declares
    the 32-bit bounds ``_storable`` enforces, unless it declares narrower ones."""
    if isinstance(schema, list):
        for item in schema:
            _bound_integers(item)
        return
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "integer":
        if "minimum" not in schema and "exclusiveMinimum" not in schema:
            schema["minimum"] = INT_MIN
        if "maximum" not in schema and "exclusiveMaximum" not in schema:
            schema["maximum"] = INT_MAX
    for key in ("properties", "$defs"):
        for item in schema.get(key, {}).values():
            _bound_integers(item)
    for key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf", "prefixItems"):
        _bound_integers(schema.get(key))


def _drop_null(schema: dict[str, Any], nullable: frozenset[str]) -> None:
    """A ``PatchInput`` field takes ``null`` only where ``NULLABLE`` says so."""
    for name, prop in schema.get("properties", {}).items():
        if name in nullable or "anyOf" not in prop:
            continue
        kinds = [kind for kind in prop.pop("anyOf") if kind != {"type": "null"}]
        if len(kinds) == 1:
            prop.update(kinds[0])
        else:
            prop["anyOf"] = kinds
        if "default" in prop and prop["default"] is None:
            del prop["default"]


def _input_schema(schema: dict[str, Any], model: type[Any]) -> None:
    """The JSON schema of an input says what ``StrictInput`` (and ``PatchInput``) refuse."""
    if issubclass(model, PatchInput):
        _drop_null(schema, model.NULLABLE)
    _bound_integers(schema)


class StrictInput(Schema):
    """API input: unknown fields refused; no NUL in text, integers within 32 bits,
    UTC offsets within ±14:00. The schema declares the integer bounds."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_input_schema)

    @field_validator("*", mode="after")
    @classmethod
    def _check_storable(cls, value: object) -> object:
        return _storable(value)


class PatchInput(StrictInput):
    """A partial update (PATCH): a field left out keeps its value, a field sent must hold
    one. An explicit ``null`` is refused (422 naming the field) except for the fields in
    ``NULLABLE``, where it clears the value; the schema says the same."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: object, info: ValidationInfo) -> object:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError(f"{info.field_name} may not be null; leave it out to keep its value")
        return value


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
