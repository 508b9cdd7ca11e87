"""A simulated busy day: generated queue calls run 40% over forecast all morning, and the
meal alert reaches the real-time analyst before any meal would leave its window."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.models import Notification, ScheduledJob, User
from kefu.core.roles import Role
from kefu.floor import services
from kefu.floor.clocks import MEAL_PROTECTION
from kefu.floor.models import MealAlert
from kefu.floor.simulate import simulate_calls
from tests.core.factories import make_staff
from tests.floor.builders import Floor, at, make_floor, make_forecast, make_queue, publish_shifts

FORECAST = 50  # calls per half hour: 8 agents on the phones meet 80/20 (Erlang C)
MEALS = ["11:00", "11:00", "11:30", "11:30", "12:00", "12:00", "12:30", "12:30", "13:00", "13:00"]


def _plus30(hhmm: str) -> str:
    hours, minutes = map(int, hhmm.split(":"))
    total = hours * 60 + minutes + 30
    return f"{total // 60:02d}:{total % 60:02d}"


@pytest.fixture
def planned_day(db: None) -> tuple[Floor, User]:
    """Ten agents 08:00-17:00, meals two at a time: exactly the forecast's eight on the phones
    during every meal. A colleague starting at 13:00 could come in early."""
    floor = make_floor(agents=11)
    queue = make_queue()
    make_forecast(queue, offered=FORECAST, aht_seconds=180, required=8)
    shifts = [
        (agent, "08:00", "17:00", [("meal", meal, _plus30(meal))])
        for agent, meal in zip(floor.agents[:10], MEALS, strict=True)
    ]
    shifts.append((floor.agents[10], "13:00", "21:00", [("meal", "17:00", "17:30")]))
    publish_shifts(floor.team, shifts)
    analyst = make_staff(role=Role.REALTIME_ANALYST, username="rta.sun")
    return floor, analyst


def _morning(volume: float) -> None:
    starts = [at("08:00") + timedelta(minutes=30 * i) for i in range(4)]
    calls = simulate_calls(
        volumes=[(start, volume) for start in starts],
        interval=timedelta(minutes=30),
        aht_seconds=180,
        seed=11,
    )
    services.queue_calls_store_simulated(queue_name="热线", calls=calls)


def test_busy_morning_alerts_the_analyst_before_the_meals(planned_day: tuple[Floor, User]) -> None:
    floor, analyst = planned_day
    _morning(FORECAST * 1.4)

    clock.ensure_recurring(now=at("10:00"))
    assert ScheduledJob.objects.filter(key=MEAL_PROTECTION).exists()
    result = clock.tick(now=at("10:00"))
    assert result.failed == 0

    alerts = list(MealAlert.objects.order_by("meal_start", "agent_id"))
    assert alerts, "the busy morning should put meals at risk"
    for alert in alerts:
        # Raised before the meal starts, let alone before its window closes.
        assert alert.created_at == at("10:00") < alert.meal_start < alert.window_end
        assert (
            alert.projected_start is None
            or alert.projected_start + timedelta(minutes=30) > alert.window_end
        )
    assert alerts[0].meal_start == at("11:00")
    moves = {(move["kind"], move["name"]) for move in alerts[-1].proposals}
    assert ("take_calls", str(floor.agents[10])) in moves

    notes = Notification.objects.filter(recipient=analyst)
    assert notes.count() == len(alerts)
    assert any(str(floor.agents[0]) in note.subject for note in notes)

    # The clock runs again five minutes later: no second alert for the same meals.
    clock.tick(now=at("10:05"))
    assert MealAlert.objects.count() == len(alerts)


def test_a_morning_on_forecast_raises_no_alert(planned_day: tuple[Floor, User]) -> None:
    _morning(FORECAST)
    assert services.meal_protection_run(at=at("10:00")) == []
    assert not MealAlert.objects.exists()


def test_alert_resolves_when_the_risk_passes(planned_day: tuple[Floor, User]) -> None:
    _floor, analyst = planned_day
    _morning(FORECAST * 1.4)
    created = services.meal_protection_run(at=at("10:00"))
    assert created
    # The afternoon is reforecast back to plan (the calls are gone: a switch correction).
    from kefu.floor.models import QueueCall

    QueueCall.objects.all().delete()
    _morning(FORECAST)
    services.meal_protection_run(at=at("10:05"))
    assert not MealAlert.objects.filter(status=MealAlert.Status.OPEN).exists()
    resolved = services.meal_alert_resolve(actor=analyst, alert_id=created[0].pk, at=at("10:06"))
    assert resolved.status == MealAlert.Status.RESOLVED
