from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from kefu.core.calendar_overrides import calendar_years_missing
from kefu.core.checks import missing_schedule_text
from kefu.core.models import User
from kefu.core.navigation import NavItem, navigation_for
from kefu.core.roles import Perm


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return {"nav_items": navigation_for(user)}
    return {"nav_items": []}


def calendar_warnings(request: HttpRequest) -> dict[str, object]:
    """For administrators: a banner per year the clocks will run on weekdays only
    (no holiday schedule imported), computed only when a page shows it."""
    user = getattr(request, "user", None)
    if not (isinstance(user, User) and user.is_authenticated):
        return {"calendar_warnings": []}
    if not user.has_role_perm(Perm.MANAGE_SETTINGS):
        return {"calendar_warnings": []}

    def warnings() -> list[str]:
        return [
            missing_schedule_text(item)
            for item in calendar_years_missing(today=timezone.localdate())
        ]

    return {"calendar_warnings": SimpleLazyObject(warnings)}
