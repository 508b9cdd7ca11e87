from __future__ import annotations

from django.http import HttpRequest

from kefu.core.models import User
from kefu.core.navigation import NavItem, navigation_for


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return {"nav_items": navigation_for(user)}
    return {"nav_items": []}
