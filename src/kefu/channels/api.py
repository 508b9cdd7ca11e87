"""The channels router: the signed chat webhook and phone call records."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.security import APIKeyHeader

from kefu.channels import chat, phone, selectors
from kefu.channels.models import CallRecord
from kefu.channels.schemas import CallOut, CallQuery, ChatAccepted, ChatMessageIn, PhoneCallIn
from kefu.channels.schemas_sms import SmsTemplateOut
from kefu.channels.selectors_sms import SmsTemplateView, sms_template_list
from kefu.core.requests import request_user as actor_of

router = Router(tags=["channels"])


class ChatSignature(APIKeyHeader):
    """``X-Kefu-Signature: sha256=<hex>``: HMAC-SHA256 of the raw body with the shared secret.

    Checked before the body is parsed, so an unsigned request is refused
    (401 ``bad_signature``) whatever it holds, and nothing of it is stored.
    """

    param_name = chat.SIGNATURE_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> bool:
        chat.chat_verify(body=request.body, signature=key)
        return True


@router.post(
    "/chat/messages",
    auth=ChatSignature(),
    response=ChatAccepted,
    summary="A customer's chat message (signed webhook)",
)
def chat_message(request: HttpRequest, payload: ChatMessageIn) -> dict[str, str]:
    result = chat.chat_receive(
        incoming=chat.ChatIncoming(
            message_id=payload.message_id,
            conversation_id=payload.conversation_id,
            handle=payload.sender.handle,
            name=payload.sender.name,
            language=payload.sender.language,
            text=payload.text,
            sent_at=payload.sent_at,
        ),
        at=timezone.now(),
    )
    return {"case": result.case.reference, "message_id": payload.message_id}


@router.post(
    "/phone/calls",
    response={200: CallOut, 201: CallOut},
    summary="Record a phone call (200 when the external id was seen before)",
)
def call_create(request: HttpRequest, payload: PhoneCallIn) -> Status[CallRecord]:
    result = phone.call_record(
        actor=actor_of(request),
        direction=payload.direction,
        from_number=payload.from_number,
        to_number=payload.to_number,
        started_at=payload.started_at,
        duration_seconds=payload.duration_seconds,
        at=timezone.now(),
        recording_url=payload.recording_url,
        agent_username=payload.agent,
        notes=payload.notes,
        case_reference=payload.case,
        external_id=payload.external_id,
    )
    return Status(200 if result.is_duplicate else 201, result.call)


@router.get("/phone/calls", response=list[CallOut], summary="The calls on a case")
def call_list(request: HttpRequest, query: Query[CallQuery]) -> list[CallRecord]:
    return list(selectors.call_list_for_case(actor=actor_of(request), case_reference=query.case))


@router.get(
    "/sms-templates",
    response=list[SmsTemplateOut],
    summary="The SMS templates: one approved template per purpose, as the customer reads it",
)
def sms_templates(request: HttpRequest) -> list[SmsTemplateView]:
    return sms_template_list(actor=actor_of(request))
