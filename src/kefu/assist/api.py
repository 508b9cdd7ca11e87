"""The assist endpoints under /api/v1/: analyze a customer message or an agent draft."""

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router
from pydantic import Field

from kefu.assist import analysis
from kefu.core.authz import authorize
from kefu.core.requests import request_user as actor_of
from kefu.core.roles import Perm
from kefu.core.schemas import StrictInput

router = Router(tags=["assist"])


class AnalyzeIn(StrictInput):
    text: str = Field(max_length=2_000_000)
    role: Literal["customer", "agent"]
    context: dict[str, Any] = Field(default_factory=dict)
    language: Literal["zh-hans", "en"] | None = None


@router.post("/assist/analyze", summary="Read a customer message or coach an agent draft")
def analyze(request: HttpRequest, payload: AnalyzeIn) -> dict[str, Any]:
    """The same JSON as ``kefu assist analyze``: a reading for a customer, coaching for an agent."""
    authorize(actor_of(request), Perm.WORK_CASES)
    return analysis.analyze(
        text=payload.text,
        role=payload.role,
        context=payload.context,
        language=payload.language or get_language() or "zh-hans",
    )
