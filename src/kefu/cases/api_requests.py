"""The internal customers' API: raise a request to another department, list mine, read
the conversation (never the internal notes) and reply."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Status

from kefu.cases.models import Case, Message
from kefu.cases.schemas import CaseOut, MessageOut
from kefu.cases.selectors_requests import request_thread, requests_of
from kefu.cases.services.internal import internal_case_open, requester_reply, require_requester
from kefu.core.models import Department
from kefu.core.requests import request_user as actor_of
from kefu.core.schemas import StrictInput

router = Router(tags=["internal requests"])


class RequestIn(StrictInput):
    department: str = Field(min_length=1, max_length=50, description="the department's code")
    category: str = Field(description="internal_request or internal_support")
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(min_length=1, max_length=100_000)


class RequestReplyIn(StrictInput):
    body: str = Field(min_length=1, max_length=100_000)


@router.get("/requests", response=list[CaseOut], summary="The requests I raised")
def request_list(request: HttpRequest) -> list[Case]:
    return list(requests_of(actor_of(request))[:200])


@router.post("/requests", response={201: CaseOut}, summary="Raise a request to a department")
def request_open(request: HttpRequest, payload: RequestIn) -> Status[Any]:
    department = get_object_or_404(Department, code=payload.department)
    case = internal_case_open(
        actor=actor_of(request),
        department=department,
        category=payload.category,
        subject=payload.subject,
        body=payload.body,
        at=timezone.now(),
    )
    return Status(201, case)


@router.get("/requests/{case_id}/messages", response=list[MessageOut])
def request_messages(request: HttpRequest, case_id: int) -> list[Message]:
    return list(request_thread(require_requester(actor_of(request), case_id)))


@router.post("/requests/{case_id}/messages", response={201: MessageOut})
def request_reply(request: HttpRequest, case_id: int, payload: RequestReplyIn) -> Status[Any]:
    message = requester_reply(
        actor=actor_of(request), case_id=case_id, body=payload.body, at=timezone.now()
    )
    return Status(201, message)
