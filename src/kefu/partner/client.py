"""The one door to the language model: an OpenAI-compatible chat completions API.

Every provider kefu supports (Qwen through DashScope's compatible mode,
DeepSeek, a local vLLM or Ollama) speaks this API, so the official ``openai``
client is used with ``base_url`` from ``KEFU_LLM_BASE_URL``. The package is
imported inside :func:`chat_complete` only: with the partner off nothing loads it.
What reaches this module has already been redacted (``kefu.partner.redact``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings


class Fault(StrEnum):
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate_limited"
    PROVIDER_ERROR = "provider_error"
    UNAUTHORIZED = "unauthorized"
    UNREACHABLE = "unreachable"
    MALFORMED = "malformed"


class ProviderError(Exception):
    """The provider did not give a usable answer; ``fault`` says how."""

    def __init__(self, fault: Fault, detail: str = "", *, latency_ms: int = 0) -> None:
        self.fault = fault
        self.detail = detail[:300]
        self.latency_ms = latency_ms
        super().__init__(f"{fault}: {self.detail}")


@dataclass(frozen=True)
class Answer:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int


def is_configured() -> bool:
    """Whether a provider is set (``KEFU_LLM_BASE_URL``); off by default."""
    return bool(settings.KEFU_LLM_BASE_URL and settings.KEFU_LLM_MODEL)


def chat_complete(
    *, messages: list[dict[str, str]], max_tokens: int, temperature: float = 0.3
) -> Answer:
    """One chat completion; raises :class:`ProviderError` on any fault (no retries:
    the agent is waiting, and asking again is one click)."""
    import openai

    client = openai.OpenAI(
        base_url=settings.KEFU_LLM_BASE_URL,
        # Local servers (vLLM, Ollama) take any key; the client insists on one.
        api_key=settings.KEFU_LLM_API_KEY or "not-needed",
        timeout=float(settings.KEFU_LLM_TIMEOUT_SECONDS),
        max_retries=0,
    )
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        completion: Any = client.chat.completions.create(
            model=settings.KEFU_LLM_MODEL,
            messages=messages,  # type: ignore[arg-type]
            max_tokens=max_tokens,
            temperature=temperature,
        )
    except openai.APITimeoutError as exc:
        raise ProviderError(Fault.TIMEOUT, str(exc), latency_ms=elapsed()) from exc
    except openai.RateLimitError as exc:
        raise ProviderError(Fault.RATE_LIMITED, str(exc), latency_ms=elapsed()) from exc
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        raise ProviderError(Fault.UNAUTHORIZED, str(exc), latency_ms=elapsed()) from exc
    except openai.APIStatusError as exc:
        raise ProviderError(Fault.PROVIDER_ERROR, str(exc), latency_ms=elapsed()) from exc
    except openai.APIConnectionError as exc:
        raise ProviderError(Fault.UNREACHABLE, str(exc), latency_ms=elapsed()) from exc
    except (openai.APIResponseValidationError, ValueError) as exc:
        raise ProviderError(Fault.MALFORMED, str(exc), latency_ms=elapsed()) from exc
    finally:
        client.close()
    return _answer(completion, elapsed())


def _answer(completion: Any, latency_ms: int) -> Answer:
    """The text and token counts, or MALFORMED when the body is not a completion."""
    try:
        choice = completion.choices[0]
        text = choice.message.content
        usage = completion.usage
        prompt_tokens = int(usage.prompt_tokens) if usage is not None else 0
        completion_tokens = int(usage.completion_tokens) if usage is not None else 0
        model = str(completion.model or "")
    except (AttributeError, IndexError, TypeError, ValueError) as exc:
        raise ProviderError(Fault.MALFORMED, repr(exc), latency_ms=latency_ms) from exc
    if not isinstance(text, str) or not text.strip():
        raise ProviderError(Fault.MALFORMED, "empty answer", latency_ms=latency_ms)
    return Answer(
        text=text.strip(),
        model=model,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        latency_ms=latency_ms,
    )
