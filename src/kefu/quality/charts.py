"""Charts as inline SVG, pure: radar, scatter, bars, line with limits, Pareto, fishbone.

No Django here and no script: each function returns one ``<svg role="img">``
with a ``<title>`` and ``<desc>`` for screen readers. Pages put a data table
beside every chart, so nothing is only in the picture. Texts arrive already
translated; they are escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

INK = "#1f2933"
MUTED = "#9aa5b1"
ACCENT = "#1f5fae"
WARN = "#c0392b"
FONT = 'font-family="system-ui, sans-serif"'


# The smallest label, in px. Charts keep their drawn size (a smaller screen scrolls
# the chart in its own box, not the page), so no label shrinks below it.
MIN_FONT = 11
_CLOSE = "</svg></div>"


def _open(width: int, height: int, title: str, desc: str) -> str:
    return (
        '<div class="chart-scroll">'
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="chart">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )


def _text(
    x: float, y: float, text: str, *, size: int = 12, anchor: str = "middle", **extra: str
) -> str:
    attrs = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}" {FONT}{attrs}>{escape(text)}</text>'
    )


def _fit(text: str, room: float, *, size: int) -> str:
    """``text`` cut (with an ellipsis) to about ``room`` px at ``size`` px: a CJK
    character takes about one em, others about 0.6 (the table beside has the full text)."""

    def width(part: str) -> float:
        return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in part)

    if width(text) <= room:
        return text
    cut = text
    while cut and width(cut) + size > room:
        cut = cut[:-1]
    return cut + "…"


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def radar(labels: Sequence[str], values: Sequence[float | None], *, title: str, desc: str) -> str:
    """A radar (spider) chart of ``values`` (gaps may be negative) on one axis per label.

    The scale runs from the lowest whole number under the values (at most −1)
    to the highest above them (at least 1); the zero ring is drawn bold.
    """
    known = [v for v in values if v is not None]
    lo = math.floor(min([*known, -1.0]))
    hi = math.ceil(max([*known, 1.0]))
    size, cx, cy, radius = 420, 210, 215, 150
    n = max(len(labels), 3)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * (value - lo) / (hi - lo)
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [_open(size, size + 10, title, desc)]
    for ring in range(lo, hi + 1):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        width = "2" if ring == 0 else "1"
        parts.append(
            f'<polygon points="{ring_points}" fill="none" stroke="{MUTED}" stroke-width="{width}"/>'
        )
        x, y = point(0, ring)
        parts.append(_text(x + 4, y + 4, _fmt(ring), size=MIN_FONT, anchor="start"))
    for i, label in enumerate(labels):
        x, y = point(i, hi)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{MUTED}"/>')
        lx, ly = point(i, hi + (hi - lo) * 0.14)
        parts.append(_text(lx, ly + 4, label))
    shape = [point(i, v if v is not None else lo) for i, v in enumerate(values)]
    parts.append(
        f'<polygon points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in shape)}" '
        f'fill="{ACCENT}" fill-opacity="0.25" stroke="{ACCENT}" stroke-width="2"/>'
    )
    parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT}"/>' for x, y in shape)
    parts.append(_CLOSE)
    return "".join(parts)


@dataclass(frozen=True)
class ScatterPoint:
    label: str
    x: float
    y: float


def scatter(
    points: Sequence[ScatterPoint],
    *,
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
    quadrants: tuple[str, str, str, str] = ("", "", "", ""),
) -> str:
    """Points on a 0-1 × 0-1 plane split at 0.5 (a Better/Worse chart: x = |Worse|,
    y = Better). ``quadrants`` label top-left, top-right, bottom-left, bottom-right."""
    width, height, left, top, plot = 460, 440, 60, 20, 360

    def px(x: float, y: float) -> tuple[float, float]:
        return left + plot * min(max(x, 0), 1), top + plot * (1 - min(max(y, 0), 1))

    parts = [_open(width, height, title, desc)]
    parts.append(
        f'<rect x="{left}" y="{top}" width="{plot}" height="{plot}" fill="none" stroke="{MUTED}"/>'
    )
    mid = plot / 2
    parts.append(
        f'<line x1="{left + mid}" y1="{top}" x2="{left + mid}" y2="{top + plot}" '
        f'stroke="{MUTED}" stroke-dasharray="4 4"/>'
        f'<line x1="{left}" y1="{top + mid}" x2="{left + plot}" y2="{top + mid}" '
        f'stroke="{MUTED}" stroke-dasharray="4 4"/>'
    )
    corners = ((0.25, 0.97), (0.75, 0.97), (0.25, 0.03), (0.75, 0.03))
    for (qx, qy), label in zip(corners, quadrants, strict=True):
        x, y = px(qx, qy)
        parts.append(_text(x, y + 4, label, size=11, fill_opacity="0.6"))
    for tick in (0, 0.5, 1):
        x, y = px(tick, 0)
        parts.append(_text(x, y + 16, _fmt(tick), size=MIN_FONT))
        x, y = px(0, tick)
        parts.append(_text(x - 6, y + 4, _fmt(tick), size=MIN_FONT, anchor="end"))
    parts.append(_text(left + mid, top + plot + 36, x_label))
    parts.append(_text(16, top + mid, y_label, transform=f"rotate(-90 16 {top + mid})"))
    for point in points:
        x, y = px(point.x, point.y)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{ACCENT}"/>')
        parts.append(_text(x + 8, y - 6, point.label, size=11, anchor="start"))
    parts.append(_CLOSE)
    return "".join(parts)


def bars(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    desc: str,
    unit: str = "",
) -> str:
    """Horizontal bars, one per label, with the value written at the end; a value
    of None (nothing to measure, e.g. a rate over 0 calls) draws no bar and "—"."""
    row, left, width = 26, 170, 560
    height = row * max(len(labels), 1) + 20
    top = max([*(v for v in values if v is not None), 0.0]) or 1.0
    parts = [_open(width, height, title, desc)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 10 + i * row
        length = (width - left - 70) * max(value or 0.0, 0) / top
        parts.append(_text(left - 8, y + 15, label, anchor="end"))
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{ACCENT}"/>'
        )
        shown = "—" if value is None else f"{_fmt(value)}{unit}"
        parts.append(_text(left + length + 6, y + 15, shown, anchor="start"))
    parts.append(_CLOSE)
    return "".join(parts)


def columns(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    desc: str,
    limit: Sequence[float] | None = None,
    cumulative: Sequence[float] | None = None,
    highlight: Sequence[bool] | None = None,
) -> str:
    """Vertical columns; an optional ``limit`` line (e.g. a UCL) on the same scale and
    an optional ``cumulative`` line (0-1, right axis, for a Pareto chart)."""
    width, height, left, bottom, top = 640, 300, 46, 250, 16
    n = max(len(values), 1)
    peak = max([*values, *(limit or []), 1.0])
    step = (width - left - 40) / n
    parts = [_open(width, height, title, desc)]
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{width - 30}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    parts.append(_text(left - 6, top + 4, _fmt(peak), size=MIN_FONT, anchor="end"))
    parts.append(_text(left - 6, bottom + 4, "0", size=MIN_FONT, anchor="end"))

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / peak

    for i, value in enumerate(values):
        x = left + i * step
        colour = WARN if highlight and highlight[i] else ACCENT
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{y_of(value):.1f}" width="{step * 0.7:.1f}" '
            f'height="{bottom - y_of(value):.1f}" fill="{colour}"/>'
        )
        if n <= 16 or i % math.ceil(n / 16) == 0:
            label = _fit(labels[i], step * 0.95, size=MIN_FONT)
            parts.append(_text(x + step / 2, bottom + 16, label, size=MIN_FONT))
    if limit:
        line = " ".join(f"{left + (i + 0.5) * step:.1f},{y_of(v):.1f}" for i, v in enumerate(limit))
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{WARN}" stroke-dasharray="5 3"/>'
        )
    if cumulative:
        line = " ".join(
            f"{left + (i + 0.5) * step:.1f},{bottom - (bottom - top) * v:.1f}"
            for i, v in enumerate(cumulative)
        )
        parts.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="2"/>')
        eighty = bottom - (bottom - top) * 0.8
        parts.append(
            f'<line x1="{left}" y1="{eighty:.1f}" x2="{width - 30}" y2="{eighty:.1f}" '
            f'stroke="{WARN}" stroke-dasharray="2 4"/>'
        )
        parts.append(_text(width - 28, eighty + 4, "80%", size=MIN_FONT, anchor="start"))
    parts.append(_CLOSE)
    return "".join(parts)


def fishbone(problem: str, bones: Sequence[tuple[str, Sequence[str]]], *, title: str) -> str:
    """An Ishikawa diagram: the problem at the head, one bone per category with its causes."""
    per_side = math.ceil(len(bones) / 2) or 1
    width = 200 + per_side * 190
    spine_y, height = 230, 460
    head_x = width - 170
    parts = [_open(width, height, title, problem)]
    parts.append(
        f'<line x1="20" y1="{spine_y}" x2="{head_x}" y2="{spine_y}" stroke="{INK}" '
        f'stroke-width="3"/>'
        f'<rect x="{head_x}" y="{spine_y - 30}" width="160" height="60" rx="8" '
        f'fill="#fdecea" stroke="{WARN}"/>'
    )
    words = problem if len(problem) <= 18 else problem[:17] + "…"
    parts.append(_text(head_x + 80, spine_y + 5, words, size=13))
    for index, (category, causes) in enumerate(bones):
        upper = index % 2 == 0
        x_end = 60 + (index // 2) * 190 + 150
        y_tip = 40 if upper else height - 40
        x_tip = x_end - 110
        parts.append(
            f'<line x1="{x_tip}" y1="{y_tip}" x2="{x_end}" y2="{spine_y}" stroke="{INK}" '
            f'stroke-width="2"/>'
        )
        parts.append(
            _text(x_tip, y_tip - 10 if upper else y_tip + 20, category, size=13, font_weight="600")
        )
        for j, cause in enumerate(causes[:6]):
            frac = (j + 1) / (min(len(causes), 6) + 1)
            x = x_tip + (x_end - x_tip) * frac
            y = y_tip + (spine_y - y_tip) * frac
            text = cause if len(cause) <= 14 else cause[:13] + "…"
            parts.append(
                f'<line x1="{x - 70:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{MUTED}"/>'
            )
            parts.append(_text(x - 72, y + 4, text, size=11, anchor="end"))
    parts.append(_CLOSE)
    return "".join(parts)
