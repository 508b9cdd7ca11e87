"""Notifications of collaboration on a case, as codes rendered when read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kefu.core.notifications import notification_kind_register

INVITED = notification_kind_register(
    "collab.invited",
    subject=_("%(inviter)s asks for your help on %(ref)s"),
    body=_("Your task: %(task)s (due %(due)s). You see the case and can add internal notes."),
)
TASK_DONE = notification_kind_register(
    "collab.task_done", subject=_("%(person)s finished their task on %(ref)s: %(task)s")
)
SIDE_REPLY = notification_kind_register(
    "collab.side_reply", subject=_("%(party)s answered the side conversation on %(ref)s")
)
CHECK_IN_DUE = notification_kind_register(
    "collab.check_in_due",
    subject=_("Check-in due on %(ref)s"),
    body=_("Post where things stand on %(ref)s as an internal note (every %(hours)s hours)."),
)
MEETING = notification_kind_register(
    "collab.meeting", subject=_("Meeting on %(ref)s at %(at)s: %(title)s")
)
TASK_FORCE = notification_kind_register(
    "collab.task_force", subject=_("You are in the task force %(name)s on %(ref)s")
)
