"""The pure core of routing: who gets a case and why, from plain data."""

from __future__ import annotations

from kefu.routing.engine import Candidate, Code, Method, Policy, Presence, Requirement, choose

LEAK = Requirement("topic", "漏水")
A = Presence.AVAILABLE


def test_skills_first_picks_the_least_loaded_with_every_requirement() -> None:
    pool = [
        Candidate(1, A, {("topic", "漏水"): 1}, load=4),
        Candidate(2, A, {("topic", "漏水"): 2}, load=1),
        Candidate(3, A, {}, load=0),
    ]

    decision = choose(pool, [LEAK], Policy(Method.SKILLS_FIRST, capacity=10))

    assert (decision.agent_id, decision.code, decision.count) == (2, Code.SKILLED, 2)


def test_a_level_above_the_agents_names_the_missing_skill() -> None:
    expert = Requirement("topic", "漏水", level=3)
    pool = [Candidate(1, A, {("topic", "漏水"): 2})]

    decision = choose(pool, [expert], Policy(Method.SKILLS_FIRST, capacity=10))

    assert (decision.agent_id, decision.code, decision.missing) == (None, Code.NO_SKILL, (expert,))


def test_after_the_fallback_the_whole_team_is_considered() -> None:
    pool = [Candidate(1, A, {}, load=2), Candidate(2, A, {}, load=1)]
    policy = Policy(Method.SKILLS_FIRST, capacity=10, fallen_back=True)

    decision = choose(pool, [LEAK], policy)

    assert (decision.agent_id, decision.code) == (2, Code.FALLBACK)


def test_nobody_available_counts_where_everyone_is() -> None:
    pool = [
        Candidate(1, Presence.ON_BREAK),
        Candidate(2, Presence.ON_LEAVE),
        Candidate(3, Presence.OFF_SHIFT),
    ]

    decision = choose(pool, [], Policy(Method.LEAST_LOADED, capacity=10))

    assert decision.code == Code.NOBODY_AVAILABLE
    assert dict(decision.absent) == {"on_break": 1, "on_leave": 1, "off_shift": 1}


def test_everyone_off_shift_reads_as_nobody_on_shift() -> None:
    decision = choose(
        [Candidate(1, Presence.OFF_SHIFT)], [], Policy(Method.ROUND_ROBIN, capacity=10)
    )

    assert decision.code == Code.NOBODY_ON_SHIFT


def test_round_robin_wraps_after_the_last_agent() -> None:
    pool = [Candidate(5, A), Candidate(9, A), Candidate(7, A)]

    after_seven = choose(pool, [], Policy(Method.ROUND_ROBIN, capacity=10, last_agent_id=7))
    after_nine = choose(pool, [], Policy(Method.ROUND_ROBIN, capacity=10, last_agent_id=9))

    assert (after_seven.agent_id, after_nine.agent_id) == (9, 5)


def test_channel_capacity_and_weighted_capacity_exclude() -> None:
    pool = [Candidate(1, A, load=2, channel_open=3), Candidate(2, A, load=10, channel_open=0)]

    full = choose(pool, [], Policy(Method.LEAST_LOADED, capacity=10, channel_capacity=3))

    assert (full.agent_id, full.code, full.count) == (None, Code.AT_CAPACITY, 2)


def test_a_sticky_agent_with_room_wins_over_the_method() -> None:
    pool = [Candidate(1, A, load=0), Candidate(2, A, load=5)]
    policy = Policy(Method.LEAST_LOADED, capacity=10, sticky_last_id=2)

    decision = choose(pool, [LEAK], policy)

    assert (decision.agent_id, decision.code) == (2, Code.STICKY_LAST)


def test_a_sticky_agent_on_a_break_is_passed_over() -> None:
    pool = [Candidate(1, A), Candidate(2, Presence.ON_BREAK)]
    policy = Policy(Method.LEAST_LOADED, capacity=10, sticky_open_id=2)

    assert choose(pool, [], policy).agent_id == 1
