"""Status-page subscriptions by e-mail: asked for, confirmed by a link, unsubscribed by
a link in every mail; each public update mailed once to each confirmed subscriber
(the clock job ``portal.status_mail``, every minute).

The links carry a signed token (subscriber and purpose), not a stored secret.
Asking again for an address already subscribed sends the confirmation again and
says the same as for a new one, so the form tells nobody who subscribes.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.errors import DomainError
from kefu.incidents.models import Notice
from kefu.portal.errors import PortalErrorCode
from kefu.portal.models import StatusMailing, StatusSubscriber
from kefu.portal.selectors_status import UPDATE_KINDS, public_incidents, status_page_on

logger = logging.getLogger(__name__)

_SALT = "kefu.portal.status"
CONFIRM = "c"
UNSUBSCRIBE = "u"
# Updates older than this when the job first sees them are not mailed any more.
MAIL_WINDOW = timedelta(days=2)


def subscriber_token(subscriber: StatusSubscriber, purpose: str) -> str:
    return signing.dumps([subscriber.pk, purpose], salt=_SALT)


def _link(subscriber: StatusSubscriber, purpose: str) -> str:
    name = "status:confirm" if purpose == CONFIRM else "status:unsubscribe"
    path = reverse(name, args=[subscriber_token(subscriber, purpose)])
    return f"{str(settings.SITE_URL).rstrip('/')}{path}"


def subscriber_for_token(token: str, purpose: str) -> StatusSubscriber:
    """The subscriber a link names; ``DomainError`` (``bad_link``) for any other token."""
    try:
        pk, signed_purpose = signing.loads(token, salt=_SALT, max_age=timedelta(days=365))
    except (signing.BadSignature, ValueError, TypeError):
        pk, signed_purpose = None, None
    found = StatusSubscriber.objects.filter(pk=pk).first() if signed_purpose == purpose else None
    if found is None:
        raise DomainError(PortalErrorCode.BAD_LINK, gettext_lazy("This link is not valid."))
    return found


def subscribe(*, email: str, language: str, at: datetime) -> None:
    """Ask to be mailed the status page's updates; a confirmation link is mailed."""
    if not status_page_on():
        raise DomainError(
            PortalErrorCode.STATUS_PAGE_OFF, gettext_lazy("The status page is not open.")
        )
    address = email.strip().lower()
    try:
        with transaction.atomic():
            subscriber, _created = StatusSubscriber.objects.get_or_create(
                email=address, defaults={"language": language, "created_at": at}
            )
    except IntegrityError:
        subscriber = StatusSubscriber.objects.get(email=address)
    if subscriber.unsubscribed_at is not None or subscriber.confirmed_at is None:
        StatusSubscriber.objects.filter(pk=subscriber.pk).update(
            language=language, unsubscribed_at=None, confirmed_at=None
        )
        subscriber.language = language
    with translation.override(subscriber.language):
        _mail(
            subscriber,
            subject=_("Confirm your status updates"),
            body=_(
                "Open this link to receive the service status updates by e-mail:\n%(link)s\n\n"
                "If you did not ask for them, ignore this message."
            )
            % {"link": _link(subscriber, CONFIRM)},
        )


def subscription_confirm(*, subscriber: StatusSubscriber, at: datetime) -> None:
    StatusSubscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True).update(
        confirmed_at=at, unsubscribed_at=None
    )


def subscription_end(*, subscriber: StatusSubscriber, at: datetime) -> None:
    StatusSubscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=at
    )


def _mail(subscriber: StatusSubscriber, *, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [subscriber.email])
    except OSError as exc:
        logger.warning("status mail to subscriber %s failed: %s", subscriber.pk, exc)


def status_mail_updates(*, at: datetime) -> int:
    """Mail every public update not yet mailed to each confirmed subscriber; returns
    how many mails went. Safe to run twice: a (subscriber, update) pair goes once."""
    if not status_page_on():
        return 0
    notices = list(
        Notice.objects.filter(
            incident__in=public_incidents(),
            status=Notice.Status.SENT,
            kind__in=UPDATE_KINDS,
            sent_at__gte=at - MAIL_WINDOW,
        )
        .select_related("incident")
        .order_by("sent_at", "pk")
    )
    if not notices:
        return 0
    sent = 0
    for subscriber in StatusSubscriber.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ):
        for notice in notices:
            if notice.sent_at is None or subscriber.confirmed_at is None:
                continue
            if notice.sent_at < subscriber.confirmed_at:
                continue
            try:
                with transaction.atomic():
                    StatusMailing.objects.create(subscriber=subscriber, notice=notice, sent_at=at)
            except IntegrityError:
                continue
            with translation.override(subscriber.language):
                _mail(
                    subscriber,
                    subject=notice.subject_in(subscriber.language),
                    body=_("%(body)s\n\nStop these mails: %(link)s")
                    % {
                        "body": notice.body_in(subscriber.language),
                        "link": _link(subscriber, UNSUBSCRIBE),
                    },
                )
            sent += 1
    return sent
