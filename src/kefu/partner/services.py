"""Every write of the writing partner: ask the model for a case summary, a reply
draft or a rewrite, log what was sent and received, and stop at the budget.

Nothing here sends anything to a customer: a draft goes back to the agent's reply
box, where the coach reads it and the agent sends it or not. No transaction is
held open while the model thinks (seconds): the reads come first, then the
call, then one write for the log and one for a summary.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from kefu.cases.models import Case
from kefu.core.authz import authorize
from kefu.core.models import User
from kefu.core.roles import Perm, Role
from kefu.core.services import notification_send
from kefu.partner import notification_kinds, prompts
from kefu.partner.client import Fault, ProviderError, chat_complete
from kefu.partner.errors import PartnerError, PartnerErrorCode
from kefu.partner.models import BudgetNotice, CaseSummary, PartnerCall
from kefu.partner.redact import Kind, redact, restore
from kefu.partner.selectors import (
    case_material,
    month_start,
    partner_blocker,
    summary_cached,
    tokens_used,
)

SUMMARY_TOKENS = 700
DRAFT_TOKENS = 600

_FAULTS = {
    Fault.TIMEOUT: PartnerErrorCode.TIMEOUT,
    Fault.RATE_LIMITED: PartnerErrorCode.RATE_LIMITED,
    Fault.PROVIDER_ERROR: PartnerErrorCode.PROVIDER_ERROR,
    Fault.UNAUTHORIZED: PartnerErrorCode.UNAUTHORIZED,
    Fault.UNREACHABLE: PartnerErrorCode.UNREACHABLE,
    Fault.MALFORMED: PartnerErrorCode.MALFORMED,
}


def _budget_notify(*, used: int, at: datetime) -> None:
    """Tell every administrator, once a month, that the budget is spent."""
    month = f"{month_start(at):%Y-%m}"
    try:
        with transaction.atomic():
            BudgetNotice.objects.create(month=month, sent_at=at)
    except IntegrityError:
        return  # already told this month
    for admin in User.objects.filter(role=Role.ADMINISTRATOR, is_active=True):
        notification_send(
            recipient=admin,
            code=notification_kinds.BUDGET_SPENT,
            link="/partner/calls/",
            at=at,
            params={
                "month": month,
                "used": used,
                "budget": settings.KEFU_LLM_MONTHLY_TOKEN_BUDGET,
            },
        )


def _guard(*, actor: User, case: Case, at: datetime) -> None:
    authorize(actor, Perm.WORK_CASES)
    blocker = partner_blocker(case)
    if blocker is not None:
        raise PartnerError(blocker)
    used = tokens_used(at=at)
    if used >= settings.KEFU_LLM_MONTHLY_TOKEN_BUDGET:
        _budget_notify(used=used, at=at)
        raise PartnerError(PartnerErrorCode.BUDGET_SPENT)


def _ask(
    *,
    actor: User | None,
    case: Case | None,
    purpose: str,
    messages: list[dict[str, str]],
    max_tokens: int,
    at: datetime,
) -> str:
    """Redact, ask, log, restore: the answer with its placeholders put back.

    Raises :class:`PartnerError` on a provider fault or a refused answer; the
    call is logged either way.
    """
    redaction = redact([message["content"] for message in messages])
    sent = [
        {"role": message["role"], "content": text}
        for message, text in zip(messages, redaction.texts, strict=True)
    ]
    call = PartnerCall(
        at=at,
        actor=actor,
        case=case,
        purpose=purpose,
        model_name=settings.KEFU_LLM_MODEL[:100],
        sent=sent,
        redacted={kind.value: redaction.count(kind) for kind in Kind if redaction.count(kind)},
    )
    try:
        answer = chat_complete(messages=sent, max_tokens=max_tokens)
    except ProviderError as exc:
        call.outcome = PartnerCall.Outcome.FAILED
        call.fault = str(exc.fault)
        call.latency_ms = exc.latency_ms
        call.save()
        raise PartnerError(_FAULTS[exc.fault]) from exc
    restored = restore(answer.text, redaction.mapping())
    call.received = answer.text
    call.prompt_tokens = answer.prompt_tokens
    call.completion_tokens = answer.completion_tokens
    call.latency_ms = answer.latency_ms
    call.model_name = (answer.model or call.model_name)[:100]
    if restored.refusal is not None:
        call.outcome = PartnerCall.Outcome.REFUSED
        call.fault = f"{restored.refusal.value}:{restored.detail}"[:40]
        call.save()
        raise PartnerError(PartnerErrorCode.ANSWER_REFUSED)
    call.outcome = PartnerCall.Outcome.OK
    call.save()
    return restored.text


def case_summarise(*, actor: User, case: Case, language: str, at: datetime) -> CaseSummary:
    """The summary of ``case`` as it is now, in ``language``: the cached one when the
    case has not changed since (same version), else a new one from the model.

    Raises :class:`PartnerError` when the case may not be sent, the budget is
    spent, or the provider fails.
    """
    version = case.version
    cached = summary_cached(case, language=language)
    if cached is not None:
        return cached
    _guard(actor=actor, case=case, at=at)
    material = case_material(case, actor=actor, for_draft=False, language=language)
    text = _ask(
        actor=actor,
        case=case,
        purpose=PartnerCall.Purpose.SUMMARY,
        messages=prompts.summary_messages(material, language=language),
        max_tokens=SUMMARY_TOKENS,
        at=at,
    )
    summary, _created = CaseSummary.objects.get_or_create(
        case=case,
        case_version=version,
        language=language,
        defaults={"text": text, "created_at": at},
    )
    return summary


def reply_draft(*, actor: User, case: Case, language: str, at: datetime) -> str:
    """A reply for the agent to edit and send, from the thread, the customer's
    reading, the playbook's next step, the reply templates and matching articles."""
    _guard(actor=actor, case=case, at=at)
    material = case_material(case, actor=actor, for_draft=True, language=language)
    return _ask(
        actor=actor,
        case=case,
        purpose=PartnerCall.Purpose.DRAFT,
        messages=prompts.draft_messages(material),
        max_tokens=DRAFT_TOKENS,
        at=at,
    )


def reply_rewrite(
    *, actor: User, case: Case, text: str, rewrite: str, language: str, at: datetime
) -> str:
    """The agent's reply ``text`` rewritten one way (``prompts.REWRITES``)."""
    if rewrite not in prompts.REWRITES:
        raise PartnerError(PartnerErrorCode.UNKNOWN_REWRITE)
    if not text.strip():
        raise PartnerError(PartnerErrorCode.NOTHING_TO_REWRITE)
    _guard(actor=actor, case=case, at=at)
    material = case_material(case, actor=actor, for_draft=True, language=language, sources=False)
    return _ask(
        actor=actor,
        case=case,
        purpose=PartnerCall.Purpose.REWRITE,
        messages=prompts.rewrite_messages(material, text=text, rewrite=rewrite),
        max_tokens=DRAFT_TOKENS,
        at=at,
    )
