"""Reading raw email: Chinese charsets, HTML-only mail, attachments, broken input."""

from __future__ import annotations

import base64

import pytest

from kefu.channels.email_parse import (
    EmailParseError,
    ParseProblem,
    decode_bytes,
    html_to_text,
    parse_email,
)
from tests.channels.builders import (
    encoded_word,
    gb2312_email,
    html_email,
    multipart_email,
    raw_email,
)


def test_gb2312_subject_and_body_with_gbk_only_characters_are_decoded() -> None:
    parsed = parse_email(gb2312_email())

    assert parsed.subject == "镕基路项目停工"
    assert parsed.sender_name == "王五"
    assert parsed.sender_email == "wang.wu@example.cn"
    assert parsed.text == "王总您好：\n朱镕基路的项目停工了，请回电。"


def test_gbk_and_gb18030_labels_decode_the_same_text() -> None:
    for label in ("GBK", "gb18030", "x-gbk", "GB_2312-80"):
        raw = raw_email(
            subject=encoded_word("报修单", charset=label),
            body="停电了".encode("gbk"),
            content_type=f"text/plain; charset={label}",
        )

        parsed = parse_email(raw)

        assert (parsed.subject, parsed.text) == ("报修单", "停电了")


def test_utf8_base64_subject_and_quoted_printable_body_are_decoded() -> None:
    raw = raw_email(
        subject=encoded_word("空调不制冷", charset="UTF-8", codec="utf-8"),
        body=b"=E7=A9=BA=E8=B0=83=E5=9D=8F=E4=BA=86",
        transfer_encoding="quoted-printable",
    )

    parsed = parse_email(raw)

    assert parsed.subject == "空调不制冷"
    assert parsed.text == "空调坏了"


def test_undeclared_8bit_gbk_headers_and_body_are_guessed() -> None:
    raw = ("From: 李四 <li.si@example.cn>\r\nSubject: 门禁故障\r\n\r\n门禁刷不开。\r\n").encode(
        "gbk"
    )

    parsed = parse_email(raw)

    assert (parsed.sender_name, parsed.subject, parsed.text) == ("李四", "门禁故障", "门禁刷不开。")


def test_wrongly_declared_charset_falls_back_to_what_decodes() -> None:
    assert decode_bytes("电梯".encode("gbk"), "utf-8") == "电梯"
    assert decode_bytes("电梯".encode(), "no-such-charset") == "电梯"
    assert decode_bytes(b"\xff\xfe\xfa", "us-ascii")  # never raises


def test_html_only_mail_becomes_text_and_keeps_sanitized_html() -> None:
    parsed = parse_email(html_email())

    assert parsed.subject == "Pump failure – site 3"
    assert parsed.text == "Hello,\n\nthe pump failed again.\nlink"
    assert "<script" not in parsed.html
    assert "alert" not in parsed.html
    assert "onclick" not in parsed.html
    assert "javascript:" not in parsed.html
    assert "<b>pump</b>" in parsed.html


def test_plain_text_is_preferred_over_the_html_alternative() -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "a@example.com"
    message.set_content("plain version")
    message.add_alternative("<p>html version</p>", subtype="html")

    parsed = parse_email(message.as_bytes())

    assert parsed.text == "plain version"
    assert parsed.html == "<p>html version</p>"


def test_attachments_are_kept_with_their_chinese_names() -> None:
    raw = multipart_email(attachments=[("报价单.pdf", b"%PDF-1"), ("现场.jpg", b"\xff\xd8")])

    parsed = parse_email(raw)

    assert parsed.text == "附件是现场照片和报价单。"
    assert [(a.filename, a.content) for a in parsed.attachments] == [
        ("报价单.pdf", b"%PDF-1"),
        ("现场.jpg", b"\xff\xd8"),
    ]


def test_attachment_names_cannot_climb_directories() -> None:
    raw = multipart_email(attachments=[("../../etc/passwd", b"x"), ("..\\..\\boot.ini", b"y")])

    names = [a.filename for a in parse_email(raw).attachments]

    assert names == ["passwd", "boot.ini"]


def test_references_and_in_reply_to_are_read_in_order() -> None:
    raw = raw_email(
        headers={
            "In-Reply-To": "<b@kefu.test>",
            "References": "<a@example.cn>\r\n <b@kefu.test>",
        }
    )

    parsed = parse_email(raw)

    assert parsed.in_reply_to == ("<b@kefu.test>",)
    assert parsed.references == ("<a@example.cn>", "<b@kefu.test>")


def test_missing_message_id_is_derived_from_the_bytes() -> None:
    raw = raw_email(message_id=None)

    assert parse_email(raw).message_id == parse_email(raw).message_id
    assert parse_email(raw).message_id != parse_email(raw + b"x").message_id


def test_very_long_message_id_is_stored_as_a_digest() -> None:
    long_id = "<" + "x" * 400 + "@example.cn>"

    parsed = parse_email(raw_email(message_id=long_id))

    assert len(parsed.message_id) <= 300
    assert parsed.message_id.endswith("@long-id.invalid>")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", ParseProblem.EMPTY),
        (b" \r\n\r\n", ParseProblem.EMPTY),
        (b"\x00\x01\xfe garbage \xff", ParseProblem.NO_SENDER),
        (b"Subject: hello\r\n\r\nno sender", ParseProblem.NO_SENDER),
        (b"From: not an address\r\n\r\nbody", ParseProblem.NO_SENDER),
    ],
)
def test_unusable_input_raises_with_the_problem(raw: bytes, problem: ParseProblem) -> None:
    with pytest.raises(EmailParseError) as caught:
        parse_email(raw)

    assert caught.value.problem is problem


def test_html_to_text_drops_scripts_and_lists_items() -> None:
    html = "<div>Hi<script>x()</script><ul><li>one</li><li>two</li></ul>&nbsp;bye</div>"

    assert html_to_text(html) == "Hi\n\n- one\n- two\nbye"


def test_base64_body_without_charset_is_guessed_as_gb18030() -> None:
    body = base64.encodebytes("水管爆了".encode("gb18030"))
    raw = raw_email(body=body, content_type="text/plain", transfer_encoding="base64")

    assert parse_email(raw).text == "水管爆了"


def test_forwarded_message_stays_whole_as_an_eml_attachment() -> None:
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["From"] = "boss@example.cn"
    inner["Subject"] = "原始邮件"
    inner.set_content("原文内容")
    outer = EmailMessage()
    outer["From"] = "a@example.cn"
    outer.set_content("请看转发")
    outer.add_attachment(inner)

    parsed = parse_email(outer.as_bytes())

    (forwarded,) = parsed.attachments
    assert parsed.text == "请看转发"
    assert (forwarded.filename, forwarded.content_type) == ("message-1.eml", "message/rfc822")
    assert parse_email(forwarded.content).subject == "原始邮件"
