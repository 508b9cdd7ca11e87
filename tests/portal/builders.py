"""Builders of the portal tests: a customer with cases, agent replies, notes, promises."""

from __future__ import annotations

from django.core.files.base import ContentFile

from kefu.cases import services
from kefu.cases.models import Attachment, Case, Message
from kefu.core.models import User
from kefu.customers.models import Contact
from tests.cases.builders import at, make_contact, open_case

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def customer_with_case(agent: User, *, email: str = "li@example.com") -> tuple[Contact, Case]:
    contact = make_contact(email=email)
    case = open_case(when="2026-11-20 09:00", contact=contact, owner=agent)
    return contact, case


def agent_answers(agent: User, case: Case, body: str = "已安排师傅明天上门查看。") -> Message:
    return services.case_reply(actor=agent, case=case, body=body, at=at("2026-11-20 10:00"))


def note(agent: User, case: Case, body: str = "内部：客户上次投诉过，注意语气。") -> Message:
    return services.case_note(actor=agent, case=case, body=body, at=at("2026-11-20 10:05"))


def file_on(message: Message, name: str = "photo.png") -> Attachment:
    return message.attachments.create(
        filename=name, content_type="image/png", size=len(PNG), file=ContentFile(PNG, name=name)
    )
