"""Reads of the writing partner: whether it may help on a case, the month's spend,
the cached summary, what a prompt is built from, and the call log."""

from __future__ import annotations

import importlib
import inspect
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from kefu.cases.models import Case, Message, ReplyTemplate
from kefu.cases.playbook import STEP_LABELS
from kefu.cases.services import coach
from kefu.cases.services.workspace import reply_template_render
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.partner.client import is_configured
from kefu.partner.errors import PartnerErrorCode
from kefu.partner.models import CaseSummary, ExcludedDepartment, PartnerCall

logger = logging.getLogger(__name__)

# What one prompt carries at most: the latest messages, each cut to this length.
THREAD_LIMIT = 40
BODY_LIMIT = 1500
TEMPLATE_LIMIT = 5
ARTICLE_LIMIT = 3


def partner_blocker(case: Case) -> PartnerErrorCode | None:
    """Why nothing of ``case`` may be sent, or None when it may."""
    if not is_configured():
        return PartnerErrorCode.NOT_CONFIGURED
    if case.is_confidential:
        return PartnerErrorCode.CONFIDENTIAL
    if ExcludedDepartment.objects.filter(department_id=case.department_id).exists():
        return PartnerErrorCode.DEPARTMENT_EXCLUDED
    return None


def month_start(at: datetime) -> datetime:
    """The first instant of ``at``'s calendar month in the desk's time zone."""
    local = timezone.localtime(at)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def tokens_used(*, at: datetime) -> int:
    """Prompt and answer tokens spent since the start of ``at``'s month."""
    spent = PartnerCall.objects.filter(at__gte=month_start(at), at__lte=at).aggregate(
        prompt=Sum("prompt_tokens"), answer=Sum("completion_tokens")
    )
    return int(spent["prompt"] or 0) + int(spent["answer"] or 0)


def summary_cached(case: Case, *, language: str) -> CaseSummary | None:
    """The summary written for the case as it is now (its current version), if any."""
    return CaseSummary.objects.filter(
        case=case, case_version=case.version, language=language
    ).first()


def is_summary_receiver(case: Case, actor: User) -> bool:
    """Whether ``actor`` is who the case was last escalated or transferred to: the new
    owner of the latest escalation, or a lead or manager of the department of the
    latest transfer. They get the summary without asking."""
    latest_escalation = case.escalations.order_by("-at", "-pk").first()
    latest_transfer = case.transfers.order_by("-at", "-pk").first()
    if latest_escalation is not None and (
        latest_transfer is None or latest_escalation.at >= latest_transfer.at
    ):
        return latest_escalation.to_owner_id == actor.pk
    if latest_transfer is not None:
        return latest_transfer.to_department_id == actor.department_id and actor.has_role_perm(
            Perm.APPROVE_ESCALATIONS
        )
    return False


@dataclass(frozen=True)
class ThreadLine:
    at: datetime
    who: str  # customer, agent, note
    body: str
    mood: str = ""  # the coach's reading of a customer message, in words


@dataclass(frozen=True)
class CaseMaterial:
    """What a prompt is built from; nothing of it has been redacted yet."""

    reference: str
    subject: str
    category: str
    status: str
    priority: str
    customer_language: str
    thread: list[ThreadLine]
    promises: list[str] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)
    playbook_done: list[str] = field(default_factory=list)
    next_step: str = ""
    latest_mood: str = ""
    templates: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


def _mood(reading: dict[str, Any] | None) -> str:
    if not reading:
        return ""
    parts = [f"sentiment {reading.get('sentiment', '?')}"]
    if reading.get("upset"):
        parts.append("upset")
    emotions = reading.get("emotions") or {}
    strong = [name for name, score in emotions.items() if float(score or 0) >= 0.3]
    if strong:
        parts.append("emotions " + ", ".join(sorted(strong)))
    if reading.get("threat"):
        kinds = ", ".join(reading.get("threat_kinds") or []) or "unspecified"
        parts.append(f"threatens to escalate ({kinds})")
    parts.append(f"escalation risk {float(reading.get('escalation_risk') or 0):.2f}")
    return "; ".join(parts)


def mood_over_time(case: Case) -> list[tuple[datetime, str, bool]]:
    """(when, sentiment, upset) of each customer message the coach has read, oldest first."""
    rows = (
        Message.objects.filter(
            case=case, direction=Message.Direction.INBOUND, reading__isnull=False
        )
        .order_by("created_at", "pk")
        .values_list("created_at", "sentiment", "upset")
    )
    return [(at, sentiment or "neutral", upset) for at, sentiment, upset in rows]


def _thread(case: Case, *, include_notes: bool) -> list[ThreadLine]:
    messages = Message.objects.filter(case=case)
    if not include_notes:
        messages = messages.exclude(direction=Message.Direction.NOTE)
    latest = list(messages.order_by("-created_at", "-pk")[:THREAD_LIMIT])
    who: dict[str, str] = {
        Message.Direction.INBOUND: "customer",
        Message.Direction.OUTBOUND: "agent",
        Message.Direction.NOTE: "internal note",
    }
    return [
        ThreadLine(
            at=timezone.localtime(m.created_at),
            who=who.get(m.direction, str(m.direction)),
            body=m.body[:BODY_LIMIT],
            mood=_mood(m.reading) if m.direction == Message.Direction.INBOUND else "",
        )
        for m in reversed(latest)
    ]


def _templates(case: Case, actor: User) -> list[str]:
    texts = []
    for template in ReplyTemplate.objects.filter(is_active=True).order_by("name")[:TEMPLATE_LIMIT]:
        try:
            text, _language = reply_template_render(template=template, case=case, agent=actor)
        except DomainError:
            continue
        texts.append(f"{template.name}: {text[:BODY_LIMIT]}")
    return texts


def _value(item: Any, names: tuple[str, ...]) -> str:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def kb_articles(*, actor: User, query: str, language: str) -> list[str]:
    """The top matching knowledge-base articles as "title: text", when the knowledge
    base offers ``kefu.kb.selectors.search_articles``; an empty list when it does
    not (yet), or when its search fails (the draft goes on without them)."""
    try:
        # Imported by name: the knowledge base is optional to the partner.
        kb_selectors = importlib.import_module("kefu.kb.selectors")
    except ImportError:
        return []
    search = getattr(kb_selectors, "search_articles", None)
    if search is None or not query.strip():
        return []
    try:
        parameters = inspect.signature(search).parameters
        offered = {
            "actor": actor,
            "query": query,
            "q": query,
            "language": language,
            "limit": ARTICLE_LIMIT,
            # A draft's search is not a reader's search: it records no miss.
            "record_misses": False,
        }
        kwargs = {name: value for name, value in offered.items() if name in parameters}
        found = search(**kwargs) if ("query" in kwargs or "q" in kwargs) else search(query)
        items = list(found)[:ARTICLE_LIMIT]
    except Exception:
        logger.exception("knowledge-base search failed; the draft goes on without articles")
        return []
    zh = language != "en"
    title_names = ("title", "title_zh", "title_en") if zh else ("title", "title_en", "title_zh")
    body_names = (
        ("excerpt", "summary", "body", "body_zh", "body_en", "text")
        if zh
        else ("excerpt", "summary", "body", "body_en", "body_zh", "text")
    )
    article = getattr(items[0], "article", None) if items else None
    if article is not None:
        items = [getattr(item, "article", item) for item in items]
    return [
        f"{_value(item, title_names)}: {_value(item, body_names)[:800]}"
        for item in items
        if _value(item, title_names) or _value(item, body_names)
    ]


def case_material(
    case: Case, *, actor: User, for_draft: bool, language: str, sources: bool = True
) -> CaseMaterial:
    """What the summary (``for_draft=False``: internal notes included) or the reply
    draft (customer-facing: no notes; templates, playbook, articles) is built from.
    ``sources=False`` (a rewrite) leaves out the templates and the article search."""
    thread = _thread(case, include_notes=not for_draft)
    promises = [
        f"{c.what} (due {timezone.localtime(c.due_at):%Y-%m-%d %H:%M}, {c.status})"
        for c in case.commitments.order_by("created_at")
    ]
    escalations = [
        f"{timezone.localtime(e.at):%Y-%m-%d %H:%M} escalated to level {e.to_level} "
        f"({e.reason}): {e.explanation[:300]}"
        for e in case.escalations.order_by("at")
    ] + [
        f"{timezone.localtime(t.at):%Y-%m-%d %H:%M} transferred to {t.to_department.name}: "
        f"{t.why[:300]}"
        for t in case.transfers.select_related("to_department").order_by("at")
    ]
    steps = coach.playbook_state(case)
    done = [str(STEP_LABELS[s["step"]][0]) for s in steps if s["done"] and s["step"] in STEP_LABELS]
    upcoming = next((s for s in steps if s["next"]), None)
    next_step = ""
    if upcoming is not None and upcoming["step"] in STEP_LABELS:
        label, hint = STEP_LABELS[upcoming["step"]]
        next_step = f"{label}: {hint}"
    latest = next((line.mood for line in reversed(thread) if line.mood), "")
    return CaseMaterial(
        reference=case.reference,
        subject=case.subject,
        category=case.get_category_display(),
        status=case.get_status_display(),
        priority=case.get_priority_display(),
        customer_language=case.contact.language,
        thread=thread,
        promises=promises,
        escalations=escalations,
        playbook_done=done,
        next_step=next_step,
        latest_mood=latest,
        templates=_templates(case, actor) if for_draft and sources else [],
        articles=(
            kb_articles(actor=actor, query=case.subject, language=language)
            if for_draft and sources
            else []
        ),
    )


def partner_calls(actor: User) -> QuerySet[PartnerCall]:
    """The call log, newest first: for administrators only."""
    authorize(actor, Perm.MANAGE_SETTINGS)
    return PartnerCall.objects.select_related("actor", "case").order_by("-at", "-pk")
