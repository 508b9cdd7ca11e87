"""The desk's pure cores: SLA arithmetic, the ladder, search terms, templates."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kefu.cases import ladder, search, sla, templating
from kefu.core.calendar import BusinessCalendar

SH = ZoneInfo("Asia/Shanghai")
CAL = BusinessCalendar.from_text(hours="09:00-12:00,13:00-18:00", region="cn")


def policy(**overrides: object) -> sla.PolicyTargets:
    values: dict[str, object] = {
        "key": 1,
        "priority": "",
        "category": "",
        "tier": "",
        "first_response_minutes": 60,
        "next_update_minutes": 240,
        "resolution_minutes": 960,
    }
    values.update(overrides)
    return sla.PolicyTargets(**values)  # type: ignore[arg-type]


def test_most_specific_policy_wins() -> None:
    general = policy(key=1)
    urgent = policy(key=2, priority="urgent", first_response_minutes=30)
    urgent_vip = policy(key=3, priority="urgent", tier="strategic", first_response_minutes=15)

    chosen = sla.choose_policy(
        [general, urgent, urgent_vip], priority="urgent", category="enquiry", tier="strategic"
    )
    fallback = sla.choose_policy(
        [general, urgent, urgent_vip], priority="low", category="enquiry", tier=""
    )

    assert chosen == urgent_vip
    assert fallback == general


def test_no_matching_policy_means_no_clock() -> None:
    assert (
        sla.choose_policy([policy(priority="urgent")], priority="low", category="", tier="") is None
    )


def test_due_on_open_skips_the_lunch_break() -> None:
    due = sla.due_on_open(
        policy(), opened_at=datetime(2026, 11, 2, 11, 30, tzinfo=SH), calendar=CAL
    )

    assert due.first_response == datetime(2026, 11, 2, 13, 30, tzinfo=SH)
    assert due.next_update is None


@settings(max_examples=80, deadline=None)
@given(
    # Hypothesis takes naive bounds; the test attaches the zone.
    opened=st.datetimes(min_value=datetime(2026, 1, 5), max_value=datetime(2026, 11, 30)),  # noqa: DTZ001
    paused_minutes=st.integers(min_value=1, max_value=3000),
)
def test_pausing_never_shortens_the_time_left(opened: datetime, paused_minutes: int) -> None:
    opened = opened.replace(tzinfo=SH)
    due = sla.due_on_open(policy(), opened_at=opened, calendar=CAL)
    paused_at = CAL.next_working_instant(opened)
    resumed_at = paused_at + timedelta(minutes=paused_minutes)

    moved = sla.due_after_pause(due, paused_at=paused_at, resumed_at=resumed_at, calendar=CAL)

    assert due.resolution is not None
    assert moved.resolution is not None
    assert moved.resolution >= due.resolution
    assert CAL.working_time_between(resumed_at, moved.resolution) == CAL.working_time_between(
        paused_at, due.resolution
    )


def test_ladder_goes_agent_lead_manager_then_stops() -> None:
    lead = ladder.next_step(0)
    manager = ladder.next_step(1)

    assert lead is not None
    assert lead.role == "team_lead"
    assert manager is not None
    assert manager.role == "department_manager"
    assert ladder.next_step(2) is None
    assert ladder.step_for_breach(1).level == ladder.Level.TEAM_LEAD
    assert ladder.step_for_breach(2).level == ladder.Level.DEPARTMENT_MANAGER


def test_lowest_level_whose_limit_covers_the_amount() -> None:
    limits = {
        "agent": Decimal(200),
        "team_lead": Decimal(2000),
        "department_manager": Decimal(9000),
    }

    assert ladder.lowest_level_allowed(Decimal(150), limits) == ladder.Level.AGENT
    assert ladder.lowest_level_allowed(Decimal(1500), limits) == ladder.Level.TEAM_LEAD
    assert ladder.lowest_level_allowed(Decimal(10000), limits) is None


def test_search_terms_are_bigrams_of_chinese_and_whole_latin_words() -> None:
    assert search.terms("卫生间渗水 ERP-2") == ["卫生", "生间", "间渗", "渗水", "erp", "2"]
    assert search.query_terms("渗水") == ["渗水"]
    assert search.query_terms("水") == []


@given(st.text(alphabet="卫生间渗水墙面开裂防水层 ", min_size=2, max_size=30))
def test_every_substring_query_terms_are_in_the_document(text: str) -> None:
    document = set(search.terms(text))
    for start in range(len(text)):
        for end in range(start + 2, min(len(text), start + 6) + 1):
            assert set(search.query_terms(text[start:end])) <= document


def test_template_fills_known_placeholders_and_names_unknown_ones() -> None:
    text = templating.render(
        "{contact_name}您好，工单 {case_reference} 已受理。",
        {
            "contact_name": "张先生",
            "case_reference": "KF-2026-000001",
        },
    )

    assert text == "张先生您好，工单 KF-2026-000001 已受理。"
    with pytest.raises(templating.TemplateError, match="customer"):
        templating.check("Dear {customer}")
