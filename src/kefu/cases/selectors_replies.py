"""Reads for the reply area of the case page: channels, the agent's draft, who
else is there, what changed since the page was loaded, the history's lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kefu.cases import delivery
from kefu.cases.events import event_text
from kefu.cases.models import Case, CaseEvent, CasePresence, Message, ReplyDraft
from kefu.core.models import User
from kefu.customers.models import Channel

# A colleague whose page has not polled for this long has left.
PRESENCE_WINDOW = timedelta(seconds=30)
# A draft saved this recently means its author is typing.
TYPING_WINDOW = timedelta(seconds=10)


@dataclass(frozen=True)
class Colleague:
    user: User
    is_typing: bool


@dataclass(frozen=True)
class Failure:
    """An undelivered outbound message as the agent reads it."""

    text: str
    detail: str
    resent: bool


def reply_channels(case: Case) -> list[delivery.ChannelOption]:
    """The channels the agent may reply on, the preselected one first."""
    return delivery.channel_options(case.contact, prefer=case.channel)


def reply_draft_for(*, case: Case, actor: User) -> ReplyDraft | None:
    return ReplyDraft.objects.filter(case=case, user=actor).first()


def case_colleagues(*, case: Case, actor: User, now: datetime) -> list[Colleague]:
    """Who else has ``case`` open (polled within ``PRESENCE_WINDOW``) or is typing a
    reply on it (a draft saved within ``TYPING_WINDOW``), by name."""
    present = {
        row.user_id: row.user
        for row in CasePresence.objects.filter(
            case=case, seen_at__gte=now - PRESENCE_WINDOW
        ).select_related("user")
        if row.user_id != actor.pk
    }
    typing = {
        draft.user_id: draft.user
        for draft in ReplyDraft.objects.filter(
            case=case, updated_at__gte=now - TYPING_WINDOW
        ).select_related("user")
        if draft.user_id != actor.pk
    }
    users = {**present, **typing}
    return [
        Colleague(user=user, is_typing=user_id in typing)
        for user_id, user in sorted(users.items(), key=lambda item: str(item[1]))
    ]


def case_changes_since(*, case: Case, since: datetime) -> tuple[list[Message], list[CaseEvent]]:
    """Messages and history events added to ``case`` after ``since``."""
    messages = list(case.messages.filter(created_at__gt=since).select_related("author", "contact"))
    events = list(case.events.filter(at__gt=since).select_related("actor"))
    return messages, events


def message_failure(message: Message) -> Failure | None:
    """Why ``message`` was not delivered, in the active language (None: it was, or is
    still on its way). ``detail`` is the channel's own words, for administrators."""
    if message.delivery_status not in ("failed", "resent") or not (
        message.delivery_error_code or message.delivery_error
    ):
        return None
    text = delivery.failure_text(
        message.delivery_error_code,
        channel=_channel_label(message.channel),
        attempts=message.delivery_attempts,
    )
    return Failure(
        text=text, detail=message.delivery_error, resent=message.delivery_status == "resent"
    )


def history_lines(
    events: Iterable[CaseEvent], *, undelivered: set[int]
) -> list[tuple[CaseEvent, str]]:
    """Each event with its line; a reply whose message is in ``undelivered`` reads
    as not delivered, not as "replied by SMS"."""
    lines = []
    for event in events:
        shown = event
        if event.kind == "replied" and event.data.get("message") in undelivered:
            shown = CaseEvent(
                case_id=event.case_id, at=event.at, kind="reply_not_delivered", data=event.data
            )
        lines.append((event, event_text(shown)))
    return lines


def undelivered_ids(messages: Iterable[Message]) -> set[int]:
    return {m.pk for m in messages if m.delivery_status in ("failed", "resent", "undeliverable")}


def _channel_label(channel: str) -> str:
    try:
        return str(Channel(channel).label)
    except ValueError:
        return channel
