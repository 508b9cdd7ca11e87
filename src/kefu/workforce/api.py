"""The workforce endpoints under /api/v1/."""

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from kefu.core.requests import request_user as actor_of
from kefu.core.schemas import StrictInput
from kefu.workforce import csv_io, erlang, selectors, services
from kefu.workforce.errors import CoreInputError

router = Router(tags=["workforce"])


class RejectedOut(Schema):
    line: int
    reason: str


class HistoryImportOut(Schema):
    imported: int
    updated: int
    rejected: list[RejectedOut]
    queues: list[str]


@router.post(
    "/workforce/history",
    response={200: HistoryImportOut, 422: HistoryImportOut},
    summary="Import history intervals from CSV (body or multipart field 'file')",
)
def history_import(request: HttpRequest, queue: str = "default") -> Status[Any]:
    """Good rows are imported; bad lines come back with their number and what to fix.

    The answer is 422 when no row could be imported.
    """
    if (request.content_type or "").startswith("multipart/"):
        # Reading FILES consumes the stream: the raw body is gone, whatever the parts were.
        try:
            upload = request.FILES.get("file")
        except MultiPartParserError:
            upload = None
        data = upload.read(csv_io.MAX_BYTES + 1) if upload is not None else b""
    else:
        data = request.body
    summary = services.history_import_csv(
        actor=actor_of(request), data=data, default_queue=queue, at=timezone.now()
    )
    status = 422 if summary.rejected and not (summary.imported or summary.updated) else 200
    return Status(status, summary.to_json())


class ErlangIn(StrictInput):
    calls: float = Field(description="Contacts offered in the interval")
    interval: float = Field(1800, description="Interval length in seconds")
    aht: float = Field(description="Average handle time in seconds")
    sl: float = Field(0.8, description="Service-level target (share answered in time)")
    answer_time: float = Field(20, description="Answer-time target in seconds")
    max_occupancy: float | None = None
    shrinkage: float = 0.0
    patience: float | None = Field(None, description="Mean patience in seconds (Erlang A)")
    agents: int | None = Field(None, description="Evaluate this many agents instead of searching")


class StaffingOut(Schema):
    agents: int
    scheduled: int
    service_level: float
    asa: float | None
    p_wait: float
    occupancy: float
    abandon: float
    answer_rate: float


@router.post("/workforce/erlang", response=StaffingOut, summary="Erlang C/A staffing")
def erlang_staffing(request: HttpRequest, payload: ErlangIn) -> dict[str, Any]:
    """The same fields and outputs as ``kefu erlang --json``."""
    try:
        if payload.agents is not None:
            result = erlang.evaluate(
                calls=payload.calls,
                interval_s=payload.interval,
                aht_s=payload.aht,
                agents=payload.agents,
                answer_time_s=payload.answer_time,
                patience_s=payload.patience,
                shrinkage=payload.shrinkage,
            )
        else:
            result = erlang.required(
                calls=payload.calls,
                interval_s=payload.interval,
                aht_s=payload.aht,
                service_level=payload.sl,
                answer_time_s=payload.answer_time,
                max_occupancy=payload.max_occupancy,
                shrinkage=payload.shrinkage,
                patience_s=payload.patience,
            )
    except erlang.ErlangInputError as exc:
        raise CoreInputError(exc.code, exc.params) from None
    return result.to_json()


class ActivityOut(Schema):
    type: str
    start: str
    end: str


class ShiftOut(Schema):
    agent: str
    start: str
    end: str
    activities: list[ActivityOut]


class ScheduleOut(Schema):
    id: int
    team: str
    week_start: str
    status: str
    shifts: list[ShiftOut]
    metrics: dict[str, Any]


@router.get("/workforce/schedules/{schedule_id}", response=ScheduleOut, summary="A schedule")
def schedule_get(request: HttpRequest, schedule_id: int) -> dict[str, Any]:
    """Shifts and metrics in the ``kefu schedule --json`` format (VIEW_TEAM or PLAN_WORKFORCE)."""
    schedule = selectors.access_schedule(actor_of(request), schedule_id)
    return selectors.schedule_json(schedule, selectors.schedule_shifts(schedule))


class MyScheduleOut(Schema):
    shifts: list[ShiftOut]


@router.get("/workforce/my-schedule", response=MyScheduleOut, summary="My published shifts")
def my_schedule(request: HttpRequest) -> dict[str, Any]:
    """The caller's shifts from a week ago on, from published schedules only."""
    actor = actor_of(request)
    since = timezone.localdate() - timedelta(days=7)
    return {
        "shifts": [selectors.shift_json(s) for s in selectors.my_shifts(actor=actor, since=since)]
    }


class PublishOut(Schema):
    id: int
    status: str


@router.post("/workforce/schedules/{schedule_id}/publish", response=PublishOut, summary="Publish")
def schedule_publish(request: HttpRequest, schedule_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    schedule = selectors.access_schedule(actor, schedule_id)
    published = services.schedule_publish(actor=actor, schedule=schedule, at=timezone.now())
    return {"id": published.pk, "status": published.status}
