"""The WeChat reply window on the case page (``channels/_wechat_window.html``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.utils import timezone

from kefu.channels.wecom_send import wechat_window
from kefu.customers.models import Contact

register = template.Library()


@dataclass(frozen=True)
class WindowView:
    is_open: bool
    closes_at: datetime | None
    hours: int
    minutes: int
    remaining: int
    # None on the Official Account: no count, and a template message once closed.
    limit: int | None


@register.simple_tag
def wechat_window_of(contact: Contact | None) -> WindowView | None:
    """The contact's WeChat window as the page shows it; None when they never wrote on WeChat."""
    if contact is None:
        return None
    window = wechat_window(contact)
    if window is None or window.closes_at is None:
        return None
    now = timezone.now()
    left = max(int((window.closes_at - now).total_seconds()), 0)
    return WindowView(
        is_open=window.is_open(now),
        closes_at=window.closes_at,
        hours=left // 3600,
        minutes=max(left // 60, 1),
        remaining=window.remaining,
        limit=window.limit,
    )
