"""Small, fast tags for rows the queue renders fifty at a time."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kefu.cases.models import Case

register = template.Library()


@register.simple_tag
def due(value: datetime | None) -> SafeString:
    """A live due time: the local time, then how long is left or overdue (static/kefu/due.js)."""
    if value is None:
        return mark_safe('<span class="muted">—</span>')
    local = timezone.localtime(value)
    return format_html(
        '<time class="due" datetime="{}" data-left="{}" data-overdue="{}">{}'
        '<span class="due-live"></span></time>',
        local.isoformat(),
        _("%s left"),
        _("%s overdue"),
        f"{local:%m-%d %H:%M}",
    )


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
    if case.is_transfer_loop:
        flags.append(("flag", _("Transfer loop")))
    if case.is_confidential:
        flags.append(("flag info", _("Confidential")))
    if case.sla_paused_at:
        flags.append(("flag info", _("SLA paused")))
    return format_html_join("", '<span class="{}">{}</span>', flags)


@register.simple_tag
def delivery_label(status: str) -> str:
    """How an outbound message fared, in words."""
    labels = {
        "queued": _("queued"),
        "sending": _("sending"),
        "sent": _("sent"),
        "failed": _("not delivered"),
        "undeliverable": _("no channel reaches the customer: call them"),
    }
    return str(labels.get(status, status))
