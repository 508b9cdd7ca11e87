"""API schemas of the survey campaigns. Inputs forbid unknown fields."""

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from kefu.core.schemas import StrictInput


class FeatureIn(StrictInput):
    name: str = Field(max_length=100)
    functional_zh: str = Field(max_length=300)
    functional_en: str = Field(max_length=300)
    dysfunctional_zh: str = Field(max_length=300)
    dysfunctional_en: str = Field(max_length=300)


class CampaignIn(StrictInput):
    kind: Literal["servqual", "kano"]
    name: str = Field(max_length=200)
    closes_at: datetime
    business: str = Field(default="", max_length=100)
    instrument: Literal[1988] | None = None
    features: list[FeatureIn] = Field(default_factory=list, max_length=50)


class InviteIn(StrictInput):
    tag: str = Field(default="", max_length=100)
    region: str = Field(default="", max_length=100)


class CampaignOut(Schema):
    id: int
    kind: str
    name: str
    status: str
    business: str
    instrument: int | None
    closes_at: datetime
    features: list[str]


class InvitedOut(Schema):
    invited: int


class ResultsOut(Schema):
    id: int
    kind: str
    invited: int
    sent: int
    answered: int
    response_rate: float | None
    result: dict[str, Any] | None
