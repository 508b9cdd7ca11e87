"""Survey files analysed: shared by the CLI (``kefu kano|servqual|warn``) and the pages.

Reads the text, collects every bad line as a translated message, and only
when there is none returns the whole result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kefu.quality import kano, servqual, warning
from kefu.quality.inputs import (
    LineError,
    Problem,
    read_counts,
    read_kano,
    read_servqual,
    read_weights,
)


def problem_text(error: LineError) -> str:
    """One bad line as a translated sentence, starting with its line number."""
    params = {"line": error.line, "column": error.column, "value": error.value}
    texts = {
        Problem.MISSING_COLUMNS: _("line %(line)s: missing columns: %(column)s"),
        Problem.NO_ROWS: _("line %(line)s: the file has no rows"),
        Problem.EMPTY_VALUE: _("line %(line)s: %(column)s is empty"),
        Problem.BAD_ANSWER: _(
            "line %(line)s: %(column)s %(value)r is not an answer (like, must-be, neutral, "
            "live-with, dislike, 喜欢, 理所当然, 无所谓, 能忍受, 不喜欢 or 1-5)"
        ),
        Problem.UNKNOWN_ITEM: _("line %(line)s: item %(value)r is not a SERVQUAL item (1-22)"),
        Problem.BAD_SCORE: _("line %(line)s: %(column)s %(value)r is not a score from 1 to 7"),
        Problem.BAD_NUMBER: _("line %(line)s: %(column)s %(value)r is not a number of 0 or more"),
        Problem.UNKNOWN_DIMENSION: _(
            "line %(line)s: dimension %(value)r is not one of tangibles, reliability, "
            "responsiveness, assurance, empathy"
        ),
        Problem.DUPLICATE: _(
            "line %(line)s: %(column)s %(value)r appears twice for this respondent"
        ),
        Problem.POINTS_NOT_100: _(
            "line %(line)s: this respondent's points add up to %(value)s, not 100"
        ),
        Problem.NO_WEIGHTS: _("weights: respondent %(value)r has no importance points"),
    }
    return texts[error.problem] % params


@dataclass(frozen=True)
class Outcome:
    """Either ``errors`` (translated, one per bad line) or the ``result``."""

    errors: list[str]
    result: dict[str, object] | None


def _failed(errors: Sequence[LineError], prefix: str = "") -> Outcome:
    return Outcome([prefix + problem_text(e) for e in errors], None)


def kano_analyse(text: str) -> Outcome:
    """Per feature: counts, category, better, worse."""
    parsed = read_kano(text)
    if parsed.errors:
        return _failed(parsed.errors)
    results = kano.analyse(parsed.rows)
    return Outcome([], {feature: r.to_json() for feature, r in results.items()})


def servqual_analyse(
    text: str, *, weights_text: str | None = None, instrument: int | None = None
) -> Outcome:
    """Gaps per dimension and item, unweighted and weighted (None without weights)."""
    parsed = read_servqual(text)
    if parsed.errors:
        return _failed(parsed.errors)
    weights: dict[str, dict[servqual.Dimension, float]] | None = None
    if weights_text is not None:
        respondents = [r.respondent for r in parsed.rows]
        read = read_weights(weights_text, respondents)
        if read.errors:
            return _failed(read.errors, prefix=_("weights file: "))
        weights = {}
        for respondent, dimension, points in read.rows:
            weights.setdefault(respondent, {})[dimension] = points
    result = servqual.analyse(parsed.rows, weights=weights, instrument=instrument)
    return Outcome([], result.to_json())


def warn_analyse(text: str, *, mu0: float, method: warning.Method) -> Outcome:
    """The 1-based periods with an alarm, and the chart's points."""
    parsed = read_counts(text)
    if parsed.errors:
        return _failed(parsed.errors)
    counts = [count for _period, count in parsed.rows]
    points: list[dict[str, object]]
    if method == warning.Method.CUSUM:
        points = [
            {
                "period": parsed.rows[p.t - 1][0],
                "count": p.count,
                "upper": p.upper,
                "lower": p.lower,
                "alarm": p.alarm,
            }
            for p in warning.cusum(counts, mu0=mu0)
        ]
    else:
        points = [
            {
                "period": parsed.rows[p.t - 1][0],
                "count": p.count,
                "z": p.z,
                "ucl": p.ucl,
                "lcl": p.lcl,
                "alarm": p.alarm,
                "low": p.low,
            }
            for p in warning.ewma(counts, mu0=mu0)
        ]
    alarms = [i for i, point in enumerate(points, start=1) if point["alarm"]]
    return Outcome([], {"alarms": alarms, "method": method.value, "mu0": mu0, "points": points})


def decode(raw: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), else GB18030 (Excel in China)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")
