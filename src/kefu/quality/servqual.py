"""SERVQUAL, pure: gaps per item and dimension, unweighted and weighted scores.

No Django here. 22 items in five dimensions (Parasuraman, Zeithaml and Berry):
tangibles 1-4, reliability 5-9, responsiveness 10-13, assurance 14-17,
empathy 18-22. Each respondent rates expectation (E) and perception (P) of an
item on 1-7; the item's gap is P − E.

- An item's gap is the mean of its respondents' gaps; a dimension's gap is the
  mean of its items' gaps.
- Unweighted score: the mean of the five dimension gaps.
- Weighted score: each respondent spreads 100 importance points over the five
  dimensions; the respondent's score is Σ (points_d / 100 × gap_d), with gap_d
  that respondent's mean gap over the items of d they answered; the weighted
  score is the mean of the respondents' scores.
- The 1988 instrument worded items 10-13 and 18-22 negatively ("they do not
  give prompt service"); with ``instrument=1988`` both ratings of those items
  are reversed (8 − score) before any gap is taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean

SCALE = range(1, 8)
ITEMS = range(1, 23)


class Dimension(StrEnum):
    TANGIBLES = "tangibles"
    RELIABILITY = "reliability"
    RESPONSIVENESS = "responsiveness"
    ASSURANCE = "assurance"
    EMPATHY = "empathy"


DIMENSION_ITEMS: dict[Dimension, range] = {
    Dimension.TANGIBLES: range(1, 5),
    Dimension.RELIABILITY: range(5, 10),
    Dimension.RESPONSIVENESS: range(10, 14),
    Dimension.ASSURANCE: range(14, 18),
    Dimension.EMPATHY: range(18, 23),
}

# Negatively worded statements of the 1988 instrument (reverse-scored).
REVERSED_1988: frozenset[int] = frozenset([*range(10, 14), *range(18, 23)])


def dimension_of(item: int) -> Dimension:
    """The dimension item ``item`` (1-22) belongs to; ValueError outside 1-22."""
    for dimension, items in DIMENSION_ITEMS.items():
        if item in items:
            return dimension
    raise ValueError(f"SERVQUAL has items 1-22, not {item}")


@dataclass(frozen=True)
class Rating:
    respondent: str
    item: int
    expectation: int
    perception: int


@dataclass(frozen=True)
class ServqualResult:
    """Gaps per item (those answered) and dimension; ``weighted`` None without weights."""

    item_gaps: dict[int, float]
    dimension_gaps: dict[Dimension, float | None]
    unweighted: float | None
    weighted: float | None
    respondents: int

    def to_json(self) -> dict[str, object]:
        return {
            "dimensions": {d.value: {"gap": g} for d, g in self.dimension_gaps.items()},
            "items": {str(i): g for i, g in sorted(self.item_gaps.items())},
            "unweighted": self.unweighted,
            "weighted": self.weighted,
            "respondents": self.respondents,
        }


def adjusted(rating: Rating, *, instrument: int | None = None) -> Rating:
    """The rating as analysed: reversed (8 − score) for the 1988 negative items."""
    if instrument == 1988 and rating.item in REVERSED_1988:
        return Rating(rating.respondent, rating.item, 8 - rating.expectation, 8 - rating.perception)
    return rating


def analyse(
    ratings: Iterable[Rating],
    *,
    weights: Mapping[str, Mapping[Dimension, float]] | None = None,
    instrument: int | None = None,
) -> ServqualResult:
    """Score ``ratings`` (already validated: items 1-22, scores 1-7).

    ``weights`` maps each respondent to their points per dimension (summing to
    100). A respondent with no weights, or weight on a dimension they did not
    answer, is left out of the weighted mean (callers validate beforehand when
    that must be an error).
    """
    per_item: dict[int, list[int]] = {}
    per_respondent: dict[str, dict[Dimension, list[int]]] = {}
    for raw in ratings:
        rating = adjusted(raw, instrument=instrument)
        gap = rating.perception - rating.expectation
        per_item.setdefault(rating.item, []).append(gap)
        per_respondent.setdefault(rating.respondent, {}).setdefault(
            dimension_of(rating.item), []
        ).append(gap)
    item_gaps = {item: fmean(gaps) for item, gaps in per_item.items()}
    dimension_gaps: dict[Dimension, float | None] = {}
    for dimension, items in DIMENSION_ITEMS.items():
        answered = [item_gaps[i] for i in items if i in item_gaps]
        dimension_gaps[dimension] = fmean(answered) if answered else None
    known = [g for g in dimension_gaps.values() if g is not None]
    unweighted = fmean(known) if len(known) == len(Dimension) else None
    return ServqualResult(
        item_gaps=item_gaps,
        dimension_gaps=dimension_gaps,
        unweighted=unweighted,
        weighted=_weighted(per_respondent, weights) if weights is not None else None,
        respondents=len(per_respondent),
    )


def respondent_score(
    gaps: Mapping[Dimension, list[int]], points: Mapping[Dimension, float]
) -> float | None:
    """Σ (points_d / 100 × the respondent's mean gap on d); None if a weighted
    dimension has no answer from this respondent."""
    total = 0.0
    for dimension, share in points.items():
        if not share:
            continue
        if not gaps.get(dimension):
            return None
        total += share / 100 * fmean(gaps[dimension])
    return total


def _weighted(
    per_respondent: Mapping[str, Mapping[Dimension, list[int]]],
    weights: Mapping[str, Mapping[Dimension, float]],
) -> float | None:
    scores = []
    for respondent, gaps in per_respondent.items():
        points = weights.get(respondent)
        if points is None:
            continue
        score = respondent_score(gaps, points)
        if score is not None:
            scores.append(score)
    return fmean(scores) if scores else None
