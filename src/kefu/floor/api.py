"""The floor and people endpoints under /api/v1/floor/ and /api/v1/people/."""

from datetime import date
from typing import cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kefu.cases.selectors import access_case
from kefu.core.models import User
from kefu.core.pagination import BoundedLimitOffsetPagination
from kefu.core.requests import request_user as actor_of
from kefu.floor import selectors, services
from kefu.floor.days import local_day
from kefu.floor.models import AgentState, Candidate, Leave, MealAlert, RaisedHand
from kefu.floor.schemas import (
    AdherenceOut,
    BreakIn,
    CallsImportedOut,
    CallsIn,
    CandidateIn,
    CandidateOut,
    CandidatePatch,
    CandidateRevealOut,
    CandidateStageIn,
    CareerEventIn,
    CareerEventOut,
    CoachingIn,
    CoachingOut,
    DayQuery,
    DisciplineIn,
    DisciplineOut,
    ExitIn,
    ExitOut,
    HandIn,
    HandOut,
    HistoryOut,
    IntradayOut,
    IntradayQuery,
    LeaveDecisionIn,
    LeaveIn,
    LeaveOut,
    MealAlertOut,
    MealDelayOut,
    RetentionOut,
    StateIn,
    StateOut,
    SuggestionCloseIn,
    SuggestionOut,
)
from kefu.floor.selectors import people as people_selectors

router = Router(tags=["floor"])


def _day(value: date | None) -> date:
    return value or local_day(timezone.now())


# -- raised hands --------------------------------------------------------------------------


def _hand(hand: RaisedHand) -> dict[str, object]:
    now = timezone.now()
    # Listed hands say whether the reader may see their case (floor.selectors).
    shown = hand.case if getattr(hand, "case_visible", True) else None
    return {
        "id": hand.pk,
        "agent_id": hand.agent_id,
        "agent_name": str(hand.agent),
        "case_id": shown.pk if shown else None,
        "case_reference": shown.reference if shown else None,
        "note": hand.note,
        "raised_at": hand.raised_at,
        "acknowledged_at": hand.acknowledged_at,
        "closed_at": hand.closed_at,
        "waiting_seconds": int(((hand.closed_at or now) - hand.raised_at).total_seconds()),
        "seconds_to_help": hand.seconds_to_help,
    }


@router.get("/floor/hands", response=list[HandOut], summary="Open raised hands (leads)")
def hand_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_hand(hand) for hand in selectors.hands_open_for(actor_of(request))]


@router.post("/floor/hands", response={201: HandOut}, summary="Raise my hand")
def hand_raise(request: HttpRequest, payload: HandIn) -> Status[dict[str, object]]:
    actor = actor_of(request)
    # Through the desk's access check: a case the agent may not open reads as missing.
    case = access_case(actor, payload.case_id) if payload.case_id else None
    hand = services.hand_raise(actor=actor, case=case, note=payload.note, at=timezone.now())
    return Status(201, _hand(hand))


@router.post("/floor/hands/{hand_id}/acknowledge", response=HandOut)
def hand_acknowledge(request: HttpRequest, hand_id: int) -> dict[str, object]:
    actor = actor_of(request)
    hand = selectors.access_hand(actor, hand_id)
    return _hand(services.hand_acknowledge(actor=actor, hand=hand, at=timezone.now()))


@router.post("/floor/hands/{hand_id}/close", response=HandOut)
def hand_close(request: HttpRequest, hand_id: int) -> dict[str, object]:
    actor = actor_of(request)
    hand = selectors.access_hand(actor, hand_id)
    return _hand(services.hand_close(actor=actor, hand=hand, at=timezone.now()))


# -- states and breaks ---------------------------------------------------------------------


@router.get("/floor/state", response=StateOut | None, summary="My current state")
def state_mine(request: HttpRequest) -> AgentState | None:
    return services.state_current(actor_of(request))


@router.post("/floor/state", response=StateOut, summary="Change my working state")
def state_change(request: HttpRequest, payload: StateIn) -> AgentState:
    return services.state_change(actor=actor_of(request), state=payload.state, at=timezone.now())


@router.post("/floor/breaks", response={201: StateOut}, summary="Start a break (never refused)")
def break_start(request: HttpRequest, payload: BreakIn) -> Status[AgentState]:
    state = services.break_start(
        actor=actor_of(request), kind=payload.kind, reason=payload.reason, at=timezone.now()
    )
    return Status(201, state)


@router.post("/floor/breaks/end", response=StateOut, summary="End my break")
def break_end(request: HttpRequest) -> AgentState:
    return services.break_end(actor=actor_of(request), at=timezone.now())


@router.get("/floor/states", response=list[StateOut], summary="An agent's states on a day")
def state_list(request: HttpRequest, query: Query[DayQuery]) -> list[AgentState]:
    actor = actor_of(request)
    agent = actor
    if query.agent_id is not None:
        agent = people_selectors.access_person(actor, query.agent_id)
    return list(selectors.states_for_agent(agent, day=_day(query.day)))


@router.get("/floor/special-breaks", response=list[StateOut])
def special_breaks(request: HttpRequest, query: Query[DayQuery]) -> list[AgentState]:
    return list(selectors.special_breaks_for(actor_of(request), day=_day(query.day)))


@router.get("/floor/adherence", response=list[AdherenceOut])
def adherence(request: HttpRequest, query: Query[DayQuery]) -> list[selectors.AdherenceRow]:
    actor = actor_of(request)
    agent = people_selectors.access_person(actor, query.agent_id) if query.agent_id else None
    return selectors.adherence_for(
        actor=actor, day=_day(query.day), now=timezone.now(), agent=agent
    )


# -- leave ---------------------------------------------------------------------------------


@router.get("/floor/leave", response=list[LeaveOut])
@paginate(BoundedLimitOffsetPagination)
def leave_list(request: HttpRequest) -> QuerySet[Leave]:
    return selectors.leave_list_for(actor_of(request))


@router.post("/floor/leave", response={201: LeaveOut}, summary="Enter leave (sick: no certificate)")
def leave_request(request: HttpRequest, payload: LeaveIn) -> Status[Leave]:
    actor = actor_of(request)
    agent = people_selectors.access_person(actor, payload.agent_id) if payload.agent_id else None
    leave = services.leave_request(
        actor=actor,
        agent=agent,
        kind=payload.kind,
        start_date=payload.start_date,
        end_date=payload.end_date,
        note=payload.note,
        at=timezone.now(),
    )
    return Status(201, leave)


@router.post("/floor/leave/{leave_id}/decision", response=LeaveOut)
def leave_decide(request: HttpRequest, leave_id: int, payload: LeaveDecisionIn) -> Leave:
    actor = actor_of(request)
    leave = selectors.access_leave(actor, leave_id)
    return services.leave_decide(
        actor=actor, leave=leave, approve=payload.approve, at=timezone.now()
    )


@router.post("/floor/leave/{leave_id}/cancel", response=LeaveOut)
def leave_cancel(request: HttpRequest, leave_id: int) -> Leave:
    actor = actor_of(request)
    leave = selectors.access_leave(actor, leave_id)
    return services.leave_cancel(actor=actor, leave=leave, at=timezone.now())


@router.get("/floor/check-ins", response=list[SuggestionOut], summary="Suggested check-ins")
def suggestion_list(request: HttpRequest) -> list[object]:
    return list(selectors.suggestions_open_for(actor_of(request)))


@router.post("/floor/check-ins/{suggestion_id}/close", response=SuggestionOut)
def suggestion_close(
    request: HttpRequest, suggestion_id: int, payload: SuggestionCloseIn
) -> object:
    actor = actor_of(request)
    suggestion = get_object_or_404(selectors.suggestions_open_for(actor), pk=suggestion_id)
    return services.suggestion_close(
        actor=actor, suggestion=suggestion, done=payload.done, at=timezone.now()
    )


# -- intraday, meals, calls ----------------------------------------------------------------


@router.get("/floor/intraday", response=IntradayOut)
def intraday(request: HttpRequest, query: Query[IntradayQuery]) -> dict[str, object]:
    view = selectors.intraday_view(
        actor=actor_of(request),
        day=_day(query.day),
        now=timezone.now(),
        queue_id=query.queue_id,
        queue_name=query.queue,
    )
    return {
        "queue": view.queue.name if view.queue else None,
        "day": view.day,
        "scale": view.scale,
        "on_leave": view.on_leave,
        "service_level": view.service_level,
        "answer_rate": view.answer_rate,
        "rows": [{**row.__dict__, "gap": row.gap} for row in view.rows],
    }


@router.get("/floor/meal-alerts", response=list[MealAlertOut])
def meal_alerts(request: HttpRequest, query: Query[DayQuery]) -> list[MealAlert]:
    return list(selectors.meal_alerts_for(actor_of(request), day=_day(query.day)))


@router.post("/floor/meal-alerts/{alert_id}/resolve", response=MealAlertOut)
def meal_alert_resolve(request: HttpRequest, alert_id: int) -> MealAlert:
    return services.meal_alert_resolve(
        actor=actor_of(request), alert_id=alert_id, at=timezone.now()
    )


@router.get("/floor/meal-delays", response=list[MealDelayOut])
def meal_delays(request: HttpRequest, query: Query[DayQuery]) -> list[selectors.MealDelay]:
    return selectors.meal_delays_for(
        actor=actor_of(request), day=_day(query.day), now=timezone.now()
    )


@router.post("/floor/calls", response={201: CallsImportedOut}, summary="Store queue calls")
def calls_create(request: HttpRequest, payload: CallsIn) -> Status[services.CallsImported]:
    rows = [
        {
            key: (value.isoformat() if hasattr(value, "isoformat") else str(value))
            if value is not None
            else ""
            for key, value in call.dict().items()
        }
        for call in payload.calls
    ]
    result = services.queue_calls_import(actor=actor_of(request), rows=rows, at=timezone.now())
    return Status(201, result)


@router.post("/floor/calls/import", response={201: CallsImportedOut}, summary="CSV of calls")
def calls_import(request: HttpRequest, file: File[UploadedFile]) -> Status[services.CallsImported]:
    data = file.read(services.MAX_CSV_BYTES + 1)
    result = services.queue_calls_import_csv(actor=actor_of(request), data=data, at=timezone.now())
    return Status(201, result)


# -- people --------------------------------------------------------------------------------


@router.get("/people/retention", response=RetentionOut, tags=["people"])
def retention(request: HttpRequest) -> dict[str, object]:
    actor = actor_of(request)
    figures = people_selectors.retention_for(actor, today=local_day(timezone.now()))
    return {
        **{k: v for k, v in figures.__dict__.items() if k != "bands"},
        "bands": {str(band): count for band, count in figures.bands},
        "past_two_years_share": figures.past_two_years_share,
        "exit_reasons": {
            reason: count for reason, _label, count in people_selectors.exit_reasons_for(actor)
        },
    }


@router.get("/people/exits", response=list[ExitOut], tags=["people"])
def exit_list(request: HttpRequest) -> list[object]:
    return list(people_selectors.exits_for(actor_of(request)))


@router.post("/people/exits", response={201: ExitOut}, tags=["people"])
def exit_create(request: HttpRequest, payload: ExitIn) -> Status[object]:
    actor = actor_of(request)
    agent = people_selectors.access_person(actor, payload.agent_id)
    record = services.exit_record(
        actor=actor,
        agent=agent,
        left_on=payload.left_on,
        reason=payload.reason,
        notes=payload.notes,
        at=timezone.now(),
    )
    return Status(201, record)


@router.get("/people/coaching", response=list[CoachingOut], tags=["people"])
def coaching_list(request: HttpRequest, agent_id: int) -> list[object]:
    actor = actor_of(request)
    agent = people_selectors.access_person(actor, agent_id)
    return list(people_selectors.coaching_for(actor, agent))


@router.post("/people/coaching", response={201: CoachingOut}, tags=["people"])
def coaching_create(request: HttpRequest, payload: CoachingIn) -> Status[object]:
    actor = actor_of(request)
    agent = people_selectors.access_person(actor, payload.agent_id)
    conversation = services.coaching_record(
        actor=actor,
        agent=agent,
        topic=payload.topic,
        notes=payload.notes,
        agreed_actions=payload.agreed_actions,
        follow_up_on=payload.follow_up_on,
        at=timezone.now(),
    )
    return Status(201, conversation)


@router.post("/people/discipline", response={201: DisciplineOut}, tags=["people"])
def discipline_create(request: HttpRequest, payload: DisciplineIn) -> Status[object]:
    actor = actor_of(request)
    agent = people_selectors.access_person(actor, payload.agent_id)
    note = services.disciplinary_note_record(
        actor=actor,
        agent=agent,
        coaching_id=payload.coaching_id,
        text=payload.text,
        at=timezone.now(),
    )
    return Status(201, note)


@router.get("/people/candidates", response=list[CandidateOut], tags=["people"])
@paginate(BoundedLimitOffsetPagination)
def candidate_list(request: HttpRequest, stage: str = "") -> QuerySet[Candidate]:
    return people_selectors.candidates_for(actor_of(request), stage=stage)


@router.post("/people/candidates", response={201: CandidateOut}, tags=["people"])
def candidate_create(request: HttpRequest, payload: CandidateIn) -> Status[Candidate]:
    data = payload.dict()
    national_id = data.pop("national_id")
    candidate = services.candidate_create(
        actor=actor_of(request),
        changes=cast(services.CandidateChanges, data),
        national_id=national_id,
        at=timezone.now(),
    )
    return Status(201, candidate)


@router.get("/people/candidates/{candidate_id}", response=CandidateOut, tags=["people"])
def candidate_detail(request: HttpRequest, candidate_id: int) -> Candidate:
    return people_selectors.access_candidate(actor_of(request), candidate_id)


@router.patch("/people/candidates/{candidate_id}", response=CandidateOut, tags=["people"])
def candidate_update(request: HttpRequest, candidate_id: int, payload: CandidatePatch) -> Candidate:
    actor = actor_of(request)
    candidate = people_selectors.access_candidate(actor, candidate_id)
    data = payload.dict(exclude_unset=True)
    national_id = data.pop("national_id", None)
    return services.candidate_update(
        actor=actor,
        candidate=candidate,
        changes=cast(services.CandidateChanges, data),
        national_id=national_id,
        at=timezone.now(),
    )


@router.post("/people/candidates/{candidate_id}/stage", response=CandidateOut, tags=["people"])
def candidate_stage(
    request: HttpRequest, candidate_id: int, payload: CandidateStageIn
) -> Candidate:
    actor = actor_of(request)
    candidate = people_selectors.access_candidate(actor, candidate_id)
    return services.candidate_move(
        actor=actor, candidate=candidate, stage=payload.stage, at=timezone.now()
    )


@router.post(
    "/people/candidates/{candidate_id}/reveal", response=CandidateRevealOut, tags=["people"]
)
def candidate_reveal(request: HttpRequest, candidate_id: int) -> dict[str, str]:
    actor = actor_of(request)
    candidate = people_selectors.access_candidate(actor, candidate_id)
    value = services.candidate_reveal_national_id(
        actor=actor, candidate=candidate, at=timezone.now()
    )
    return {"national_id": value}


@router.get("/people/{user_id}/history", response=HistoryOut, tags=["people"])
def history(request: HttpRequest, user_id: int) -> dict[str, object]:
    actor = actor_of(request)
    person = people_selectors.access_person(actor, user_id)
    found = people_selectors.agent_history(actor, person)
    return {
        "agent_id": person.pk,
        "name": str(person),
        "hired_on": found.hired_on,
        "events": found.events,
        "coaching": found.coaching,
        "qa_trend": found.qa_trend,
        "left_on": found.exit.left_on if found.exit else None,
        "exit_reason": found.exit.reason if found.exit else None,
    }


@router.post("/people/{user_id}/career-events", response={201: CareerEventOut}, tags=["people"])
def career_event_create(
    request: HttpRequest, user_id: int, payload: CareerEventIn
) -> Status[object]:
    actor = actor_of(request)
    person: User = people_selectors.access_person(actor, user_id)
    event = services.career_event_record(
        actor=actor,
        agent=person,
        kind=payload.kind,
        on=payload.on,
        detail=payload.detail,
        at=timezone.now(),
    )
    return Status(201, event)
