"""Background side effects of the core app. Each task fetches by id and is idempotent."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django_tasks import task

from kefu.core.models import Notification
from kefu.core.timefmt import zone_of


@task()
def notification_email(*, notification_id: int) -> bool:
    """Email one notification to its recipient; returns whether a mail went out.

    Safe to run twice: ``emailed_at`` is claimed with a compare-and-swap first,
    so a second run sends nothing.
    """
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    # Rendered now, in the recipient's language as it is when the mail goes out.
    recipient = notification.recipient
    with translation.override(recipient.language), timezone.override(zone_of(recipient)):
        subject, body = notification.shown_subject, notification.shown_body
    if notification.link:
        body = f"{body}\n\n{settings.SITE_URL}{notification.link}"
    try:
        send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
    except Exception:
        # Release the claim so a retry can send it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@task()
def staff_alerts_deliver(*, delivery_ids: list[int]) -> int:
    """Try the staff alerts just planned (WeCom, DingTalk, Feishu) at once; returns how
    many went out. A failed one is left due for the clock job to retry."""
    from kefu.core.alert_services import staff_alert_deliver

    now = timezone.now()
    return sum(staff_alert_deliver(delivery_id=pk, now=now) for pk in delivery_ids)
