"""Hostile mail fields: NUL and control characters, line breaks in subjects, huge HTML.

The parser is pure, so most of these read ``parse_email`` directly; the last ones take
the mail in as the mail server's pipe does and look at the case an agent sees.
"""

from __future__ import annotations

import base64
from email.message import EmailMessage

import pytest
from django.utils import timezone

from kefu.cases.models import Attachment, Case, Message
from kefu.channels.email_in import email_receive
from kefu.channels.email_parse import (
    MAX_HTML_CHARS,
    MAX_HTML_DEPTH,
    html_depth,
    html_to_text,
    parse_email,
    strip_tags,
)
from tests.channels.builders import raw_email

CONTROLS = "".join(chr(code) for code in [*range(9), 11, 12, *range(14, 32), 127])


def _b64_word(text: str) -> str:
    return f"=?utf-8?B?{base64.b64encode(text.encode()).decode('ascii')}?="


def _hostile_mail() -> bytes:
    """NUL and other control characters in every field a mail can carry text in."""
    message = EmailMessage()
    message["From"] = _b64_word("张\x00三\x07") + " <zhang.san@example.cn>"
    message["To"] = "service@kefu.test"
    message["Subject"] = _b64_word("设备\x00故障\x1b[31m")
    message["Message-ID"] = "<nul@example.cn>"
    message.set_content("第一行\x00\t缩进\n第二行\x08\x7f结束")
    message.add_alternative("<p>网页\x00正文\x01</p>", subtype="html")
    message.add_attachment(
        b"data", maintype="application", subtype="pdf", filename=_b64_word("报价\x00单\x1f.pdf")
    )
    return message.as_bytes()


def test_nul_and_control_characters_are_stripped_from_every_field() -> None:
    parsed = parse_email(_hostile_mail())

    fields = [
        parsed.subject,
        parsed.sender_name,
        parsed.sender_email,
        parsed.text,
        parsed.html,
        parsed.message_id,
        *(item.filename for item in parsed.attachments),
        *(item.content_type for item in parsed.attachments),
    ]
    assert [field for field in fields if any(ch in CONTROLS for ch in field)] == []
    assert parsed.subject == "设备故障[31m"
    assert parsed.sender_name == "张三"
    # Tab and newline are kept in the body: they are the text's layout.
    assert parsed.text == "第一行\t缩进\n第二行结束"
    assert parsed.html == "<p>网页正文</p>"
    assert [item.filename for item in parsed.attachments] == ["报价单.pdf"]


def test_nul_in_a_raw_header_and_in_the_sender_address_is_stripped() -> None:
    raw = raw_email(
        sender="Zhang <zhang\x00.san@example.cn>",
        subject="raw\x00 subject",
        message_id="<id\x00x@example.cn>",
        headers={"References": "<a\x00b@example.cn>"},
    )

    parsed = parse_email(raw)

    assert parsed.sender_email == "zhang.san@example.cn"
    assert parsed.subject == "raw subject"
    assert parsed.message_id == "<idx@example.cn>"
    assert parsed.references == ("<ab@example.cn>",)


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\u2028", "\x85"])
def test_an_encoded_line_break_in_the_subject_becomes_a_space(line_break: str) -> None:
    raw = raw_email(subject=_b64_word("设备故障" + line_break + "Bcc: victim@example.com"))

    parsed = parse_email(raw)

    assert parsed.subject == "设备故障 Bcc: victim@example.com"


def test_html_depth_counts_nesting_but_not_void_or_self_closing_elements() -> None:
    assert html_depth("<div><p>a<br><img src=x><span>b</span></p></div>") == 2
    assert html_depth("<div>" * 500 + "x") == 500
    assert html_depth("<p>one<p>two<li>three<li>four") == 0
    assert html_depth("a < b and c > d") == 0


def test_strip_tags_keeps_the_text_and_drops_scripts_styles_and_comments() -> None:
    html = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<!--[if mso]><x><![endif]--><p>您好&nbsp;&amp;欢迎</p><script>alert(1)</script>"
        "<div>第二段</div> 1 < 2</body></html>"
    )

    assert strip_tags(html) == "您好 &欢迎\n\n第二段\n1 < 2"
    assert strip_tags(html) == html_to_text(html)


def test_html_over_the_depth_limit_is_kept_as_text_only() -> None:
    html = "<div>" * (MAX_HTML_DEPTH + 1) + "深处的正文" + "</div>" * (MAX_HTML_DEPTH + 1)
    raw = raw_email(body=html.encode(), content_type="text/html; charset=utf-8")

    parsed = parse_email(raw)

    assert parsed.html == ""
    assert parsed.text == "深处的正文"


def test_html_over_the_size_limit_is_kept_as_text_only() -> None:
    html = "<p>正文</p>" + "<b>x</b>" * (MAX_HTML_CHARS // 8)
    raw = raw_email(body=html.encode(), content_type="text/html; charset=utf-8")

    parsed = parse_email(raw)

    assert parsed.html == ""
    assert parsed.text.startswith("正文\nxxxx")


def test_html_within_the_limits_is_still_sanitized_and_kept() -> None:
    html = "<div>" * MAX_HTML_DEPTH + "<p onclick='x()'>正文</p>" + "</div>" * MAX_HTML_DEPTH
    raw = raw_email(body=html.encode(), content_type="text/html; charset=utf-8")

    parsed = parse_email(raw)

    assert "<p>正文</p>" in parsed.html
    assert "onclick" not in parsed.html


def test_html_to_text_of_deep_html_takes_the_cheap_path_and_keeps_the_text() -> None:
    assert html_to_text("<div>" * 100_000 + "文本") == "文本"


@pytest.mark.django_db
def test_two_megabyte_deeply_nested_html_mail_opens_a_case_with_its_text() -> None:
    """The adversarial pass's mail: 2 MB of unclosed ``<div>`` (nh3 is quadratic in depth)."""
    html = "<html><body><p>请看附件说明</p>" + "<div>" * 400_000 + "最后一句</body></html>"
    raw = raw_email(
        body=html.encode(), content_type="text/html; charset=utf-8", message_id="<deep@x.cn>"
    )
    assert len(raw) > 2_000_000

    result = email_receive(raw=raw, at=timezone.now())

    message = Message.objects.get(external_id="<deep@x.cn>")
    assert result.is_new_case
    assert message.body_html == ""
    assert message.body == "请看附件说明\n\n最后一句"


@pytest.mark.django_db
def test_nul_mail_is_stored_with_the_nul_removed() -> None:
    result = email_receive(raw=_hostile_mail(), at=timezone.now())

    case = Case.objects.get()
    message = Message.objects.get()
    assert result.case == case
    assert case.subject == "设备故障[31m"
    assert message.body == "第一行\t缩进\n第二行结束"
    assert message.contact is not None
    assert message.contact.name == "张三"
    assert Attachment.objects.get().filename == "报价单.pdf"
