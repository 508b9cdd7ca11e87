"""Forecast runs: the forecasting core, then Erlang staffing per interval."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.calendar_overrides import holiday_region
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.workforce import erlang, forecasting
from kefu.workforce.errors import (
    CoreInputError,
)
from kefu.workforce.models import (
    Forecast,
    ForecastInterval,
    HistoryInterval,
    Queue,
)

LOCAL = ZoneInfo("Asia/Shanghai")
DEFAULT_AHT_SECONDS = 180.0


# --------------------------------------------------------------------------- forecasts


def _aht_profile(queue: Queue, *, until: datetime) -> tuple[dict[tuple[int, time], float], float]:
    """Offered-weighted AHT by (weekday, time of day) over the last eight weeks, and overall."""
    rows = HistoryInterval.objects.filter(
        queue=queue,
        interval_start__lt=until,
        interval_start__gte=until - timedelta(weeks=8),
        aht_seconds__isnull=False,
        offered__gt=0,
    ).values_list("interval_start", "offered", "aht_seconds")
    sums: dict[tuple[int, time], list[float]] = defaultdict(lambda: [0.0, 0.0])
    total = [0.0, 0.0]
    for start, offered, aht in rows:
        if aht is None:  # excluded by the filter; narrows the type
            continue
        local = start.astimezone(LOCAL)
        cell = sums[(local.weekday(), local.time())]
        cell[0] += offered * aht
        cell[1] += offered
        total[0] += offered * aht
        total[1] += offered
    profile = {key: value[0] / value[1] for key, value in sums.items()}
    overall = total[0] / total[1] if total[1] else DEFAULT_AHT_SECONDS
    return profile, overall


def queue_region(queue: Queue) -> str:
    return queue.team.calendar_region if queue.team_id and queue.team else "cn"


@transaction.atomic
def forecast_run(
    *,
    actor: User,
    queue: Queue,
    start: date,
    days: int,
    at: datetime,
    region: str | None = None,
) -> Forecast:
    """Forecast ``days`` days of ``queue`` from ``start`` and staff every interval.

    ``region`` replaces the queue's holiday region (``none``: no holidays), for a
    year the holiday calendar does not know yet.

    The forecasting core picks its method by backtest WAPE on the stored
    history; each forecast interval gets an AHT (the history's, by weekday and
    time of day), the on-phone agents the queue's targets need (Erlang) and the
    scheduled agents after shrinkage. A core's refusal is a ``CoreInputError``.
    """
    authorize(actor, Perm.PLAN_WORKFORCE)
    history = list(
        HistoryInterval.objects.filter(queue=queue)
        .order_by("interval_start")
        .values_list("interval_start", "offered")
    )
    region = region or queue_region(queue)
    try:
        result = forecasting.forecast(
            [(when, float(offered)) for when, offered in history],
            start=start,
            days=days,
            region=region,
            tz=LOCAL,
            holidays=holiday_region("cn") if region == "cn" else None,
        )
    except forecasting.ForecastInputError as exc:
        raise CoreInputError(exc.code, exc.params) from None
    profile, overall = _aht_profile(queue, until=datetime.combine(start, time(), LOCAL))
    rows: list[tuple[float, float]] = []
    for when, offered in result.intervals:
        local = when.astimezone(LOCAL)
        aht = profile.get((local.weekday(), local.time()), overall)
        rows.append((max(0.0, float(offered)), aht))
    targets = queue.targets()
    try:
        staffing = erlang.required_per_interval(
            rows, interval_s=queue.interval_minutes * 60, **targets
        )
    except erlang.ErlangInputError as exc:
        raise CoreInputError(exc.code, exc.params) from None
    forecast = Forecast.objects.create(
        queue=queue,
        start=start,
        days=days,
        method=result.method,
        backtest_wape=result.backtest_wape,
        candidates=dict(result.candidates),
        targets={**targets, "interval_minutes": queue.interval_minutes},
        created_by=actor,
        created_at=at,
    )
    ForecastInterval.objects.bulk_create(
        ForecastInterval(
            forecast=forecast,
            interval_start=when,
            offered=offered,
            aht_seconds=aht,
            required=staff.agents,
            scheduled=staff.scheduled,
            service_level=staff.service_level,
        )
        for (when, _offered), (offered, aht), staff in zip(
            result.intervals, rows, staffing, strict=True
        )
    )
    audit_record(
        actor=actor,
        action="workforce.forecast_run",
        target=forecast,
        at=at,
        after={"method": result.method, "backtest_wape": result.backtest_wape},
    )
    return forecast
