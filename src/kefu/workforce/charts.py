"""Server-rendered line charts: series of (instant, value) to SVG path data.

The x axis is the sequence of intervals that appear in any series (closed
nights and holidays take no room); a new day starts a new sub-path so no line
crosses a closed night. Templates draw the result (``workforce/_chart.html``)
with an accessible title and description. No Django import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    path: str
    points: int


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    y_max: float

    @property
    def is_empty(self) -> bool:
        return not any(line.points for line in self.lines)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return float(step * (int(value // step) + (1 if value % step else 0)))
    return float(value)


def time_chart(
    series: Sequence[tuple[str, str, Sequence[tuple[datetime, float]]]],
    *,
    step: frozenset[str] = frozenset(),
    width: int = 960,
    height: int = 280,
) -> Chart:
    """Lay out ``series`` of ``(key, label, points)``; keys in ``step`` are drawn as steps."""
    left, top, right, bottom = 44, 12, width - 8, height - 28
    instants = sorted({when for _key, _label, points in series for when, _value in points})
    index = {when: i for i, when in enumerate(instants)}
    count = max(1, len(instants))
    y_max = _nice_max(max((value for _k, _l, pts in series for _w, value in pts), default=0.0))

    def x_of(position: float) -> float:
        return left + (right - left) * position / count

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / y_max

    lines = []
    for key, label, points in series:
        parts: list[str] = []
        previous_day: date | None = None
        for when, value in sorted(points):
            i = index[when]
            day = when.astimezone(LOCAL).date()
            command = "M" if day != previous_day else "L"
            previous_day = day
            y = y_of(value)
            if key in step:
                parts.append(f"{command}{x_of(i):.1f},{y:.1f}L{x_of(i + 1):.1f},{y:.1f}")
            else:
                parts.append(f"{command}{x_of(i + 0.5):.1f},{y:.1f}")
        lines.append(Line(key=key, label=label, path="".join(parts), points=len(points)))
    x_ticks: list[Tick] = []
    previous: date | None = None
    for when in instants:
        day = when.astimezone(LOCAL).date()
        if day != previous:
            x_ticks.append(Tick(round(x_of(index[when]), 1), day.strftime("%m-%d")))
            previous = day
    # At most ~10 day labels: a phone-width chart stays readable.
    stride = max(1, (len(x_ticks) + 9) // 10)
    x_ticks = [
        tick if n % stride == 0 else Tick(tick.position, "") for n, tick in enumerate(x_ticks)
    ]
    y_ticks = [
        Tick(round(y_of(y_max * fraction), 1), f"{y_max * fraction:g}")
        for fraction in (0, 0.25, 0.5, 0.75, 1)
    ]
    return Chart(width, height, left, top, right, bottom, lines, x_ticks, y_ticks, y_max)
