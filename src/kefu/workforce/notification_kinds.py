"""The notifications workforce planning sends, as codes rendered for the reader when
read (:mod:`kefu.core.notifications`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.core.notifications import notification_kind_register

SCHEDULE_PUBLISHED = notification_kind_register(
    "workforce.schedule_published",
    subject=_("Your schedule for the week of %(week)s is published"),
    body=_("Open My schedule to see your shifts, breaks and meal."),
)
