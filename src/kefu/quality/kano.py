"""KANO analysis, pure: answers, the evaluation table, categories, Better/Worse.

No Django here. Each respondent answers a functional question ("how do you feel
if the product has this feature?") and a dysfunctional one ("... if it does
not?") per feature, on five answers. The standard evaluation table (Berger et
al., 1993) turns the pair into a category:

========== ==== ======= ======= ========= =======
functional dysfunctional →
---------- ---------------------------------------
↓          like must-be neutral live-with dislike
========== ==== ======= ======= ========= =======
like       Q    A       A       A         O
must-be    R    I       I       I         M
neutral    R    I       I       I         M
live-with  R    I       I       I         M
dislike    R    R       R       R         Q
========== ==== ======= ======= ========= =======

A attractive, O one-dimensional, M must-be, I indifferent, R reverse,
Q questionable. A feature's category is the most frequent one over its
respondents, ties broken M > O > A > I > R > Q.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum


class Answer(Enum):
    LIKE = 1
    MUST_BE = 2
    NEUTRAL = 3
    LIVE_WITH = 4
    DISLIKE = 5


class Category(StrEnum):
    A = "A"
    O = "O"  # noqa: E741  (the letter the method uses)
    M = "M"
    I = "I"  # noqa: E741
    R = "R"
    Q = "Q"


# Tie-breaking order when two categories are equally frequent.
TIE_ORDER: tuple[Category, ...] = (
    Category.M,
    Category.O,
    Category.A,
    Category.I,
    Category.R,
    Category.Q,
)

_SPELLINGS: dict[str, Answer] = {
    "like": Answer.LIKE,
    "must-be": Answer.MUST_BE,
    "must be": Answer.MUST_BE,
    "mustbe": Answer.MUST_BE,
    "neutral": Answer.NEUTRAL,
    "live-with": Answer.LIVE_WITH,
    "live with": Answer.LIVE_WITH,
    "livewith": Answer.LIVE_WITH,
    "dislike": Answer.DISLIKE,
    "喜欢": Answer.LIKE,
    "理所当然": Answer.MUST_BE,
    "无所谓": Answer.NEUTRAL,
    "能忍受": Answer.LIVE_WITH,
    "不喜欢": Answer.DISLIKE,
    "1": Answer.LIKE,
    "2": Answer.MUST_BE,
    "3": Answer.NEUTRAL,
    "4": Answer.LIVE_WITH,
    "5": Answer.DISLIKE,
}

_L, _M, _N, _W, _D = (
    Answer.LIKE,
    Answer.MUST_BE,
    Answer.NEUTRAL,
    Answer.LIVE_WITH,
    Answer.DISLIKE,
)
_ROWS: dict[Answer, tuple[Category, ...]] = {
    _L: (Category.Q, Category.A, Category.A, Category.A, Category.O),
    _M: (Category.R, Category.I, Category.I, Category.I, Category.M),
    _N: (Category.R, Category.I, Category.I, Category.I, Category.M),
    _W: (Category.R, Category.I, Category.I, Category.I, Category.M),
    _D: (Category.R, Category.R, Category.R, Category.R, Category.Q),
}


def parse_answer(text: str) -> Answer | None:
    """Read one answer: English words, the Chinese words (喜欢 理所当然 无所谓 能忍受
    不喜欢), or 1-5 in that order. Returns None for anything else."""
    return _SPELLINGS.get(text.strip().lower())


def classify(functional: Answer, dysfunctional: Answer) -> Category:
    """The evaluation table's category for one respondent's pair of answers."""
    return _ROWS[functional][dysfunctional.value - 1]


@dataclass(frozen=True)
class FeatureResult:
    """One feature's counts per category, its category and Better/Worse.

    ``better`` and ``worse`` are None when A+O+M+I is 0 (only R and Q answers).
    """

    counts: dict[Category, int]
    category: Category
    better: float | None
    worse: float | None

    def to_json(self) -> dict[str, object]:
        return {
            "counts": {c.value: self.counts[c] for c in Category},
            "category": self.category.value,
            "better": self.better,
            "worse": self.worse,
        }


def dominant(counts: dict[Category, int]) -> Category:
    """The most frequent category, ties broken M > O > A > I > R > Q."""
    top = max(counts.values(), default=0)
    return next(c for c in TIE_ORDER if counts.get(c, 0) == top)


def feature_result(categories: Iterable[Category]) -> FeatureResult:
    """Summarise the per-respondent categories of one feature."""
    tally = Counter(categories)
    counts = {c: tally.get(c, 0) for c in Category}
    a, o, m, i = counts[Category.A], counts[Category.O], counts[Category.M], counts[Category.I]
    denominator = a + o + m + i
    better = (a + o) / denominator if denominator else None
    worse = -(o + m) / denominator if denominator else None
    return FeatureResult(counts=counts, category=dominant(counts), better=better, worse=worse)


@dataclass(frozen=True)
class KanoAnswer:
    respondent: str
    feature: str
    functional: Answer
    dysfunctional: Answer


def analyse(answers: Iterable[KanoAnswer]) -> dict[str, FeatureResult]:
    """Per feature (in first-seen order), the result over its respondents."""
    by_feature: dict[str, list[Category]] = {}
    for answer in answers:
        by_feature.setdefault(answer.feature, []).append(
            classify(answer.functional, answer.dysfunctional)
        )
    return {feature: feature_result(cats) for feature, cats in by_feature.items()}
