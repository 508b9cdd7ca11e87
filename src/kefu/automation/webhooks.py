"""Outbound webhooks: signed events to subscribed URLs, retried with backoff.

Each event becomes one :class:`WebhookDelivery` per subscription listening to
it, with an event id the receiver can dedupe on. The body is JSON::

    {"id": "<event id>", "event": "case.opened", "created_at": "<ISO>", "data": {...}}

sent with the headers

- ``X-Kefu-Event``: the event code;
- ``X-Kefu-Event-Id``: the event id (the same on every retry);
- ``X-Kefu-Timestamp``: Unix seconds when this attempt was signed;
- ``X-Kefu-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``<timestamp>.<body>``
  with the subscription's secret.

A 2xx answer delivers it; anything else (or no answer) is retried after 30 s,
1, 2, 4, 8 ... minutes (at most an hour apart) up to ``MAX_ATTEMPTS``, then
failed and the subscription's author notified. Retries are enqueued on the
task queue by the clock (``automation.webhooks``) when they fall due.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kefu.automation.errors import AutomationErrorCode
from kefu.automation.models import WebhookDelivery, WebhookSubscription
from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.process_cache import TtlCache
from kefu.core.roles import Perm
from kefu.core.services import notification_send

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)

CASE_EVENTS = (
    "case.opened",
    "case.customer_replied",
    "case.agent_replied",
    "case.status_changed",
    "case.coach_flagged",
    "case.sla_warning",
    "case.sla_breached",
    "case.csat_answered",
)
OTHER_EVENTS = (
    "incident.confirmed",
    "incident.resumed",
    "survey.answered",
)
# Published by kefu.floor.services (ids, codes and instants; no names, notes or reasons).
FLOOR_EVENTS = (
    "floor.hand_raised",
    "floor.hand_answered",
    "floor.hand_lowered",
    "floor.break_started",
    "floor.break_ended",
    "floor.meal_at_risk",
    "floor.leave_recorded",
)
EVENTS = (*CASE_EVENTS, *OTHER_EVENTS, *FLOOR_EVENTS, "rule.fired")


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` with ``secret``."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def webhook_save(
    *,
    actor: User,
    name: str,
    url: str,
    events: list[str],
    at: datetime,
    subscription: WebhookSubscription | None = None,
    is_active: bool = True,
) -> WebhookSubscription:
    """Create or change a subscription (administrators). A new one gets a random secret."""
    authorize(actor, Perm.MANAGE_SETTINGS)
    if not url.startswith(("http://", "https://")):
        raise DomainError(
            AutomationErrorCode.INVALID_WEBHOOK, _("url: give an http:// or https:// address.")
        )
    unknown = [code for code in events if code not in EVENTS]
    if unknown or not events:
        raise DomainError(
            AutomationErrorCode.INVALID_WEBHOOK,
            _("events: use one or more of %(events)s."),
            events=", ".join(EVENTS),
        )
    if subscription is None:
        subscription = WebhookSubscription.objects.create(
            name=name.strip()[:100] or url[:100],
            url=url,
            events=events,
            secret=secrets.token_urlsafe(32),
            is_active=is_active,
            created_by=actor,
            created_at=at,
        )
    else:
        subscription.name, subscription.url = name.strip()[:100] or url[:100], url
        subscription.events, subscription.is_active = events, is_active
        subscription.save(update_fields=["name", "url", "events", "is_active"])
    active_subscriptions.clear()
    audit_record(
        actor=actor,
        action="automation.webhook_saved",
        target=subscription,
        at=at,
        after={"url": url, "events": events},
    )
    return subscription


def _delivery(
    subscription: WebhookSubscription, *, event: str, payload: Mapping[str, object], at: datetime
) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=uuid.uuid4().hex,
        event=event,
        payload=dict(payload),
        created_at=at,
        next_attempt_at=at,
    )
    from kefu.automation.tasks import webhook_deliver_task

    transaction.on_commit(lambda: webhook_deliver_task.enqueue(delivery_id=delivery.pk))
    return delivery


def _active_load() -> list[WebhookSubscription]:
    return list(WebhookSubscription.objects.filter(is_active=True).order_by("pk"))


#: The active subscriptions, read once per process for a while: every case event
#: asks for them. ``webhook_save`` clears it; a subscription changed elsewhere (the
#: admin, another process) is seen within ``process_cache.CACHE_SECONDS``.
active_subscriptions: TtlCache[list[WebhookSubscription]] = TtlCache(_active_load)


def webhook_publish(event: str, payload: Mapping[str, object], at: datetime) -> int:
    """Queue ``event`` to every active subscription listening to it; returns how many."""
    subscriptions = [s for s in active_subscriptions.get() if event in (s.events or [])]
    for subscription in subscriptions:
        _delivery(subscription, event=event, payload=payload, at=at)
    return len(subscriptions)


def webhook_send_to(
    *, subscription_id: int, event: str, payload: Mapping[str, object], at: datetime
) -> WebhookDelivery:
    """Queue ``event`` to one subscription (a rule's ``webhook`` action)."""
    subscription = WebhookSubscription.objects.filter(pk=subscription_id, is_active=True).first()
    if subscription is None:
        raise DomainError(
            AutomationErrorCode.ACTION_FAILED,
            _("The webhook %(id)s no longer exists or is switched off."),
            id=str(subscription_id),
        )
    return _delivery(subscription, event=event, payload=payload, at=at)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        {
            "id": delivery.event_id,
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min ... 1 h."""
    wait: timedelta = FIRST_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(wait, MAX_BACKOFF)


def _claimable(now: datetime) -> Q:
    return Q(status__in=["pending", "retrying"], next_attempt_at__lte=now)


def webhook_deliver(*, delivery_id: int, now: datetime) -> str:
    """Make one attempt at ``delivery_id`` if it is due; returns its new status.

    The row is claimed (-> sending) with a compare-and-swap, so two workers never
    send the same attempt twice. Safe to run twice.
    """
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(_claimable(now))
        .update(status=WebhookDelivery.Status.SENDING, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    body = body_of(delivery)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "kefu-webhooks/1",
        "X-Kefu-Event": delivery.event,
        "X-Kefu-Event-Id": delivery.event_id,
        "X-Kefu-Timestamp": str(timestamp),
        "X-Kefu-Signature": sign(secret=subscription.secret, timestamp=timestamp, body=body),
    }
    status: int | None = None
    error = ""
    if not subscription.url.startswith(("http://", "https://")):
        error = "not an http(s) URL"
    else:
        try:
            status = _post(subscription.url, body, headers)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            error = f"cannot reach the receiver: {exc}"[:300]
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.DELIVERED,
            response_status=status,
            error="",
            delivered_at=now,
            next_attempt_at=None,
        )
        return WebhookDelivery.Status.DELIVERED
    error = error or f"HTTP {status}"
    if delivery.attempts >= MAX_ATTEMPTS:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.FAILED,
            response_status=status,
            error=error,
            next_attempt_at=None,
        )
        notification_send(
            recipient=subscription.created_by,
            link="/automation/webhooks/",
            at=now,
            code="automation.webhook_failed",
            params={
                "name": subscription.name,
                "event": delivery.event,
                "attempts": delivery.attempts,
                "error": error,
            },
        )
        return WebhookDelivery.Status.FAILED
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=WebhookDelivery.Status.RETRYING,
        response_status=status,
        error=error,
        next_attempt_at=now + backoff(delivery.attempts),
    )
    return WebhookDelivery.Status.RETRYING


def webhook_deliveries_due(*, now: datetime, limit: int = 200) -> list[int]:
    """Ids of deliveries due for an attempt (the clock enqueues them); a row stuck
    sending for ten minutes (the worker died) is due again."""
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING,
        next_attempt_at__lt=now - timedelta(minutes=10),
    ).update(status=WebhookDelivery.Status.RETRYING)
    return list(
        WebhookDelivery.objects.filter(_claimable(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
