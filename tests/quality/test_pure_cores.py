"""The pure cores with worked examples; the arithmetic is written out beside each figure."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kefu.quality import kano, pareto, servqual, warning
from kefu.quality.kano import Answer, Category, KanoAnswer
from kefu.quality.servqual import Dimension, Rating

T, RL, RS, A, E = (
    Dimension.TANGIBLES,
    Dimension.RELIABILITY,
    Dimension.RESPONSIVENESS,
    Dimension.ASSURANCE,
    Dimension.EMPATHY,
)
L, M, N, W, D = Answer.LIKE, Answer.MUST_BE, Answer.NEUTRAL, Answer.LIVE_WITH, Answer.DISLIKE


# --- KANO -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("functional", "dysfunctional", "category"),
    [
        (L, D, Category.O),  # like it present, dislike it absent: one-dimensional
        (L, N, Category.A),  # like it present, neutral absent: attractive
        (L, M, Category.A),
        (L, W, Category.A),
        (N, D, Category.M),  # neutral present, dislike absent: must-be
        (M, D, Category.M),
        (W, D, Category.M),
        (N, N, Category.I),
        (M, W, Category.I),
        (D, L, Category.R),  # dislike present, like absent: reverse
        (N, L, Category.R),
        (L, L, Category.Q),  # like both: contradictory
        (D, D, Category.Q),
    ],
)
def test_kano_evaluation_table(
    functional: Answer, dysfunctional: Answer, category: Category
) -> None:
    assert kano.classify(functional, dysfunctional) == category


def test_kano_answers_in_english_chinese_and_numbers() -> None:
    assert kano.parse_answer("Must-be") == M
    assert kano.parse_answer("理所当然") == M
    assert kano.parse_answer("能忍受") == W
    assert kano.parse_answer("5") == D
    assert kano.parse_answer("6") is None
    assert kano.parse_answer("maybe") is None


def test_kano_better_worse_worked_example() -> None:
    # 10 respondents: 3 A, 4 O, 2 M, 1 I.
    # Better = (A+O)/(A+O+M+I) = 7/10 = 0.7; Worse = −(O+M)/10 = −6/10 = −0.6.
    categories = [Category.A] * 3 + [Category.O] * 4 + [Category.M] * 2 + [Category.I]
    result = kano.feature_result(categories)
    assert result.counts[Category.O] == 4
    assert result.category == Category.O
    assert result.better == pytest.approx(0.7)
    assert result.worse == pytest.approx(-0.6)


def test_kano_better_worse_null_when_only_reverse_and_questionable() -> None:
    result = kano.feature_result([Category.R, Category.R, Category.Q])
    assert result.better is None
    assert result.worse is None
    assert result.category == Category.R


def test_kano_ties_are_broken_m_over_o_over_a_over_i() -> None:
    # 2 A, 2 O, 2 M: the tie goes to M; without M, to O; then A over I.
    assert kano.dominant({Category.A: 2, Category.O: 2, Category.M: 2}) == Category.M
    assert kano.dominant({Category.A: 2, Category.O: 2, Category.I: 1}) == Category.O
    assert kano.dominant({Category.A: 1, Category.I: 1}) == Category.A
    assert kano.dominant({Category.R: 1, Category.Q: 1}) == Category.R


def test_kano_analyse_groups_per_feature() -> None:
    answers = [
        KanoAnswer("r1", "回访", L, D),  # O
        KanoAnswer("r2", "回访", N, D),  # M
        KanoAnswer("r3", "回访", N, D),  # M
        KanoAnswer("r1", "短信", L, N),  # A
    ]
    results = kano.analyse(answers)
    assert results["回访"].category == Category.M
    # Better = (0+1)/3, Worse = −(1+2)/3 = −1.
    assert results["回访"].better == pytest.approx(1 / 3)
    assert results["回访"].worse == pytest.approx(-1.0)
    assert results["短信"].to_json() == {
        "counts": {"A": 1, "O": 0, "M": 0, "I": 0, "R": 0, "Q": 0},
        "category": "A",
        "better": 1.0,
        "worse": 0.0,
    }


@given(st.lists(st.sampled_from(list(Category)), min_size=1, max_size=60))
def test_kano_better_and_worse_stay_in_range(categories: list[Category]) -> None:
    result = kano.feature_result(categories)
    if result.better is None:
        assert result.worse is None
        assert all(c in (Category.R, Category.Q) for c in categories)
    else:
        assert 0 <= result.better <= 1
        assert result.worse is not None
        assert -1 <= result.worse <= 0
    assert result.counts[result.category] == max(result.counts.values())


# --- SERVQUAL -------------------------------------------------------------------------


def _full(respondent: str, expectation: int, perception: dict[Dimension, int]) -> list[Rating]:
    return [
        Rating(respondent, item, expectation, perception[dimension])
        for dimension, items in servqual.DIMENSION_ITEMS.items()
        for item in items
    ]


def test_servqual_dimensions_cover_items_1_to_22() -> None:
    assert servqual.dimension_of(1) == Dimension.TANGIBLES
    assert servqual.dimension_of(9) == Dimension.RELIABILITY
    assert servqual.dimension_of(13) == Dimension.RESPONSIVENESS
    assert servqual.dimension_of(17) == Dimension.ASSURANCE
    assert servqual.dimension_of(22) == Dimension.EMPATHY
    with pytest.raises(ValueError, match="1-22"):
        servqual.dimension_of(23)


def test_servqual_gaps_unweighted_and_weighted() -> None:
    # Everyone expects 6. r1 perceives T 6, RL 4, RS 5, A 6, E 5 → gaps 0, −2, −1, 0, −1.
    # r2 perceives T 5, RL 6, RS 3, A 6, E 6 → gaps −1, 0, −3, 0, 0.
    ratings = _full("r1", 6, {T: 6, RL: 4, RS: 5, A: 6, E: 5}) + _full(
        "r2", 6, {T: 5, RL: 6, RS: 3, A: 6, E: 6}
    )
    # r1 puts 40 points on reliability; r2 puts 50 on responsiveness.
    weights = {
        "r1": {T: 10, RL: 40, RS: 20, A: 10, E: 20},
        "r2": {T: 10, RL: 20, RS: 50, A: 10, E: 10},
    }
    result = servqual.analyse(ratings, weights=weights)
    # Dimension gaps are the means over respondents: T −0.5, RL −1, RS −2, A 0, E −0.5.
    assert result.dimension_gaps == {T: -0.5, RL: -1.0, RS: -2.0, A: 0.0, E: -0.5}
    # Unweighted = (−0.5 − 1 − 2 + 0 − 0.5) / 5 = −4 / 5 = −0.8.
    assert result.unweighted == pytest.approx(-0.8)
    # r1: 0.1·0 + 0.4·(−2) + 0.2·(−1) + 0.1·0 + 0.2·(−1) = −0.8 − 0.2 − 0.2 = −1.2
    # r2: 0.1·(−1) + 0.2·0 + 0.5·(−3) + 0.1·0 + 0.1·0 = −0.1 − 1.5 = −1.6
    # weighted = (−1.2 − 1.6) / 2 = −1.4: heavier than unweighted because both
    # respondents weigh most what disappointed them.
    assert result.weighted == pytest.approx(-1.4)
    assert servqual.analyse(ratings).weighted is None


def test_servqual_1988_reverses_negatively_worded_items() -> None:
    # Item 11 (responsiveness, negative in 1988): E 2, P 5 → reversed E 6, P 3 → gap −3.
    # Item 5 (reliability, positive): E 6, P 4 → gap −2, not reversed.
    ratings = [Rating("r1", 11, 2, 5), Rating("r1", 5, 6, 4)]
    plain = servqual.analyse(ratings)
    reversed_1988 = servqual.analyse(ratings, instrument=1988)
    assert plain.item_gaps == {11: 3.0, 5: -2.0}
    assert reversed_1988.item_gaps == {11: -3.0, 5: -2.0}
    assert frozenset({10, 11, 12, 13, 18, 19, 20, 21, 22}) == servqual.REVERSED_1988
    # Only two dimensions answered: no unweighted score over five.
    assert reversed_1988.unweighted is None


@given(
    st.lists(
        st.tuples(st.integers(1, 22), st.integers(1, 7), st.integers(1, 7)), min_size=1, max_size=40
    )
)
def test_servqual_gaps_stay_within_minus_6_and_6(rows: list[tuple[int, int, int]]) -> None:
    ratings = [Rating(f"r{i}", item, e, p) for i, (item, e, p) in enumerate(rows)]
    for instrument in (None, 1988):
        result = servqual.analyse(ratings, instrument=instrument)
        assert all(-6 <= gap <= 6 for gap in result.item_gaps.values())
    # Reversing both ratings negates the gap of a negative item: (8−P) − (8−E) = E − P.
    for item, e, p in rows:
        assert servqual.adjusted(Rating("x", item, e, p), instrument=1988).perception in range(1, 8)


# --- EWMA and CUSUM -------------------------------------------------------------------


def test_ewma_limits_at_t1_t2_and_steady_state() -> None:
    # μ₀ = 4, λ = 0.2, L = 3.
    # t=1: σ² = 4 · 0.2/1.8 · (1 − 0.8²) = 4/9 · 0.36 = 0.16 → σ = 0.4 → UCL = 4 + 1.2 = 5.2
    # t=2: σ² = 4/9 · (1 − 0.8⁴) = 4/9 · 0.5904 = 0.2624 → UCL = 4 + 3·0.51225 = 5.53675
    # steady: σ² = 4/9 → σ = 2/3 → UCL = 4 + 2 = 6
    points = warning.ewma([4, 4], mu0=4)
    assert points[0].ucl == pytest.approx(5.2)
    assert points[0].lcl == pytest.approx(2.8)
    assert points[1].ucl == pytest.approx(4 + 3 * math.sqrt(0.2624))
    assert points[1].ucl == pytest.approx(5.53675, abs=1e-5)
    assert warning.ewma_sigma(4, 500) == pytest.approx(2 / 3)


def test_ewma_alarm_index() -> None:
    # z₁ = 0.2·4 + 0.8·4 = 4 ≤ 5.2; z₂ = 0.2·12 + 0.8·4 = 2.4 + 3.2 = 5.6 > 5.53675 → alarm at 2.
    points = warning.ewma([4, 12, 4], mu0=4)
    assert [p.z for p in points[:2]] == pytest.approx([4.0, 5.6])
    assert warning.alarms([4, 12, 4], mu0=4) == [2]
    # z₁ = 0.2·9 + 3.2 = 5.0 < 5.2: no alarm; 0.2·11 + 3.2 = 5.4 > 5.2: alarm at 1.
    assert warning.alarms([9], mu0=4) == []
    assert warning.alarms([11], mu0=4) == [1]


def test_ewma_reports_a_low_signal_without_alarm() -> None:
    # z₁ = 0.8·4 = 3.2 > LCL₁ 2.8; z₂ = 0.8·3.2 = 2.56 > LCL₂ = 4 − 1.53675 = 2.46325;
    # z₃ = 0.8·2.56 = 2.048 < LCL₃ = 4 − 3·√(4/9·(1 − 0.8⁶)) = 4 − 3·0.57266 = 2.282 → low at 3.
    points = warning.ewma([0, 0, 0], mu0=4)
    assert [p.low for p in points] == [False, False, True]
    assert not any(p.alarm for p in points)


def test_cusum_step_change_and_reset() -> None:
    # μ₀ = 4: k = 0.5·2 = 1, h = 4·2 = 8; C⁺ = max(0, x − 5 + C⁺).
    # x = 4,4,4 → 0,0,0; then the mean steps to 8: 3, 6, 9 (> 8 → alarm at 6), reset,
    # then 3, 6, 9 again → alarm at 9.
    counts = [4, 4, 4, 8, 8, 8, 8, 8, 8]
    points = warning.cusum(counts, mu0=4)
    assert [p.upper for p in points] == [0, 0, 0, 3, 6, 9, 3, 6, 9]
    assert warning.alarms(counts, mu0=4, method=warning.Method.CUSUM) == [6, 9]
    # Without reset the sum keeps growing and every later period alarms.
    kept = warning.cusum(counts, mu0=4, reset=False)
    assert [p.t for p in kept if p.alarm] == [6, 7, 8, 9]


def test_warning_refuses_a_non_positive_baseline() -> None:
    with pytest.raises(ValueError, match="mu0"):
        warning.ewma([1], mu0=0)
    with pytest.raises(ValueError, match="mu0"):
        warning.cusum([1], mu0=-1)


@given(st.lists(st.integers(0, 50), max_size=60), st.floats(0.5, 30))
def test_in_control_counts_never_alarm_below_the_baseline(counts: list[int], mu0: float) -> None:
    # Counts never above μ₀ can never raise either statistic above its limit.
    capped = [min(c, math.floor(mu0)) for c in counts]
    assert warning.alarms(capped, mu0=mu0) == []
    assert warning.alarms(capped, mu0=mu0, method=warning.Method.CUSUM) == []


# --- Pareto ---------------------------------------------------------------------------


def test_pareto_vital_few_is_the_smallest_prefix_reaching_80_percent() -> None:
    # 50 + 30 = 80 of 100 → 80 % reached with two causes.
    rows = pareto.pareto({"流程": 30, "人员": 50, "材料": 15, "环境": 5, "空": 0})
    assert [r.label for r in rows] == ["人员", "流程", "材料", "环境"]
    assert [r.cumulative for r in rows] == pytest.approx([0.5, 0.8, 0.95, 1.0])
    assert [r.is_vital for r in rows] == [True, True, False, False]
    # 50 + 29 = 79 % is short: the third cause is needed.
    rows = pareto.pareto({"a": 50, "b": 29, "c": 21})
    assert [r.is_vital for r in rows] == [True, True, True]


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.integers(0, 100), max_size=12))
def test_pareto_vital_prefix_reaches_80_percent_and_is_minimal(counts: dict[str, int]) -> None:
    rows = pareto.pareto(counts)
    vital = [r for r in rows if r.is_vital]
    assert rows[: len(vital)] == vital
    if rows:
        assert vital[-1].cumulative >= 0.8 - 1e-9
        if len(vital) > 1:
            assert vital[-2].cumulative < 0.8 - 1e-12
