"""Delivery of outbound messages through channel adapters.

The channels app registers one adapter per channel when it starts, so the
desk never imports the channels (channels -> cases, one way only). An adapter
receives the message and returns the channel's id for it, or raises
``DeliveryError`` when the message could not be delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from kefu.cases.models import Message
    from kefu.customers.models import Contact


class DeliveryError(Exception):
    """The channel refused or failed; ``permanent`` means retrying will not help.

    ``reason`` is the technical detail (for administrators); ``code`` is one of
    :class:`FailureCode`, what the agent reads, rendered in their language.
    """

    def __init__(self, reason: str, *, permanent: bool = False, code: str = "") -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.code = code or (FailureCode.REJECTED if permanent else FailureCode.UNAVAILABLE)


class FailureCode(StrEnum):
    """Why a delivery failed, in terms an agent can act on (stored on the message)."""

    NOT_CONFIGURED = "not_configured"
    NO_ADDRESS = "no_address"
    REFUSED = "refused"
    REJECTED = "rejected"
    UNAVAILABLE = "unavailable"
    NO_ADAPTER = "no_adapter"
    INTERRUPTED = "interrupted"
    # Template SMS (Aliyun, Tencent Cloud): no approved template for the purpose,
    # the provider refused the template, or the provider holds the number back.
    NO_TEMPLATE = "no_template"
    TEMPLATE_REJECTED = "template_rejected"
    LIMITED = "limited"
    # WeChat replies only within 48 hours of the customer's last message, five at most.
    WINDOW_CLOSED = "window_closed"


# Failures after which the desk sends the message again on the contact's next
# reachable channel by itself (cases.services.outbox.message_fall_back).
FALLBACK_CODES = frozenset({FailureCode.WINDOW_CLOSED})


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
    # What the notice is for (a ``channels.SmsPurpose`` value such as
    # "incident_first_notice"): template channels pick their approved template by it.
    purpose: str = ""
    # Where the whole notice can be read, as an absolute URL; "" lets the channel
    # link to its signed full-notice page of ``source``.
    link: str = ""
    # The record the notice renders ("incident_notice:<id>"), for the full-notice page.
    source: str = ""


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


TemplateLabel = Callable[[str], str]
_TEMPLATE_LABELS: dict[str, TemplateLabel] = {}


def register_template_label(channel: str, label: TemplateLabel) -> None:
    """Register how ``channel`` names the template it sends for a purpose (template
    SMS: "SMS_460002 · Incident first notice"), for the delivery lists."""
    _TEMPLATE_LABELS[channel] = label


def template_label(channel: str, purpose: str) -> str:
    """The template ``channel`` sends for ``purpose``, in the active language; "" if the
    channel sends no templates (or none is configured)."""
    label = _TEMPLATE_LABELS.get(channel)
    return label(purpose) if label is not None and purpose else ""


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


def is_registered(channel: str) -> bool:
    return channel in _ADAPTERS


@dataclass(frozen=True)
class ChannelOption:
    """One channel the agent may (or may not) reply on; ``why_not`` says why not."""

    channel: str
    reachable: bool
    why_not: str


def channel_options(contact: Contact, *, prefer: str | None = None) -> list[ChannelOption]:
    """Every registered channel for ``contact``, reachable ones first in the order of
    :func:`reachable_channels`; the others carry a sentence saying why not (in the
    active language)."""
    reachable = reachable_channels(contact, prefer=prefer)
    options = [ChannelOption(channel, True, "") for channel in reachable]
    options.extend(
        ChannelOption(channel, False, _no_address_text(channel))
        for channel in _ADAPTERS
        if channel not in reachable
    )
    return options


def _no_address_text(channel: str) -> str:
    texts = {
        "email": _("no e-mail address on file"),
        "sms": _("no mobile number on file"),
        "chat": _("no IM handle on file"),
        "wechat": _(
            "the WeChat window is closed (48 hours after the customer's last message, "
            "at most 5 replies)"
        ),
    }
    return texts.get(channel, _("no address on file for this channel"))


def failure_text(code: str, *, channel: str, attempts: int) -> str:
    """What the agent reads about a failed delivery, in the active language.

    ``channel`` is the channel's label. Unknown codes (rows from before codes
    were stored) read as the general sentence.
    """
    params = {"channel": channel, "attempts": attempts}
    texts: dict[str, str] = {
        FailureCode.NOT_CONFIGURED: _(
            "%(channel)s sending is not set up on this desk yet; ask an administrator, "
            "or send by another channel."
        ),
        FailureCode.NO_ADDRESS: _(
            "The customer has no address for %(channel)s; send by another channel."
        ),
        FailureCode.REFUSED: _(
            "The customer's %(channel)s address was refused; check it, or send by another channel."
        ),
        FailureCode.REJECTED: _(
            "The %(channel)s service rejected this message; send by another channel."
        ),
        FailureCode.UNAVAILABLE: _(
            "The %(channel)s service could not be reached after %(attempts)s attempts; "
            "resend later or send by another channel."
        ),
        FailureCode.NO_ADAPTER: _("This desk cannot send by %(channel)s; send by another channel."),
        FailureCode.INTERRUPTED: _(
            "Sending by %(channel)s was interrupted %(attempts)s times; resend it."
        ),
        FailureCode.NO_TEMPLATE: _(
            "No approved %(channel)s template is set up for this kind of message; ask an "
            "administrator, or send by another channel."
        ),
        FailureCode.TEMPLATE_REJECTED: _(
            "The %(channel)s provider refused the template of this message; ask an "
            "administrator to check it, or send by another channel."
        ),
        FailureCode.LIMITED: _(
            "The %(channel)s provider is holding back messages to this number for now "
            "(sending limit); resend later or send by another channel."
        ),
        FailureCode.WINDOW_CLOSED: _(
            "The %(channel)s reply window is closed: WeChat allows replies only within "
            "48 hours of the customer's last message, at most 5; send by another channel."
        ),
    }
    text = texts.get(code)
    if text is None:
        text = _("The message could not be delivered by %(channel)s.")
    return text % params
