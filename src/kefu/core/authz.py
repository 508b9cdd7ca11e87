"""The one authorization layer: services call ``authorize`` before they act."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.text import format_lazy

from kefu.core.errors import PermissionDeniedError
from kefu.core.models import User
from kefu.core.roles import PERM_REFUSALS, Perm, whom_to_ask


class AuthzErrorCode(StrEnum):
    NOT_ALLOWED = "not_allowed"


def authorize(actor: User, perm: Perm) -> None:
    """Raise ``PermissionDeniedError`` unless ``actor``'s role grants ``perm``."""
    if not actor.has_role_perm(perm):
        raise not_allowed(actor, perm)


def refusal_text(actor: User, perm: Perm) -> str | Promise:
    """What ``perm`` is for and whom to ask, in the reader's language (lazy): the
    words of a refusal, never the internal code."""
    return format_lazy("{} {}", PERM_REFUSALS[perm], whom_to_ask(actor.role))


def not_allowed(actor: User, perm: Perm) -> PermissionDeniedError:
    """The refusal of ``perm`` to ``actor``: code ``not_allowed``, message in words."""
    return PermissionDeniedError(AuthzErrorCode.NOT_ALLOWED, refusal_text(actor, perm))
