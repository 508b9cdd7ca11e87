"""The one authorization layer: services call ``authorize`` before they act."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import PermissionDeniedError
from kefu.core.models import User
from kefu.core.roles import Perm


class AuthzErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"


def authorize(actor: User, perm: Perm) -> None:
    """Raise ``PermissionDeniedError`` unless ``actor``'s role grants ``perm``."""
    if not actor.has_role_perm(perm):
        raise PermissionDeniedError(
            AuthzErrorCode.NOT_ALLOWED,
            _("Your role does not allow this (%(perm)s)."),
            perm=str(perm),
        )
