"""API schemas of the desk. Inputs forbid unknown fields."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import CharField
from ninja import Schema
from pydantic import Field, JsonValue, ValidationInfo, field_validator

from kefu.cases.models import SlaPolicy
from kefu.core.schemas import PatchInput, StrictInput


class CaseOut(Schema):
    id: int
    reference: str
    subject: str
    status: str
    priority: str
    category: str
    channel: str
    contact_id: int
    organisation_id: int | None
    project_id: int | None
    owner: str | None = Field(None, alias="owner.username")
    team_id: int | None
    department_id: int
    tags: list[str]
    is_confidential: bool
    escalation_level: int
    is_over_heads: bool
    transfer_count: int
    is_transfer_loop: bool
    has_overdue_commitment: bool
    customer_upset: bool
    escalation_risk: float
    breach_count: int
    first_response_due_at: datetime | None
    next_update_due_at: datetime | None
    resolution_due_at: datetime | None
    sla_due_at: datetime | None
    sla_paused_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class CaseListOut(CaseOut):
    """A case in a list: ``CaseOut`` plus the SLA state the queue shows."""

    sla_due_soon: bool = Field(
        description="A target passed its SLA warning share (KEFU_SLA_WARNING_PERCENT) "
        "and is not yet due."
    )
    sla_overdue: bool = Field(description="Open, running and past its earliest SLA due time.")


class CaseListQuery(StrictInput):
    scope: Literal["mine", "team", "department", "unassigned", "all"] = "mine"
    status: list[str] = []
    priority: list[str] = []
    category: list[str] = []
    channel: list[str] = []
    flag: list[Literal["overdue", "breached", "due_soon", "over_heads", "loop", "upset"]] = []
    q: str = Field("", max_length=100)
    include_closed: bool = False


class CaseOpenIn(StrictInput):
    contact_id: int
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=100_000)
    channel: Literal["email", "chat", "phone", "sms"]
    category: str = "enquiry"
    priority: Literal["low", "normal", "high", "urgent"] = "normal"
    project_id: int | None = None


class CasePatchIn(PatchInput):
    version: int
    subject: str | None = Field(None, min_length=1, max_length=300)
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    category: str | None = None
    tags: list[str] | None = None
    is_confidential: bool | None = None


class TextIn(StrictInput):
    body: str = Field(min_length=1, max_length=100_000)
    version: int | None = None


class ReplyIn(TextIn):
    channel: str | None = Field(
        None,
        description=(
            "Channel to reply on (email, sms, chat): one the contact can be reached on, "
            "else 400 channel_unreachable. Omitted: the case's channel, else the next "
            "reachable one."
        ),
    )


class ResendIn(StrictInput):
    channel: str = Field(
        description="Channel to resend the undelivered message on: its own or another reachable one"
    )


class StatusIn(StrictInput):
    status: Literal["new", "open", "waiting_customer", "waiting_department", "resolved", "closed"]
    version: int | None = None


class WatchIn(StrictInput):
    watching: bool


class AssignIn(StrictInput):
    owner: str


class EscalateIn(StrictInput):
    reason: Literal["beyond_authority", "sla_breach", "over_heads", "customer_request", "other"]
    explanation: str = Field(min_length=1, max_length=2000)


class OverHeadsIn(StrictInput):
    note: str = Field(min_length=1, max_length=2000)


class TransferIn(StrictInput):
    department: str = Field(description="The receiving department's code")
    why: str = Field(min_length=1, max_length=2000)
    next_steps: str = Field(min_length=1, max_length=2000)
    expected_by: datetime


class CommitmentIn(StrictInput):
    what: str = Field(min_length=1, max_length=300)
    due_at: datetime
    owner: str | None = None


class CommitmentCloseIn(StrictInput):
    status: Literal["kept", "broken", "cancelled"]


class CommitmentOut(Schema):
    id: int
    case_id: int
    what: str
    owner: str = Field(alias="owner.username")
    due_at: datetime
    status: str
    is_overdue: bool
    is_follow_up: bool


class CompensationIn(StrictInput):
    kind: Literal["refund", "discount", "voucher", "free_service", "gift"]
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    reason: str = Field(min_length=1, max_length=2000)


class DecideIn(StrictInput):
    approve: bool


class CompensationOut(Schema):
    id: int
    case_id: int
    kind: str
    amount: Decimal
    reason: str
    status: str
    offered_by: str = Field(alias="offered_by.username")


class MergeIn(StrictInput):
    into: str = Field(description="Reference of the case to merge into")


class LinkIn(StrictInput):
    reference: str
    kind: Literal["related", "duplicate", "caused_by"] = "related"


class MessageOut(Schema):
    id: int
    direction: str
    channel: str
    author: str | None = Field(None, alias="author.username")
    body: str
    created_at: datetime
    delivery_status: str
    # Why the latest delivery attempt failed, as the channel put it ("" when none did).
    delivery_error: str
    # What the agent reads about a failure (a FailureCode: not_configured, no_address,
    # refused, rejected, unavailable, no_adapter, interrupted; "" when none).
    delivery_failure: str = Field("", alias="delivery_error_code")
    # The undelivered message this one resends, if it is a resend.
    resent_from: int | None = Field(None, alias="resent_from_id")


class EventOut(Schema):
    at: datetime
    kind: str
    text: str
    actor: str | None


class EscalationOut(Schema):
    id: int
    case_id: int
    from_level: int
    to_level: int
    to_owner: str | None = Field(None, alias="to_owner.username")
    reason: str
    explanation: str


class TransferOut(Schema):
    id: int
    case_id: int
    from_department: str = Field(alias="from_department.code")
    to_department: str = Field(alias="to_department.code")
    why: str
    next_steps: str
    expected_by: datetime


class KeptRateOut(Schema):
    key: str
    kept: int
    broken: int
    open_overdue: int
    rate: Decimal | None


class TemplateOut(Schema):
    id: int
    name: str
    body_zh: str
    body_en: str
    category: str


class RenderedOut(Schema):
    text: str
    language: str


class SavedViewIn(StrictInput):
    name: str = Field(min_length=1, max_length=100)
    filters: dict[str, str | list[str] | bool]


class SavedViewOut(Schema):
    id: int
    name: str
    filters: dict[str, object]


def _policy_column(name: str) -> CharField[Any, Any]:
    column = SlaPolicy._meta.get_field(name)
    if not isinstance(column, CharField):  # pragma: no cover - a model change
        raise TypeError(f"SlaPolicy.{name} is not a text column")
    return column


def _policy_choices(name: str) -> list[str]:
    """The empty text (any) or one of the choices of ``SlaPolicy.<name>``."""
    return ["", *(str(value) for value, _label in _policy_column(name).choices or ())]


def _policy_field(name: str) -> Any:
    """Within the column's max_length; the schema lists the choices."""
    choices: list[JsonValue] = list(_policy_choices(name))
    return Field(
        "", max_length=_policy_column(name).max_length, json_schema_extra={"enum": choices}
    )


class SlaPolicyIn(StrictInput):
    name: str = Field(min_length=1, max_length=100)
    priority: str = _policy_field("priority")
    category: str = _policy_field("category")
    tier: str = _policy_field("tier")
    first_response_minutes: int = Field(gt=0)
    next_update_minutes: int | None = Field(None, gt=0)
    resolution_minutes: int = Field(gt=0)

    @field_validator("priority", "category", "tier")
    @classmethod
    def _one_of_the_choices(cls, value: str, info: ValidationInfo) -> str:
        choices = _policy_choices(str(info.field_name))
        if value not in choices:
            raise ValueError(
                f"{info.field_name} must be empty (any) or one of {', '.join(choices[1:])}"
            )
        return value


class SlaPolicyOut(Schema):
    id: int
    name: str
    priority: str
    category: str
    tier: str
    first_response_minutes: int
    next_update_minutes: int | None
    resolution_minutes: int
    is_active: bool
