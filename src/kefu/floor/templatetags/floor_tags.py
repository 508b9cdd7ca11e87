"""Template helpers of the floor pages: percentages and the intraday chart (inline SVG)."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kefu.floor.selectors import IntradayRow

register = template.Library()

WIDTH, HEIGHT = 720, 140


@register.filter
def percent(value: float | None) -> str:
    """``0.853`` → ``"85%"``; None → ``"—"``."""
    if value is None:
        return "—"
    return f"{value * 100:.0f}%"


@register.simple_tag
def intraday_chart(rows: Sequence[IntradayRow], peak: float) -> SafeString:
    """Bars of calls offered per interval, with the (re)forecast as a line."""
    if not rows:
        return SafeString("")
    step = WIDTH / len(rows)
    scale = (HEIGHT - 10) / max(peak, 1)
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#6b8fc7"></rect>',
        (
            (
                f"{i * step + 1:.1f}",
                f"{HEIGHT - row.offered * scale:.1f}",
                f"{step - 2:.1f}",
                f"{row.offered * scale:.1f}",
            )
            for i, row in enumerate(rows)
        ),
    )
    expected = [row.reforecast_offered or row.forecast_offered or 0 for row in rows]
    points = " ".join(
        f"{i * step + step / 2:.1f},{HEIGHT - value * scale:.1f}"
        for i, value in enumerate(expected)
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">{}'
        '<polyline points="{}" fill="none" stroke="#d9a400" stroke-width="2"></polyline></svg>',
        WIDTH,
        HEIGHT,
        _("Calls offered per interval (bars) against the forecast (line)"),
        bars,
        points,
    )
