"""Delivery of outbound messages through channel adapters.

The channels app registers one adapter per channel when it starts, so the
desk never imports the channels (channels -> cases, one way only). An adapter
receives the message and returns the channel's id for it, or raises
``DeliveryError`` when the message could not be delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kefu.cases.models import Message
    from kefu.customers.models import Contact


class DeliveryError(Exception):
    """The channel refused or failed; ``permanent`` means retrying will not help."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class Notice:
    """A message to one contact that belongs to no case: an incident notice.

    ``key`` is unique per notice and channel; senders derive the channel's
    message id from it, so a notice sent twice is recognisable as the same one.
    """

    contact: Contact
    subject: str
    body: str
    reference: str
    key: str


Adapter = Callable[["Message"], str]
NoticeSender = Callable[[Notice], str]
Reachable = Callable[["Contact"], bool]
_ADAPTERS: dict[str, tuple[Adapter, Reachable]] = {}
_NOTICE_SENDERS: dict[str, NoticeSender] = {}


def register(
    channel: str, adapter: Adapter, reachable: Reachable, notice: NoticeSender | None = None
) -> None:
    """Register ``adapter`` for ``channel``; ``reachable`` says whether a contact has
    an address on it (an email address, a phone number, an IM handle); ``notice``
    sends a :class:`Notice` that belongs to no case."""
    _ADAPTERS[channel] = (adapter, reachable)
    if notice is not None:
        _NOTICE_SENDERS[channel] = notice


def notice_sender_for(channel: str) -> NoticeSender | None:
    return _NOTICE_SENDERS.get(channel)


def adapter_for(channel: str) -> Adapter | None:
    entry = _ADAPTERS.get(channel)
    return entry[0] if entry else None


def reachable_channels(contact: Contact, *, prefer: str | None = None) -> list[str]:
    """Channels the contact can be reached on, ``prefer`` first, then the contact's
    preferred order, then any other registered channel."""
    order: list[str] = []
    for channel in [prefer, *contact.preferred_channels, *_ADAPTERS]:
        if channel and channel not in order and channel in _ADAPTERS:
            order.append(channel)
    return [c for c in order if _ADAPTERS[c][1](contact)]
