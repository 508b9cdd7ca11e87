"""API schemas of the channels. Inputs forbid unknown fields."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from kefu.channels.models import CallRecord
from kefu.core.schemas import StrictInput


class ChatSender(StrictInput):
    handle: str = Field(
        min_length=1, max_length=100, description="The sender's handle on the chat platform."
    )
    name: str = Field(default="", max_length=100, description="Display name, if known.")
    language: Literal["zh-hans", "en"] | None = Field(
        default=None, description="The sender's language; guessed from the text when absent."
    )


class ChatMessageIn(StrictInput):
    """One customer message from the chat platform, signed as ``X-Kefu-Signature``."""

    message_id: str = Field(
        min_length=1,
        max_length=200,
        description="The platform's id of this message; a repeat is stored once.",
    )
    conversation_id: str = Field(
        min_length=1,
        max_length=200,
        description="The platform's conversation; its messages thread into one open case.",
    )
    sender: ChatSender
    text: str = Field(min_length=1, max_length=20000, description="The message text.")
    sent_at: AwareDatetime = Field(description="When the customer sent it (ISO 8601 with offset).")


class ChatAccepted(Schema):
    case: str = Field(description="The case reference, e.g. KF-2026-000123.")
    message_id: str = Field(description="The chat message id, as sent.")


class PhoneCallIn(StrictInput):
    """One phone call, reported by the telephony system or an agent."""

    direction: Literal["in", "out"]
    from_number: str = Field(min_length=1, max_length=40)
    to_number: str = Field(min_length=1, max_length=40)
    started_at: AwareDatetime = Field(description="ISO 8601 with offset.")
    duration_seconds: int = Field(ge=0, le=7 * 24 * 3600)
    recording_url: str = Field(default="", max_length=500)
    agent: str = Field(default="", max_length=150, description="Username of the agent.")
    notes: str = Field(default="", max_length=20000)
    case: str = Field(
        default="",
        max_length=20,
        description="Case reference; else the caller's latest open case, else a new case.",
    )
    external_id: str = Field(
        default="", max_length=200, description="The telephony system's call id (dedupe key)."
    )


class CallOut(Schema):
    id: int
    case: str
    direction: str
    from_number: str
    to_number: str
    started_at: datetime
    duration_seconds: int
    recording_url: str
    agent: str | None
    notes: str
    external_id: str | None

    @staticmethod
    def resolve_case(obj: CallRecord) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_started_at(obj: CallRecord) -> datetime:
        # UTC like every other time the API returns, whatever offset was sent.
        return obj.started_at.astimezone(UTC)

    @staticmethod
    def resolve_agent(obj: CallRecord) -> str | None:
        return obj.agent.get_username() if obj.agent else None


class CallQuery(Schema):
    case: str = Field(min_length=1, max_length=20, description="Case reference.")
