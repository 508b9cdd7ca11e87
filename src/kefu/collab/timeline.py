"""How collaboration events read in a case's history (rendered at read time)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.cases.events import register_event_text

register_event_text(
    "collab_invited",
    lambda d: _("Asked %(person)s (%(department)s) to help: %(task)s") % d,
)
register_event_text("collab_task_done", lambda d: _("%(person)s finished their task: %(task)s") % d)
register_event_text(
    "collab_side_started", lambda d: _("Side conversation started with %(party)s") % d
)
register_event_text(
    "collab_side_reply", lambda d: _("%(party)s answered the side conversation") % d
)
register_event_text("collab_meeting", lambda d: _("Meeting scheduled at %(starts)s: %(title)s") % d)
register_event_text("collab_check_in_set", lambda d: _("Check-in every %(hours)s hours") % d)
register_event_text("collab_check_in_stopped", lambda d: _("Check-in rhythm stopped"))
register_event_text(
    "collab_check_in_due", lambda d: _("Check-in due: everyone on the case reminded")
)
register_event_text(
    "collab_task_force", lambda d: _("Task force %(name)s formed, led by %(lead)s") % d
)
