"""SLA arithmetic, pure: policy targets + business calendar + instants -> due times.

No Django imports. Targets are working minutes on the team's calendar; the
clock stops while the case waits on the customer and the remaining working
time is carried over when it starts again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from kefu.core.calendar import BusinessCalendar


@dataclass(frozen=True)
class PolicyTargets:
    """One SLA policy as plain data. Empty strings match any value."""

    key: int
    priority: str
    category: str
    tier: str
    first_response_minutes: int
    next_update_minutes: int | None
    resolution_minutes: int

    def matches(self, *, priority: str, category: str, tier: str) -> bool:
        return (
            self.priority in ("", priority)
            and self.category in ("", category)
            and self.tier in ("", tier)
        )

    @property
    def specificity(self) -> int:
        # Priority outranks category, category outranks tier.
        return 4 * bool(self.priority) + 2 * bool(self.category) + bool(self.tier)


def choose_policy(
    policies: Iterable[PolicyTargets], *, priority: str, category: str, tier: str
) -> PolicyTargets | None:
    """The most specific policy matching the case, or None when none matches.

    Ties go to the policy with the tightest first-response target.
    """
    candidates = [p for p in policies if p.matches(priority=priority, category=category, tier=tier)]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.specificity, -p.first_response_minutes, -p.key))


@dataclass(frozen=True)
class SlaDue:
    """The running due times of one case. None means the target does not run."""

    first_response: datetime | None
    next_update: datetime | None
    resolution: datetime | None

    @property
    def earliest(self) -> datetime | None:
        running = [d for d in (self.first_response, self.next_update, self.resolution) if d]
        return min(running) if running else None


def _after(calendar: BusinessCalendar, start: datetime, minutes: int | None) -> datetime | None:
    if minutes is None:
        return None
    return calendar.add_working_time(start, timedelta(minutes=minutes))


def due_on_open(
    policy: PolicyTargets, *, opened_at: datetime, calendar: BusinessCalendar
) -> SlaDue:
    """Due times for a case opened at ``opened_at``. The update cadence starts
    with the first response, so it does not run yet."""
    return SlaDue(
        first_response=_after(calendar, opened_at, policy.first_response_minutes),
        next_update=None,
        resolution=_after(calendar, opened_at, policy.resolution_minutes),
    )


def due_after_reply(
    policy: PolicyTargets, due: SlaDue, *, replied_at: datetime, calendar: BusinessCalendar
) -> SlaDue:
    """A reply to the customer meets the first response and restarts the cadence."""
    return replace(
        due,
        first_response=None,
        next_update=_after(calendar, replied_at, policy.next_update_minutes),
    )


def due_on_reopen(
    policy: PolicyTargets, *, reopened_at: datetime, calendar: BusinessCalendar
) -> SlaDue:
    """A resolved case the customer opened again: answer within the first-response
    time (as the next update) and resolve again within the resolution time."""
    return SlaDue(
        first_response=None,
        next_update=_after(calendar, reopened_at, policy.first_response_minutes),
        resolution=_after(calendar, reopened_at, policy.resolution_minutes),
    )


def due_tightened(
    policy: PolicyTargets, due: SlaDue, *, at: datetime, calendar: BusinessCalendar
) -> SlaDue:
    """A case moved to a stricter policy at ``at`` (a higher priority): each running
    target is due by the new policy's time from ``at`` if that is sooner. Targets
    already met stay met, and nothing is due later than it was."""

    def sooner(current: datetime | None, minutes: int | None) -> datetime | None:
        if current is None:
            return None
        new = _after(calendar, at, minutes)
        return min(current, new) if new is not None else current

    return SlaDue(
        first_response=sooner(due.first_response, policy.first_response_minutes),
        next_update=sooner(due.next_update, policy.next_update_minutes),
        resolution=sooner(due.resolution, policy.resolution_minutes),
    )


def due_after_pause(
    due: SlaDue, *, paused_at: datetime, resumed_at: datetime, calendar: BusinessCalendar
) -> SlaDue:
    """Move every running due time on by the working time the clock was stopped.

    The remaining working time at the pause is kept: a target due two working
    hours after the pause is due two working hours after the resume.
    """

    def moved(value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value <= paused_at:
            # Already overdue when paused: stays overdue, not moved.
            return value
        remaining = calendar.working_time_between(paused_at, value)
        return calendar.add_working_time(max(resumed_at, paused_at), remaining)

    return SlaDue(
        first_response=moved(due.first_response),
        next_update=moved(due.next_update),
        resolution=moved(due.resolution),
    )


def due_retimed(
    current: SlaDue,
    *,
    since: datetime,
    old: BusinessCalendar,
    new: BusinessCalendar,
    changed: Iterable[date],
) -> SlaDue:
    """The due times after the calendar changed on the dates ``changed``.

    Each running target keeps the working time it had left after ``since`` (now,
    or the instant the clock was paused), counted on the ``old`` calendar, and
    spends it on the ``new`` one. A target already due by ``since``, or whose
    remaining span holds none of the changed dates, is left as it is.
    """
    days = sorted(set(changed))

    def move(value: datetime | None) -> datetime | None:
        if value is None or value <= since or not days:
            return value
        first, last = since.astimezone(new.tz).date(), value.astimezone(new.tz).date()
        if not any(first <= day <= last for day in days):
            return value
        return new.add_working_time(since, old.working_time_between(since, value))

    return SlaDue(
        first_response=move(current.first_response),
        next_update=move(current.next_update),
        resolution=move(current.resolution),
    )
