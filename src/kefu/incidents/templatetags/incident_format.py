"""Figures of the incident pages as people read them."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def as_minutes(seconds: float | None) -> str:
    """``seconds`` as whole minutes ("12 分钟", "12 min"); under a minute reads "< 1 min";
    none reads as a dash."""
    if seconds is None:
        return "–"
    if seconds < 60:
        return gettext("< 1 min")
    return gettext("%(minutes)d min") % {"minutes": round(seconds / 60)}
