"""Delivery of outbound messages through channel adapters.

The channels app registers one adapter per channel when it starts, so the
desk never imports the channels (channels -> cases, one way only). An adapter
receives the message and returns the channel's id for it, or raises
``DeliveryError`` when the message could not be delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kefu.cases.models import Message
    from kefu.customers.models import Contact


class DeliveryError(Exception):
    """The channel refused or failed; ``permanent`` means retrying will not help."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


Adapter = Callable[["Message"], str]
Reachable = Callable[["Contact"], bool]
_ADAPTERS: dict[str, tuple[Adapter, Reachable]] = {}


def register(channel: str, adapter: Adapter, reachable: Reachable) -> None:
    """Register ``adapter`` for ``channel``; ``reachable`` says whether a contact has
    an address on it (an email address, a phone number, an IM handle)."""
    _ADAPTERS[channel] = (adapter, reachable)


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
