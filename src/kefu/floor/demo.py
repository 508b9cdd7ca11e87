"""Demo data of the floor: the day so far of every scheduled agent (states that follow
the published plan, a little late here and there), a few live states, a raised hand, a
sick day, a coaching conversation, some candidates and the day's queue calls so far.
Fast, and tolerant of missing workforce data."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction

from kefu.core.models import User
from kefu.core.roles import Role
from kefu.customers.masking import mask_id_number
from kefu.floor import crypto, plan
from kefu.floor.adherence import PlanKind
from kefu.floor.days import day_bounds, local_day
from kefu.floor.models import (
    AgentState,
    Candidate,
    CareerEvent,
    CoachingConversation,
    Leave,
    QueueCall,
    RaisedHand,
)
from kefu.floor.simulate import simulate_calls

_CANDIDATES = [
    (
        "陈静",
        "大专 · 市场营销",
        "两年电商客服",
        "普通话、粤语",
        "Excel、打字 80 字/分",
        "可倒班",
        5500,
    ),
    ("刘洋", "本科 · 英语", "一年外贸跟单", "普通话、英语", "Office", "工作日白班", 6500),
    ("赵敏", "中专 · 计算机", "应届", "普通话", "打字 60 字/分", "随时到岗", 4500),
]


@transaction.atomic
def demo_load(*, at: datetime) -> None:
    """Add the floor's demo rows around ``at``. Idempotent: does nothing when already loaded."""
    if Candidate.objects.filter(name=_CANDIDATES[0][0]).exists():
        return
    agents = list(User.objects.filter(role=Role.AGENT, is_active=True).order_by("pk")[:6])
    leads = {u.team_id: u for u in User.objects.filter(role=Role.TEAM_LEAD, is_active=True)}
    today = local_day(at)
    start_of_day, _end = day_bounds(today)
    states = [
        AgentState.State.ON_CONTACT,
        AgentState.State.AVAILABLE,
        AgentState.State.AFTER_CONTACT,
        AgentState.State.SPECIAL_BREAK,
        AgentState.State.TRAINING,
    ]
    _day_so_far(at, sick={agents[1].pk} if len(agents) > 1 else set())
    for n, (agent, state) in enumerate(zip(agents, states, strict=False)):
        started = at - timedelta(minutes=5 + 7 * n)
        # The live state replaces what the day so far recorded from its start on.
        AgentState.objects.filter(agent=agent, started_at__gte=started).delete()
        AgentState.objects.filter(agent=agent, ended_at__isnull=True).update(ended_at=started)
        AgentState.objects.filter(agent=agent, ended_at__gt=started).update(ended_at=started)
        AgentState.objects.create(
            agent=agent,
            state=state,
            started_at=started,
            reason="喝口水，嗓子有点哑" if state == AgentState.State.SPECIAL_BREAK else "",
        )
    if agents:
        RaisedHand.objects.get_or_create(
            agent=agents[0],
            closed_at=None,
            defaults={
                "team_id": agents[0].team_id,
                "note": "客户要求赔偿，超出我的权限",
                "raised_at": at - timedelta(minutes=2),
            },
        )
    if len(agents) > 1:
        Leave.objects.create(
            agent=agents[1],
            kind=Leave.Kind.SICK,
            start_date=today,
            end_date=today,
            status=Leave.Status.APPROVED,
            created_at=start_of_day + timedelta(hours=7),
            decided_at=start_of_day + timedelta(hours=7),
            note="发烧",
        )
    if len(agents) > 2 and agents[2].team_id in leads:
        CareerEvent.objects.get_or_create(
            agent=agents[2],
            kind=CareerEvent.Kind.HIRED,
            defaults={"on": today - timedelta(days=500), "recorded_at": at},
        )
        CoachingConversation.objects.create(
            lead=leads[agents[2].team_id],
            agent=agents[2],
            held_at=at - timedelta(days=3),
            topic="通话中打断客户",
            notes="回听了两通录音：客户还没说完就给了方案，客户更着急了。",
            agreed_actions="先让客户说完，复述原因再给方案；下周一起回听三通。",
            follow_up_on=today + timedelta(days=7),
        )
    for name, education, experience, languages, skills, availability, pay in _CANDIDATES:
        national_id = f"1101011995{pay % 10000:04d}123{len(name)}"[:18]
        Candidate.objects.create(
            name=name,
            education=education,
            experience=experience,
            languages=languages,
            computer_skills=skills,
            availability=availability,
            expected_pay=pay,
            self_introduction="喜欢和人打交道，耐心。",
            national_id_ciphertext=crypto.encrypt(national_id),
            national_id_masked=mask_id_number(national_id),
            created_at=at,
            updated_at=at,
        )
    _morning_calls(at)


_PLANNED_STATE = {
    PlanKind.BREAK: AgentState.State.SCHEDULED_BREAK,
    PlanKind.MEAL: AgentState.State.MEAL,
    PlanKind.TRAINING: AgentState.State.TRAINING,
    PlanKind.MEETING: AgentState.State.MEETING,
}


def _day_so_far(at: datetime, *, sick: set[int]) -> None:
    """States of every agent on today's published schedule, from the start of their
    shift up to ``at``: phone work (contacts, wrap-up, waiting) between the planned
    breaks, meals and training, each begun a few minutes late at most. The spell
    running at ``at`` stays open."""
    rows: list[AgentState] = []
    for day in plan.agent_days(local_day(at)):
        if day.agent_id in sick or day.shift_start >= at:
            continue
        rng = random.Random(f"floor:{day.agent_id}:{local_day(at)}")  # noqa: S311
        end = min(at, day.shift_end)
        moment = day.shift_start + timedelta(minutes=rng.randint(0, 4))
        planned = sorted(day.activities, key=lambda activity: activity.start)
        spells: list[tuple[str, datetime]] = []
        for activity in [*planned, None]:
            until = end if activity is None else min(end, activity.start)
            while moment < until:
                for state, low, high in (
                    (AgentState.State.ON_CONTACT, 3, 9),
                    (AgentState.State.AFTER_CONTACT, 1, 2),
                    (AgentState.State.AVAILABLE, 1, 4),
                ):
                    if moment < until:
                        spells.append((state, moment))
                        moment = min(until, moment + timedelta(minutes=rng.randint(low, high)))
            if activity is None or activity.start >= end:
                break
            away = _PLANNED_STATE.get(activity.kind)
            if away is not None:
                moment = max(moment, activity.start + timedelta(minutes=rng.randint(0, 3)))
                if moment < min(end, activity.end):
                    spells.append((away, moment))
                moment = min(end, activity.end)
        for index, (spell, started) in enumerate(spells):
            following = spells[index + 1][1] if index + 1 < len(spells) else None
            ended = following if following is not None else (None if end == at else end)
            rows.append(
                AgentState(agent_id=day.agent_id, state=spell, started_at=started, ended_at=ended)
            )
    AgentState.objects.bulk_create(rows, batch_size=1000)


def _morning_calls(at: datetime) -> None:
    """A morning of calls on the first workforce queue, 20% over its forecast."""
    queue = plan.queue_get(None)
    if queue is None:
        return
    forecast = [item for item in plan.forecast_for(queue, local_day(at)) if item.start < at]
    if not forecast or QueueCall.objects.filter(queue_name=queue.name).exists():
        return
    calls = simulate_calls(
        volumes=[(item.start, item.offered * 1.2) for item in forecast],
        interval=timedelta(seconds=queue.interval_seconds),
        aht_seconds=forecast[0].aht_seconds or 180,
    )
    QueueCall.objects.bulk_create(
        QueueCall(
            queue_name=queue.name,
            arrived_at=call.arrived_at,
            answered_at=call.answered_at,
            abandoned_at=call.abandoned_at,
            handle_seconds=call.handle_seconds,
        )
        for call in calls
        if call.arrived_at < at
    )
