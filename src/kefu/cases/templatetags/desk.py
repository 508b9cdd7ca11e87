"""Small, fast tags for rows the queue renders fifty at a time."""

from __future__ import annotations

import functools
from datetime import datetime
from urllib.parse import urlencode

from django import template
from django.forms import BoundField
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.cases.models import Case
from kefu.cases.playbook import STEP_LABELS, step_label

register = template.Library()


@register.simple_tag
def due(value: datetime | None) -> SafeString:
    """A live due time: the local time, then how long is left or overdue (static/kefu/due.js)."""
    if value is None:
        return mark_safe('<span class="muted">—</span>')
    local = timezone.localtime(value)
    left, overdue = _due_labels(translation.get_language())
    return format_html(
        '<time class="due" datetime="{}" data-left="{}" data-overdue="{}">{}'
        '<span class="due-live"></span></time>',
        local.isoformat(),
        left,
        overdue,
        f"{local:%m-%d %H:%M}",
    )


@functools.cache
def _due_labels(language: str) -> tuple[str, str]:
    # Fifty rows a page: translate the two labels once per language.
    with translation.override(language):
        return _("%s left"), _("%s overdue")


@register.simple_tag
def sla_state(case: Case, now: datetime) -> SafeString:
    """The SLA state of a queue row (annotated by ``selectors.case_list_for``): a
    "due soon" badge once the SLA warning share has passed, with the time left and
    the due time in the reader's time zone; an "overdue" badge once it is due."""
    due = case.sla_due_at
    if due is None:
        return mark_safe("")
    if getattr(case, "sla_due_soon", False):
        label = _("%(left)s left, due %(time)s") % {
            "left": timeuntil(due, now, depth=2),
            "time": f"{timezone.localtime(due):%m-%d %H:%M}",
        }
        return format_html(
            '<span class="flag soon" data-testid="sla-due-soon">{}</span>'
            '<br><span class="muted">{}</span>',
            _("SLA due soon"),
            label,
        )
    if getattr(case, "sla_overdue", False):
        return format_html(
            '<span class="flag" data-testid="sla-overdue">{}</span>', _("SLA overdue")
        )
    return mark_safe("")


@register.simple_tag
def case_flags(case: Case) -> SafeString:
    """The warning flags of a case: overdue promise, breach, over heads, loop, ..."""
    flags: list[tuple[str, str]] = []
    if case.has_overdue_commitment:
        flags.append(("flag", _("Overdue promise")))
    if case.breach_count:
        flags.append(("flag", _("SLA breached")))
    if case.is_over_heads:
        flags.append(("flag", _("Over heads")))
    if case.customer_upset:
        flags.append(("flag", _("Upset customer")))
    if case.is_transfer_loop:
        flags.append(("flag", _("Transfer loop")))
    if case.is_confidential:
        flags.append(("flag info", _("Confidential")))
    if case.sla_paused_at:
        flags.append(("flag info", _("SLA paused")))
    return format_html_join("", '<span class="{}">{}</span>', flags)


@register.simple_tag
def delivery_label(status: str, message_id: int | None = None) -> str:
    """How an outbound message fared, in words; a message held for the customer's quiet
    hours says until when (in the reader's time zone) when ``message_id`` is given."""
    if status == "held" and message_id is not None:
        from kefu.cases.services.outbox import message_held_until

        until = message_held_until(message_id)
        if until is not None:
            shown = timezone.localtime(until).strftime("%H:%M")
            return _("held until %(time)s (the customer's quiet hours)") % {"time": shown}
    labels = {
        "queued": _("queued"),
        "held": _("held for the customer's quiet hours"),
        "sending": _("sending"),
        "sent": _("sent"),
        "failed": _("not delivered"),
        "resent": _("not delivered, resent"),
        "undeliverable": _("no channel reaches the customer: call them"),
    }
    return str(labels.get(status, status))


@register.simple_tag
def choice_select(field: BoundField) -> SafeString:
    """A multiple <select> for a bound choice field, without the per-option
    widget templates (the queue renders it on every filter change)."""
    chosen = {str(value) for value in (field.value() or [])}
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) in chosen else "", label)
            for value, label in getattr(field.field, "choices", ())
        ),
    )
    return format_html(
        '<select name="{}" id="{}" multiple>{}</select>',
        field.html_name,
        field.id_for_label,
        options,
    )


@register.filter
def as_query(filters: dict[str, object]) -> str:
    """A saved view's filters as a query string (lists become repeated keys)."""
    return urlencode(
        {key: value if isinstance(value, list) else [value] for key, value in filters.items()},
        doseq=True,
    )


_SENTIMENTS = {
    "negative": gettext_lazy("Negative"),
    "neutral": gettext_lazy("Neutral"),
    "positive": gettext_lazy("Positive"),
    "unknown": gettext_lazy("Unknown"),
}
_EMOTIONS = {
    "anger": gettext_lazy("Anger"),
    "anxiety": gettext_lazy("Anxiety"),
    "disappointment": gettext_lazy("Disappointment"),
    "satisfaction": gettext_lazy("Satisfaction"),
}
# The coach's cue codes (assist.engine reader); threat cues carry their kind.
_CUES = {
    "threat_regulator": gettext_lazy("threat: regulator"),
    "threat_media": gettext_lazy("threat: media"),
    "threat_legal": gettext_lazy("threat: lawyer or court"),
    "threat_over_heads": gettext_lazy("threat: over heads"),
    "threat_mention": gettext_lazy("mentions a complaint channel"),
    "threat_negated": gettext_lazy("says they will not escalate"),
    "negative": gettext_lazy("negative words"),
    "negated_positive": gettext_lazy("negated praise"),
    "positive": gettext_lazy("positive words"),
    "sarcasm": gettext_lazy("sarcasm"),
    "sarcastic_praise": gettext_lazy("sarcasm"),
    "repeat_contact": gettext_lazy("repeated contact"),
    "contact_count": gettext_lazy("repeated contact"),
    "prior_failure": gettext_lazy("an earlier failure"),
    "polite_anger": gettext_lazy("polite anger"),
    "implied_dissatisfaction": gettext_lazy("implied dissatisfaction"),
    "time_pressure": gettext_lazy("time pressure"),
    "problem": gettext_lazy("a problem reported"),
    "question": gettext_lazy("a question"),
    "truncated": gettext_lazy("only the beginning was read"),
    "shouting": gettext_lazy("shouting"),
    "intensity": gettext_lazy("stretched words"),
    "model": gettext_lazy("statistical reading"),
    "threat_model": gettext_lazy("threat: statistical reading"),
}


@register.simple_tag
def sentiment_label(value: str) -> str:
    return str(_SENTIMENTS.get(value, value))


@register.simple_tag
def emotion_label(value: str) -> str:
    return str(_EMOTIONS.get(value, value))


@register.simple_tag
def cue_label(code: str) -> str:
    """What the cue is, in the reader's language (the code itself if unknown)."""
    label = _CUES.get(code)
    return str(label) if label is not None else code.replace("_", " ")


@register.simple_tag
def playbook_label(step: str) -> str:
    return step_label(step)


@register.simple_tag
def playbook_hint(step: str) -> str:
    return str(STEP_LABELS.get(step, ("", ""))[1])
