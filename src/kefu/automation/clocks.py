"""Clock handlers of automation: the automations pass and webhook retries.

The pass (every minute) runs each active automation over the cases whose time
condition has come ("pending 48 working hours", "resolved 5 days"). It is one
indexed query per rule and team calendar: the conditions on the case's own
columns (status, priority, category, channel, team, department, owner) become
SQL, the time condition a bound on ``updated_at`` / ``created_at`` /
``resolved_at`` (working hours: the instant that many working hours ago on the
team's calendar), and cases this rule already examined for the same starting
instant are left out by ``NOT EXISTS`` on the run table's index. Each case is
examined once per starting instant, so a pass only reads new work, and at most
``BATCH`` cases per rule per pass (the rest next minute).

The time bound is also a plain upper bound on the column (the latest cutoff of
any team), so the walk along ``(status, updated_at, id)`` (or ``resolved_at``,
``created_at``) is a bounded index range. A pass stops taking cases after
``PASS_BUDGET`` (each rule gets its share of what is left), so it ends within
the clock's minute however large the backlog; cases examined and left are
recorded in one insert per batch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from time import perf_counter
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from kefu.automation import rules as pure
from kefu.automation.engine import rule_fire
from kefu.automation.facts import case_facts
from kefu.automation.models import Rule, RuleRun
from kefu.automation.tasks import webhook_deliver_task
from kefu.automation.webhooks import webhook_deliveries_due
from kefu.cases.models import Case
from kefu.cases.services.sla import team_calendar
from kefu.core import clock
from kefu.core.calendar import BusinessCalendar
from kefu.core.models import ScheduledJob, Team

PASS_JOB = "automation.pass"  # noqa: S105  (a job kind, not a secret)
WEBHOOKS_JOB = "automation.webhooks"
BATCH = 500
# Seconds a pass spends on cases at most, so that it ends inside the clock's minute.
PASS_BUDGET = 40.0
# How often (in cases) a batch re-reads whether its rule was switched off meanwhile.
ACTIVE_CHECK_EVERY = 50
SINCE_FIELD = {"updated": "updated_at", "created": "created_at", "resolved": "resolved_at"}
_COLUMNS = {
    "case.status": "status",
    "case.priority": "priority",
    "case.category": "category",
    "case.channel": "channel",
    "case.team": "team_id",
    "case.department": "department_id",
    "case.owner": "owner_id",
}


def sql_conditions(conditions: dict[str, Any]) -> Q:
    """The part of an ``all`` group that is plain column comparisons, as SQL (the
    rest is checked in Python on the cases this returns)."""
    q = Q()
    if conditions.get("match", "all") != "all":
        return q
    for item in conditions.get("rules", []):
        column = _COLUMNS.get(item.get("field", ""))
        if column is None or "rules" in item:
            continue
        op, value = item["op"], item.get("value")
        if op == "eq":
            q &= Q(**{column: value})
        elif op == "ne":
            q &= ~Q(**{column: value})
        elif op == "in":
            q &= Q(**{f"{column}__in": value})
        elif op == "not_in":
            q &= ~Q(**{f"{column}__in": value})
        elif op == "is_set":
            q &= Q(**{f"{column}__isnull": False})
        elif op == "is_unset":
            q &= Q(**{f"{column}__isnull": True})
    return q


def working_cutoff(calendar: BusinessCalendar, now: datetime, hours: int) -> datetime:
    """The latest instant with at least ``hours`` working hours between it and ``now``."""
    need = timedelta(hours=hours)
    high = now - need  # working time never runs faster than the wall clock
    if calendar.working_time_between(high, now) >= need:
        return high
    low = now - need * 8 - timedelta(days=30)
    if calendar.working_time_between(low, now) < need:
        return low
    # Bisect to the microsecond: low always has enough working time, high never.
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) // 2
        if calendar.working_time_between(middle, now) >= need:
            low = middle
        else:
            high = middle
    return low


def candidates(rule: Rule, *, now: datetime) -> QuerySet[Case]:
    """The cases whose time condition has come and that ``rule`` has not examined
    for that starting instant, earliest first, at most ``BATCH``."""
    time = rule.time or {}
    field = SINCE_FIELD[str(time["since"])]
    hours = int(time["hours"])
    seen = RuleRun.objects.filter(rule=rule, case=OuterRef("pk"), since_at=OuterRef(field))
    cases = Case.objects.filter(sql_conditions(rule.conditions or {})).filter(
        **{f"{field}__isnull": False}
    )
    if rule.department_id is not None:
        cases = cases.filter(department_id=rule.department_id)
    if time.get("working"):
        bounds = Q()
        latest: datetime | None = None
        for team in [*Team.objects.order_by("pk"), None]:
            cutoff = working_cutoff(team_calendar(team), now, hours)
            on_team = Q(team=team) if team is not None else Q(team__isnull=True)
            bounds |= on_team & Q(**{f"{field}__lte": cutoff})
            latest = cutoff if latest is None else max(latest, cutoff)
        # The latest cutoff bounds the index range; the per-team bounds filter inside it.
        cases = cases.filter(Q(**{f"{field}__lte": latest}) & bounds)
    else:
        cases = cases.filter(**{f"{field}__lte": now - timedelta(hours=hours)})
    return (
        cases.exclude(Exists(seen))
        .select_related("contact", "organisation", "team", "owner")
        .order_by(field, "pk")[:BATCH]
    )


def automation_run(rule: Rule, *, now: datetime, deadline: float | None = None) -> int:
    """Examine one batch of ``rule``'s candidates; returns how many it fired on.

    ``deadline`` (a ``time.perf_counter()`` value) stops the batch early; the cases
    not reached are candidates again next pass.
    """
    fired = 0
    field = SINCE_FIELD[str((rule.time or {})["since"])]
    needed = pure.fields_used(rule.conditions or {})
    left: list[RuleRun] = []
    for examined, case in enumerate(candidates(rule, now=now), start=1):
        since: datetime = getattr(case, field)
        key = f"time:{since.isoformat()}"[:100]
        facts = case_facts(case, at=now, needed=needed)
        if pure.matches(rule.conditions or {}, facts):
            if rule_fire(rule=rule, case=case, event="automation", key=key, at=now, since_at=since):
                fired += 1
        else:
            # Examined: not again for this starting instant (kept out of the run log).
            left.append(
                RuleRun(
                    rule=rule,
                    case=case,
                    event="automation",
                    key=key,
                    since_at=since,
                    at=now,
                    outcome=RuleRun.Outcome.SKIPPED,
                )
            )
        # A failure that disabled the rule refreshed it in place; a person switching
        # it off elsewhere is seen within ACTIVE_CHECK_EVERY cases.
        if rule.is_active and examined % ACTIVE_CHECK_EVERY == 0:
            rule.refresh_from_db(fields=["is_active"])
        if not rule.is_active or (deadline is not None and perf_counter() > deadline):
            break
    RuleRun.objects.bulk_create(left, ignore_conflicts=True)
    return fired


@clock.register(PASS_JOB, every=timedelta(minutes=1))
def automations_pass(job: ScheduledJob, now: datetime) -> None:
    """Run every active automation over the cases whose time has come, one batch
    each, within ``PASS_BUDGET`` seconds (each rule gets its share of what is left)."""
    rules = list(
        Rule.objects.filter(kind=Rule.Kind.AUTOMATION, is_active=True)
        .select_related("run_as")
        .order_by("position", "pk")
    )
    end = perf_counter() + PASS_BUDGET
    for n, rule in enumerate(rules):
        share = (end - perf_counter()) / (len(rules) - n)
        if share <= 0:
            break
        automation_run(rule, now=now, deadline=perf_counter() + share)


@clock.register(WEBHOOKS_JOB, every=timedelta(seconds=30))
def webhooks_retry(job: ScheduledJob, now: datetime) -> None:
    """Queue the webhook deliveries due for another attempt."""
    for delivery_id in webhook_deliveries_due(now=now):
        webhook_deliver_task.enqueue(delivery_id=delivery_id)
