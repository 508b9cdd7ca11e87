"""The demo history's timeline events, as the desk's services would have written them."""

from __future__ import annotations

from kefu.cases.models import Case, CaseEvent, Message

_KIND = {
    Message.Direction.INBOUND: "customer_wrote",
    Message.Direction.OUTBOUND: "replied",
    Message.Direction.NOTE: "note",
}


def events_save(cases: list[Case], messages: list[Message]) -> int:
    """Write the events of saved ``cases`` and ``messages``; returns how many."""
    events = [
        CaseEvent(
            case=case,
            at=case.created_at,
            actor=None,
            kind="opened",
            data={"channel": case.channel},
        )
        for case in cases
    ]
    events.extend(
        CaseEvent(
            case_id=message.case_id,
            at=message.created_at,
            actor=message.author,
            kind=_KIND[Message.Direction(message.direction)],
            data={"channel": message.channel},
        )
        for message in messages
    )
    for case in cases:
        for status, at in (("resolved", case.resolved_at), ("closed", case.closed_at)):
            if at is not None:
                before = "open" if status == "resolved" else "resolved"
                events.append(
                    CaseEvent(
                        case=case,
                        at=at,
                        actor=case.owner,
                        kind="status_changed",
                        data={"before": before, "after": status},
                    )
                )
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
