"""Draft readings (acknowledgement, restatement, cause → solution → steps): the pure core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kefu.assist.engine import readings as module
from kefu.assist.engine.readings import ReadingCode, draft_readings

ACK = ReadingCode.ACKNOWLEDGEMENT
RESTATE = ReadingCode.RESTATEMENT
ORDER = ReadingCode.ORDER


@pytest.mark.parametrize("opening", ["嗯，", "是的，", "我明白您的意思。"])
def test_chinese_acknowledgements_are_read(opening: str) -> None:
    assert draft_readings(opening + "我来帮您查一下。").get(ACK).present


def test_english_acknowledgement_is_a_whole_phrase() -> None:
    assert draft_readings("I see what you mean, let me check.").get(ACK).present
    assert not draft_readings("It seems we seem to differ.").get(ACK).present


def test_a_missing_acknowledgement_is_a_suggestion_with_a_starter_in_the_agents_language() -> None:
    found = draft_readings("我来帮您查一下。", language="zh-hans").get(ACK)
    assert not found.present
    assert "回应" in found.hint
    assert found.starter == "是的，我明白您的意思。"
    english = draft_readings("Let me check the order.", language="en").get(ACK)
    assert english.hint.startswith("A short sign of listening")
    assert english.starter == "I see what you mean."


def test_restatement_by_a_confirming_phrase() -> None:
    draft = "您的意思是包裹三天前显示签收，但您没有收到，对吗？"
    assert draft_readings(draft).get(RESTATE).evidence == "您的意思是"
    english = draft_readings("If I understand correctly, the parcel never arrived?")
    assert english.get(RESTATE).present


def test_restatement_by_repeating_the_customers_concern() -> None:
    customer = "我的包裹显示已签收，但是我根本没收到包裹，快递员也联系不上"
    said_back = draft_readings(
        "包裹显示签收但您没收到，快递员也联系不上，我马上查。", customer_text=customer
    )
    assert said_back.get(RESTATE).present
    unrelated = draft_readings("请稍等。", customer_text=customer)
    assert not unrelated.get(RESTATE).present


def test_cause_solution_steps_in_order() -> None:
    draft = "原因是系统升级导致订单延迟。我们可以为您加急处理。具体步骤：第一步，打开订单页面。"
    reading = draft_readings(draft).get(ORDER)
    assert reading.present
    assert reading.evidence == "cause → solution → steps"
    english = "This happened because of a typo. We can fix it today. The steps: first, open it."
    assert draft_readings(english).get(ORDER).present


def test_steps_before_the_cause_is_not_in_order() -> None:
    draft = "第一步，打开订单页面。原因是系统升级。我们可以为您加急。"
    reading = draft_readings(draft, language="en").get(ORDER)
    assert not reading.present
    assert reading.evidence == "steps → cause → solution"
    assert "the cause, then the solution, then the steps" in reading.hint


def test_a_draft_with_all_three_has_no_suggestions() -> None:
    draft = (
        "是的，我明白您的意思。您的意思是退款一直没到账，对吗？原因是银行处理需要时间。"
        "我们可以为您催办。步骤：首先……"
    )
    assert draft_readings(draft).suggestions == []


@pytest.mark.parametrize("junk", ["", "   ", None, 42])
def test_odd_input_never_raises_and_reads_nothing(junk: object) -> None:
    found = draft_readings(junk, customer_text=junk)
    assert [r.present for r in found.readings] == [False, False, False]


def test_the_readings_core_imports_nothing_from_django() -> None:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.startswith("django") for name in imported)
