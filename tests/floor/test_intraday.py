"""Intraday: required against scheduled against on the phones, realised service level and
answer rate from the queue calls, a reforecast of the rest of the day; adherence."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.core.errors import PermissionDeniedError
from kefu.floor import selectors, services
from kefu.floor.models import AgentState, QueueCall
from tests.floor.builders import DAY, Floor, at, make_forecast, make_queue, publish_shifts


@pytest.fixture
def day(floor: Floor) -> Floor:
    a, b = floor.agents
    queue = make_queue()
    make_forecast(queue, offered=20, aht_seconds=180, first="09:00", last="12:00", required=3)
    publish_shifts(
        floor.team,
        [(a, "09:00", "12:00", [("break", "10:00", "10:30")]), (b, "09:00", "12:00", [])],
    )
    return floor


def _call(arrived: str, *, answered: str | None = None, abandoned: str | None = None) -> None:
    QueueCall.objects.create(
        queue_name="热线",
        arrived_at=at(arrived),
        answered_at=at(answered) if answered else None,
        abandoned_at=at(abandoned) if abandoned else None,
    )


def test_realised_service_level_and_answer_rate(day: Floor) -> None:
    _call("09:01", answered="09:01")  # answered at once
    QueueCall.objects.create(
        queue_name="热线", arrived_at=at("09:02"), answered_at=at("09:03")
    )  # a minute's wait: answered, not in 20 s
    _call("09:04", abandoned="09:05")
    _call("09:10", answered="09:10")
    view = selectors.intraday_view(actor=day.lead, day=DAY, now=at("10:00"))
    first = view.rows[0]
    assert (first.offered, first.answered) == (4, 3)
    assert first.service_level == pytest.approx(0.5)
    assert first.answer_rate == pytest.approx(0.75)


def test_scheduled_counts_phone_time_and_leave_changes_it(day: Floor) -> None:
    view = selectors.intraday_view(actor=day.lead, day=DAY, now=at("09:00"))
    by_start = {row.start: row for row in view.rows}
    assert by_start[at("09:00")].scheduled == 2.0
    assert by_start[at("10:00")].scheduled == 1.0  # one agent on a planned break
    assert by_start[at("09:00")].gap == -1.0  # three required, two scheduled

    services.leave_request(
        actor=day.agents[1], kind="sick", start_date=DAY, end_date=DAY, at=at("08:00")
    )
    after = {
        row.start: row
        for row in selectors.intraday_view(actor=day.lead, day=DAY, now=at("09:00")).rows
    }
    assert after[at("09:00")].scheduled == 1.0
    assert after[at("09:00")].gap == -2.0
    assert selectors.intraday_view(actor=day.lead, day=DAY, now=at("09:00")).on_leave == [
        str(day.agents[1])
    ]


def test_reforecast_scales_the_rest_of_the_day(day: Floor) -> None:
    for minute in range(0, 30, 1):  # 30 calls against 20 forecast in 09:00-09:30
        _call(f"09:{minute:02d}", answered=f"09:{minute:02d}")
    view = selectors.intraday_view(actor=day.lead, day=DAY, now=at("09:30"))
    assert view.scale == pytest.approx(1.5)
    later = view.rows[2]
    assert later.reforecast_offered == pytest.approx(30)
    assert later.reforecast_required is not None
    assert later.reforecast_required > 3
    assert view.rows[0].reforecast_offered is None  # past intervals are not reforecast


def test_on_phone_from_recorded_states(day: Floor) -> None:
    a, b = day.agents
    services.state_change(actor=a, state=AgentState.State.AVAILABLE, at=at("09:00"))
    services.state_change(actor=b, state=AgentState.State.AVAILABLE, at=at("09:15"))
    view = selectors.intraday_view(actor=day.lead, day=DAY, now=at("09:30"))
    assert view.rows[0].on_phone == 1.5


def test_agents_cannot_open_intraday(day: Floor) -> None:
    with pytest.raises(PermissionDeniedError):
        selectors.intraday_view(actor=day.agents[0], day=DAY, now=at("09:30"))


def test_without_a_forecast_the_calls_still_show(floor: Floor) -> None:
    _call("09:01", answered="09:01")
    view = selectors.intraday_view(actor=floor.lead, day=DAY, now=at("10:00"), queue_name="热线")
    assert view.queue is not None
    assert view.queue.name == "热线"
    assert sum(row.offered for row in view.rows) == 1


def test_adherence_against_the_published_schedule(day: Floor) -> None:
    a = day.agents[0]
    services.state_change(actor=a, state=AgentState.State.AVAILABLE, at=at("09:00"))
    services.break_start(actor=a, kind="scheduled", at=at("10:00"))
    services.break_end(actor=a, at=at("10:30"))
    services.break_start(actor=a, kind="special", reason="喝水", at=at("11:00"))
    services.break_end(actor=a, at=at("11:30"))
    rows = {
        row.agent_id: row
        for row in selectors.adherence_for(actor=day.lead, day=DAY, now=at("12:00"))
    }
    mine = rows[a.pk]
    ratios = [interval.ratio for interval in mine.intervals]
    assert ratios == [1.0, 1.0, 1.0, 1.0, 0.0, 1.0]
    assert mine.adherence == pytest.approx(5 / 6)
    # The agent sees their own adherence.
    own = selectors.adherence_for(actor=a, day=DAY, now=at("12:00"), agent=a)
    assert [row.agent_id for row in own] == [a.pk]


def test_meal_delays_are_reported(floor: Floor) -> None:
    a = floor.agents[0]
    publish_shifts(floor.team, [(a, "09:00", "18:00", [("meal", "12:00", "12:30")])])
    services.state_change(actor=a, state=AgentState.State.AVAILABLE, at=at("09:00"))
    services.break_start(actor=a, kind="meal", at=at("12:40"))
    delays = selectors.meal_delays_for(actor=floor.lead, day=date(2026, 11, 24), now=at("13:00"))
    assert [(d.agent_id, d.delay_minutes) for d in delays] == [(a.pk, 40)]
