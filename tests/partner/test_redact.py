"""The pure redaction core: personal data out of prompts, back into answers."""

from __future__ import annotations

from kefu.partner.redact import Kind, Refusal, find_personal_data, redact, restore

CASE_TEXT = (
    "我的电话13812345678，也可打 +86 139-0000-0003 或 010-62345678。"
    "身份证110101199003071234，卡号6222 0212 3456 7890 123，邮箱zhang.wei@example.com。"
)


def test_each_kind_of_personal_data_becomes_a_placeholder() -> None:
    redaction = redact([CASE_TEXT])

    (text,) = redaction.texts
    for raw in ("13812345678", "139-0000-0003", "62345678", "110101199003071234", "6222"):
        assert raw not in text
    assert "zhang.wei" not in text
    assert redaction.count(Kind.PHONE) == 3
    assert redaction.count(Kind.ID_NUMBER) == 1
    assert redaction.count(Kind.BANK_CARD) == 1
    assert redaction.count(Kind.EMAIL) == 1
    assert "[ID_1]" in text
    assert "[EMAIL_1]" in text


def test_the_same_number_gets_the_same_placeholder_across_texts() -> None:
    redaction = redact(["电话 13812345678", "再说一次 138 1234 5678"])

    assert redaction.texts == ("电话 [PHONE_1]", "再说一次 [PHONE_1]")


def test_order_numbers_dates_and_amounts_are_left_alone() -> None:
    text = "订单号2026120712345，日期2026-12-07 14:30，金额1280元，工单 KF-2026-000123。"

    assert redact([text]).texts == (text,)
    assert find_personal_data(text) == []


def test_restore_puts_the_values_back() -> None:
    redaction = redact([CASE_TEXT])

    restored = restore("我们会致电 [PHONE_1]，并发邮件到 [EMAIL_1]。", redaction.mapping())

    assert restored.refusal is None
    assert restored.text == "我们会致电 13812345678，并发邮件到 zhang.wei@example.com。"


def test_an_answer_with_a_placeholder_it_was_not_given_is_refused() -> None:
    restored = restore("请拨打 [PHONE_7]", redact([CASE_TEXT]).mapping())

    assert restored.refusal is Refusal.UNKNOWN_PLACEHOLDER
    assert restored.text == ""


def test_an_answer_with_an_invented_phone_number_is_refused() -> None:
    restored = restore("请直接拨打 13900001111 找我们经理。", redact([CASE_TEXT]).mapping())

    assert restored.refusal is Refusal.INVENTED_PERSONAL_DATA
    assert restored.detail == "PHONE"
