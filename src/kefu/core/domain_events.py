"""Domain events other apps may listen to: an explicit registry, not a signal.

Apps low in the layers (incidents, quality, floor) call :func:`publish` at a few
points ("an incident was confirmed", "a survey was answered"); an app above them
(automation's outbound webhooks) :func:`subscribe`\\ s in its ``AppConfig.ready``.
``payload`` must be JSON values (ids, codes, ISO instants): no personal data a
receiver outside the desk should not read. Each subscriber runs in its own
savepoint; a failure is logged and never blocks the flow that published.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

from django.db import transaction

logger = logging.getLogger(__name__)

Subscriber = Callable[[str, Mapping[str, object], datetime], None]
_subscribers: dict[str, Subscriber] = {}


def subscribe(name: str, subscriber: Subscriber) -> None:
    """Call ``subscriber(code, payload, at)`` for every event; the same name replaces."""
    _subscribers[name] = subscriber


def publish(code: str, payload: Mapping[str, object], *, at: datetime) -> None:
    """Hand the event ``code`` (``incident.confirmed``) to every subscriber."""
    for name, subscriber in list(_subscribers.items()):
        try:
            with transaction.atomic():
                subscriber(code, payload, at)
        except Exception:
            logger.exception("domain event subscriber %s failed on %s", name, code)
