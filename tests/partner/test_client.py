"""The client against the fake server: the real wire format, each fault named."""

from __future__ import annotations

import pytest

from kefu.partner.client import Fault, ProviderError, chat_complete
from tests.partner.fake_llm import FakeLLM

MESSAGES = [{"role": "system", "content": "你是客服助手。"}, {"role": "user", "content": "你好"}]


def test_an_answer_comes_back_with_its_token_counts(llm: FakeLLM) -> None:
    llm.reply = "您好！"

    answer = chat_complete(messages=MESSAGES, max_tokens=100)

    assert answer.text == "您好！"
    assert answer.model == "qwen-plus"
    assert answer.prompt_tokens > 0
    assert llm.requests[0]["messages"] == MESSAGES
    assert llm.requests[0]["max_tokens"] == 100


@pytest.mark.parametrize(
    ("status", "delay", "malformed", "fault"),
    [
        (429, 0.0, False, Fault.RATE_LIMITED),
        (500, 0.0, False, Fault.PROVIDER_ERROR),
        (503, 0.0, False, Fault.PROVIDER_ERROR),
        (200, 3.0, False, Fault.TIMEOUT),
        (200, 0.0, True, Fault.MALFORMED),
    ],
)
def test_each_fault_is_named(
    llm: FakeLLM, status: int, delay: float, malformed: bool, fault: Fault
) -> None:
    llm.status, llm.delay, llm.malformed = status, delay, malformed

    with pytest.raises(ProviderError) as caught:
        chat_complete(messages=MESSAGES, max_tokens=100)

    assert caught.value.fault is fault
    assert len(llm.requests) == 1  # no retries behind the agent's back


def test_a_wrong_key_is_unauthorized(llm: FakeLLM, settings: object) -> None:
    settings.KEFU_LLM_API_KEY = "sk-wrong"  # type: ignore[attr-defined]

    with pytest.raises(ProviderError) as caught:
        chat_complete(messages=MESSAGES, max_tokens=100)

    assert caught.value.fault is Fault.UNAUTHORIZED
