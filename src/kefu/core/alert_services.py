"""Writes of staff alerts: plan the sends of one notification, deliver one send.

``staff_alerts_plan`` runs inside ``notification_send``: for an alert code (see
``kefu.core.staff_alerts.ALERT_CODES``) it writes one due row per place the alert
goes (the person's WeCom, each active robot of the person's team), and after the
commit a task tries them at once. A row that fails waits with a growing delay;
the clock job ``core.staff_alerts`` tries due rows again until they are sent or
fail for good (``KEFU_DELIVERY_MAX_ATTEMPTS``). The in-app notification is written
before and apart from all of this: a robot that is down never holds it back.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from kefu.core.alert_channels import AlertSendError, send_robot, send_wecom_app
from kefu.core.alert_models import (
    AlertChannel,
    StaffAlertDelivery,
    StaffAlertSetting,
    TeamAlertRobot,
    field_encrypt,
)
from kefu.core.models import Notification, Team, User
from kefu.core.staff_alerts import ALERT_CODES, AlertKind, AlertText
from kefu.core.timefmt import zone_of

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)


def _event_key(robot: TeamAlertRobot, notification: Notification) -> str:
    # The same event notifies several people at one instant with one code and the
    # same parameters: the team's robot posts it once.
    raw = json.dumps(
        [notification.code, notification.params, notification.link, str(notification.created_at)],
        sort_keys=True,
        default=str,
    )
    return f"robot:{robot.pk}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def staff_alerts_plan(*, notification: Notification) -> list[StaffAlertDelivery]:
    """Write the due rows that carry ``notification`` out of the product; returns them
    (none for a notification that is not an alert, or nobody configured)."""
    if notification.code not in ALERT_CODES:
        return []
    recipient = notification.recipient
    rows: list[StaffAlertDelivery] = []
    at = notification.created_at
    setting = StaffAlertSetting.objects.filter(user=recipient, wecom_app=True).first()
    if setting is not None and setting.wecom_user_id:
        rows.append(
            StaffAlertDelivery(
                notification=notification,
                channel=AlertChannel.WECOM_APP,
                event_key=f"wecom_app:{notification.pk}",
                created_at=at,
                due_at=at,
            )
        )
    if recipient.team_id is not None:
        rows.extend(
            StaffAlertDelivery(
                notification=notification,
                channel=robot.channel,
                robot=robot,
                event_key=_event_key(robot, notification),
                created_at=at,
                due_at=at,
            )
            for robot in TeamAlertRobot.objects.filter(team_id=recipient.team_id, is_active=True)
        )
    if not rows:
        return []
    StaffAlertDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    planned = list(
        StaffAlertDelivery.objects.filter(
            notification=notification, event_key__in=[row.event_key for row in rows]
        )
    )
    if planned:
        from kefu.core.tasks import staff_alerts_deliver as task

        ids = [row.pk for row in planned]
        transaction.on_commit(lambda: task.enqueue(delivery_ids=ids))
    return planned


def _text(delivery: StaffAlertDelivery) -> AlertText:
    notification = delivery.notification
    recipient = notification.recipient
    language = delivery.robot.language if delivery.robot is not None else recipient.language
    # Rendered now, from the code, in the reader's language (the robot's for a group).
    with translation.override(language), timezone.override(zone_of(recipient)):
        title, body = notification.shown_subject, notification.shown_body
    link = f"{settings.SITE_URL}{notification.link}" if notification.link else ""
    return AlertText(title=title, body=body, link=link)


def _send(delivery: StaffAlertDelivery, *, now: datetime) -> None:
    text = _text(delivery)
    if delivery.channel == AlertChannel.WECOM_APP:
        setting = StaffAlertSetting.objects.filter(
            user_id=delivery.notification.recipient_id
        ).first()
        if setting is None or not setting.wecom_app or not setting.wecom_user_id:
            raise AlertSendError("the person no longer takes WeCom alerts", permanent=True)
        send_wecom_app(text=text, wecom_user_id=setting.wecom_user_id, now=now)
        return
    robot = delivery.robot
    if robot is None or not robot.is_active:
        raise AlertSendError("the robot is gone or switched off", permanent=True, code="config")
    send_robot(kind=AlertKind(robot.channel), webhook=robot.webhook, secret=robot.secret, text=text)


def staff_alert_deliver(*, delivery_id: int, now: datetime) -> bool:
    """Try one due send; returns whether it went out now.

    The row is claimed with a compare-and-swap on its lease, so the task and the
    clock never send it twice at once; a sent or failed row is left alone.
    """
    due = Q(pk=delivery_id, status=StaffAlertDelivery.Status.PENDING, due_at__lte=now) & (
        Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    )
    claimed = StaffAlertDelivery.objects.filter(due).update(
        locked_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    delivery = StaffAlertDelivery.objects.select_related("notification__recipient", "robot").get(
        pk=delivery_id
    )
    try:
        _send(delivery, now=now)
    except Exception as exc:
        # Anything unforeseen counts as a failure to retry, so the row cannot stay
        # claimed for ever; only an AlertSendError may say retrying is useless.
        permanent = isinstance(exc, AlertSendError) and exc.permanent
        code = exc.code if isinstance(exc, AlertSendError) else type(exc).__name__
        limit = int(getattr(settings, "KEFU_DELIVERY_MAX_ATTEMPTS", 8))
        is_final = permanent or delivery.attempts >= limit
        logger.warning(
            "staff alert %s (%s) failed%s: %s",
            delivery.pk,
            delivery.channel,
            " for good" if is_final else "",
            exc,
        )
        delay = min(timedelta(seconds=30) * 2 ** min(delivery.attempts, 12), MAX_BACKOFF)
        StaffAlertDelivery.objects.filter(pk=delivery.pk).update(
            status=StaffAlertDelivery.Status.FAILED if is_final else F("status"),
            due_at=now + delay,
            locked_until=None,
            error_code=code[:40],
            last_error=str(exc)[:2000],
        )
        return False
    StaffAlertDelivery.objects.filter(pk=delivery.pk).update(
        status=StaffAlertDelivery.Status.SENT, sent_at=now, locked_until=None, last_error=""
    )
    return True


def staff_alerts_deliver_due(*, now: datetime, limit: int = 50) -> int:
    """Try every send due at ``now`` (up to ``limit``); returns how many went out."""
    ids: Iterable[int] = (
        StaffAlertDelivery.objects.filter(status=StaffAlertDelivery.Status.PENDING, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(staff_alert_deliver(delivery_id=pk, now=now) for pk in list(ids))


def team_alert_robot_save(
    *,
    robot: TeamAlertRobot | None = None,
    team: Team,
    name: str,
    channel: str,
    webhook: str,
    secret: str,
    language: str,
    is_active: bool = True,
) -> TeamAlertRobot:
    """Create or change a team's robot; an empty ``webhook`` or ``secret`` on an existing
    robot keeps the stored one (they are never shown again once saved)."""
    robot = robot or TeamAlertRobot(team=team)
    robot.team = team
    robot.name = name
    robot.channel = channel
    robot.language = language
    robot.is_active = is_active
    if webhook or not robot.webhook_ciphertext:
        robot.webhook_ciphertext = field_encrypt(webhook.strip())
    if secret:
        robot.secret_ciphertext = field_encrypt(secret.strip())
    robot.save()
    return robot


def staff_alert_setting_save(
    *, user: User, wecom_user_id: str, wecom_app: bool
) -> StaffAlertSetting:
    """Set whether ``user``'s alerts also go to their WeCom, and their WeCom user id."""
    setting, _created = StaffAlertSetting.objects.update_or_create(
        user=user, defaults={"wecom_user_id": wecom_user_id.strip(), "wecom_app": wecom_app}
    )
    return setting
