"""Template tags of the reply area: why a message was not delivered, in words."""

from __future__ import annotations

from django import template

from kefu.cases.models import Message
from kefu.cases.selectors_replies import Failure, message_failure

register = template.Library()


@register.simple_tag
def delivery_failure(message: Message) -> Failure | None:
    """Why ``message`` was not delivered, in the reader's language (None if it was)."""
    return message_failure(message)


@register.simple_tag
def channel_name(channel: str) -> str:
    """The channel's label in the reader's language."""
    from kefu.cases.services.cases import channel_label

    return channel_label(channel)
