"""Early warning: complaint counts per series, EWMA and CUSUM, alarms to the manager.

A complaint is a case of any category but ``enquiry``. The series are the
case category, the business line (the organisation's industry) and the
region (the organisation's region). Each evaluation looks at the last
``WINDOW`` periods against a baseline mean μ₀ taken from the ``BASELINE``
periods before them (at least ``MIN_BASELINE`` so a quiet series still has a
positive μ₀). An alarm is stored once per series, method and period; only new
ones are notified, to the managers of the departments whose cases are behind
it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from kefu.cases.models import Case
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.core.services import notification_send
from kefu.quality import notification_kinds, warning
from kefu.quality.models import WarningAlarm

WINDOW = 14
BASELINE = 28
MIN_BASELINE = 0.5
SERIES_FIELDS: dict[str, str] = {
    WarningAlarm.Series.CATEGORY: "category",
    WarningAlarm.Series.BUSINESS_LINE: "organisation__industry",
    WarningAlarm.Series.REGION: "organisation__region",
}


def complaints() -> QuerySet[Case]:
    """Every case that counts as a complaint (all categories but enquiries)."""
    return Case.objects.exclude(category=Case.Category.ENQUIRY).filter(merged_into__isnull=True)


@dataclass(frozen=True)
class Window:
    period: str
    starts: list[date]  # the first day of each period, baseline then evaluated

    @property
    def evaluated(self) -> list[date]:
        return self.starts[BASELINE:]

    def index(self, day: date) -> int | None:
        length = 7 if self.period == WarningAlarm.Period.WEEK else 1
        offset = (day - self.starts[0]).days // length
        return offset if 0 <= offset < len(self.starts) else None


def window_for(*, at: datetime, period: str) -> Window:
    """The periods to read at ``at``: only whole periods before ``at``'s own."""
    today = timezone.localdate(at)
    if period == WarningAlarm.Period.WEEK:
        this_week = today - timedelta(days=today.weekday())
        first = this_week - timedelta(weeks=BASELINE + WINDOW)
        return Window(period, [first + timedelta(weeks=i) for i in range(BASELINE + WINDOW)])
    first = today - timedelta(days=BASELINE + WINDOW)
    return Window(period, [first + timedelta(days=i) for i in range(BASELINE + WINDOW)])


def series_counts(*, window: Window, series: str) -> dict[str, list[int]]:
    """Complaint counts per value of ``series``, one per period of ``window``."""
    field = SERIES_FIELDS[series]
    length = 7 if window.period == WarningAlarm.Period.WEEK else 1
    end = window.starts[-1] + timedelta(days=length)
    tz = timezone.get_current_timezone()
    rows = (
        complaints()
        .filter(
            created_at__gte=datetime.combine(window.starts[0], datetime.min.time(), tzinfo=tz),
            created_at__lt=datetime.combine(end, datetime.min.time(), tzinfo=tz),
        )
        .annotate(day=TruncDate("created_at"))
        .values("day", field)
        .annotate(n=Count("id"))
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(window.starts))
    for row in rows:
        index = window.index(row["day"])
        if index is not None:
            counts[row[field] or ""][index] += row["n"]
    return dict(counts)


def _cases_behind(alarm: WarningAlarm) -> QuerySet[Case]:
    return alarm_cases(alarm)


def alarm_cases(alarm: WarningAlarm) -> QuerySet[Case]:
    """The complaints counted in ``alarm``'s period and series value."""
    length = 7 if alarm.period == WarningAlarm.Period.WEEK else 1
    tz = timezone.get_current_timezone()
    start = datetime.combine(alarm.period_start, datetime.min.time(), tzinfo=tz)
    match = Q(**{SERIES_FIELDS[alarm.series]: alarm.key})
    if not alarm.key and alarm.series != WarningAlarm.Series.CATEGORY:
        match |= Q(**{f"{SERIES_FIELDS[alarm.series]}__isnull": True})
    return (
        complaints()
        .filter(match, created_at__gte=start, created_at__lt=start + timedelta(days=length))
        .select_related("department", "organisation")
        .order_by("created_at", "pk")
    )


@transaction.atomic
def warnings_evaluate(*, at: datetime, period: str = WarningAlarm.Period.DAY) -> list[WarningAlarm]:
    """Run EWMA and CUSUM on every series; store and notify the alarms not seen before."""
    window = window_for(at=at, period=period)
    new: list[WarningAlarm] = []
    for series in SERIES_FIELDS:
        for key, counts in series_counts(window=window, series=series).items():
            mu0 = max(sum(counts[:BASELINE]) / BASELINE, MIN_BASELINE)
            recent = counts[BASELINE:]
            found = [
                (p.t, warning.Method.EWMA, p.z, p.ucl)
                for p in warning.ewma(recent, mu0=mu0)
                if p.alarm
            ]
            h = 4 * mu0**0.5
            found += [
                (p.t, warning.Method.CUSUM, p.upper, h)
                for p in warning.cusum(recent, mu0=mu0)
                if p.alarm
            ]
            for t, method, statistic, limit in found:
                alarm = _store(
                    series=series,
                    key=key,
                    method=method,
                    period=period,
                    start=window.evaluated[t - 1],
                    count=recent[t - 1],
                    mu0=mu0,
                    statistic=statistic,
                    limit=limit,
                    at=at,
                )
                if alarm is not None:
                    new.append(alarm)
    for alarm in new:
        _notify(alarm, at=at)
    return new


def _store(
    *,
    series: str,
    key: str,
    method: str,
    period: str,
    start: date,
    count: int,
    mu0: float,
    statistic: float,
    limit: float,
    at: datetime,
) -> WarningAlarm | None:
    try:
        with transaction.atomic():
            return WarningAlarm.objects.create(
                series=series,
                key=key[:100],
                method=method,
                period=period,
                period_start=start,
                count=count,
                baseline=mu0,
                statistic=statistic,
                limit=limit,
                created_at=at,
            )
    except IntegrityError:
        return None


def series_label(alarm: WarningAlarm) -> str:
    """The series value as people read it (the category's name, or the text)."""
    if alarm.series == WarningAlarm.Series.CATEGORY:
        return (
            str(Case.Category(alarm.key).label) if alarm.key in Case.Category.values else alarm.key
        )
    return alarm.key or "—"


def _notify(alarm: WarningAlarm, *, at: datetime) -> None:
    departments = set(_cases_behind(alarm).values_list("department_id", flat=True))
    managers = User.objects.filter(
        is_active=True, role=Role.DEPARTMENT_MANAGER, department_id__in=departments
    )
    for manager in managers:
        notification_send(
            recipient=manager,
            code=notification_kinds.EARLY_WARNING,
            link=reverse("quality:alarm", args=[alarm.pk]),
            at=at,
            params={
                "series": alarm.series,
                "key": alarm.key,
                "count": alarm.count,
                "start": alarm.period_start.isoformat(),
                "method": alarm.method.upper(),
                "mu0": f"{alarm.baseline:.1f}",
            },
        )
