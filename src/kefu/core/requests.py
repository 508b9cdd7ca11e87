"""The signed-in staff member of a request, for views and API endpoints."""

from __future__ import annotations

from django.http import HttpRequest

from kefu.core.models import User


def request_user(request: HttpRequest) -> User:
    """The request's user, typed; ``login_required`` or the API's auth guarantees one."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  (guaranteed by the callers' guards)
    return user
