"""Sample emails and desk records for the channel tests."""

from __future__ import annotations

import base64
import itertools
from datetime import datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from django.utils import timezone

from kefu.cases.models import Case
from kefu.cases.services import case_open
from kefu.customers.models import Contact, Organisation

SH = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(text: str) -> datetime:
    """An instant in Shanghai from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def encoded_word(text: str, *, charset: str = "GB2312", codec: str = "gbk") -> str:
    """``text`` as an RFC 2047 base64 word, the way Chinese mail clients write it."""
    data = base64.b64encode(text.encode(codec)).decode("ascii")
    return f"=?{charset}?B?{data}?="


def raw_email(
    *,
    body: bytes = "您好，设备坏了，请派人维修。".encode(),
    sender: str = "张三 <zhang.san@example.cn>",
    subject: str = "设备故障",
    message_id: str | None = "<first@example.cn>",
    content_type: str = "text/plain; charset=utf-8",
    transfer_encoding: str = "8bit",
    headers: dict[str, str] | None = None,
) -> bytes:
    """One single-part message, headers as given (raw UTF-8 where not encoded), CRLF ends."""
    lines = [f"From: {sender}", "To: service@kefu.test", f"Subject: {subject}"]
    if message_id:
        lines.append(f"Message-ID: {message_id}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines += [
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        f"Content-Transfer-Encoding: {transfer_encoding}",
    ]
    head = "\r\n".join(lines).encode() + b"\r\n\r\n"
    return head + body


def gb2312_email(*, message_id: str = "<gb@example.cn>") -> bytes:
    """Subject and body in GBK labelled GB2312; 镕 exists in GBK only."""
    body = base64.encodebytes("王总您好：\r\n朱镕基路的项目停工了，请回电。".encode("gbk"))
    return raw_email(
        sender=f"{encoded_word('王五')} <wang.wu@example.cn>",
        subject=encoded_word("镕基路项目停工"),
        body=body,
        message_id=message_id,
        content_type="text/plain; charset=GB2312",
        transfer_encoding="base64",
    )


def multipart_email(
    *,
    attachments: list[tuple[str, bytes]],
    message_id: str = "<files@example.cn>",
    text: str = "附件是现场照片和报价单。",
    sender: str = "zhang.san@example.cn",
) -> bytes:
    """A text body with attachments (names may be Chinese)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "service@kefu.test"
    message["Subject"] = "现场照片"
    message["Message-ID"] = message_id
    message.set_content(text)
    for name, content in attachments:
        message.add_attachment(
            content, maintype="application", subtype="octet-stream", filename=name
        )
    return message.as_bytes()


def html_email(*, message_id: str = "<html@example.com>") -> bytes:
    html = (
        "<html><head><style>p {color: red}</style><title>T</title></head><body>"
        "<p>Hello,</p><p>the <b>pump</b> failed again.</p>"
        '<script>alert("x")</script><a href="javascript:alert(1)" onclick="x()">link</a>'
        "</body></html>"
    )
    return raw_email(
        sender="Mary Smith <mary@example.com>",
        subject="=?UTF-8?Q?Pump_failure_=E2=80=93_site_3?=",
        body=html.encode(),
        message_id=message_id,
        content_type="text/html; charset=utf-8",
    )


def make_contact(
    *,
    name: str = "张伟",
    email: str = "",
    phone: str = "",
    im_handle: str = "",
    language: str = "zh-hans",
    organisation: Organisation | None = None,
) -> Contact:
    n = next(_numbers)
    return Contact.objects.create(
        organisation=organisation,
        name=name,
        email=email or f"customer{n}@example.cn",
        phone=phone,
        im_handle=im_handle,
        language=language,
        created_at=timezone.now(),
    )


def open_case(*, contact: Contact, channel: str = "email", subject: str = "漏水") -> Case:
    return case_open(
        actor=None,
        contact=contact,
        subject=subject,
        body="卫生间漏水。",
        channel=channel,
        at=timezone.now(),
    )
