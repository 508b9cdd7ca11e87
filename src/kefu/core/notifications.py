"""Notifications as a code plus parameters, rendered for the reader when read.

Each app lists its kinds of notification in ``<app>/notification_kinds.py``
(found once, as the admin finds ``admin.py``): a code, a lazily translated
subject and body with named placeholders, and optionally a function turning the
stored parameters into display values (a label from a code, a list in words).
The notification row keeps the code and the parameters; the page, the API and
the e-mail render them in the reader's language and time zone, so switching to
English turns old notifications English too. Rows written before codes existed
(and plain-text notices) keep their stored subject and body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from kefu.core.timefmt import display_value

Params = dict[str, Any]


@dataclass(frozen=True)
class NotificationKind:
    code: str
    subject: str | Promise
    # None: the body is the ``body`` parameter as written (text a colleague typed).
    body: str | Promise | None = None
    prepare: Callable[[Params], Params] | None = None


_KINDS: dict[str, NotificationKind] = {}
_state = {"discovered": False}


def notification_kind_register(
    code: str,
    *,
    subject: str | Promise,
    body: str | Promise | None = None,
    prepare: Callable[[Params], Params] | None = None,
) -> str:
    """Declare one kind of notification; returns ``code`` for the caller to keep."""
    _KINDS[code] = NotificationKind(code=code, subject=subject, body=body, prepare=prepare)
    return code


def notification_kind(code: str) -> NotificationKind | None:
    """The registered kind ``code``, or None when no app declares it."""
    if code not in _KINDS and not _state["discovered"]:
        _state["discovered"] = True
        autodiscover_modules("notification_kinds")
    return _KINDS.get(code)


def params_store(params: Mapping[str, object]) -> Params:
    """``params`` as JSON values: instants and days as ISO strings (read back in
    the reader's time zone), lazily translated text as the text it is now."""
    stored: Params = {}
    for key, value in params.items():
        if isinstance(value, datetime | date):
            stored[key] = value.isoformat()
        elif isinstance(value, str | int | float | bool) or value is None:
            stored[key] = value
        elif isinstance(value, list | tuple):
            stored[key] = [str(item) for item in value]
        else:
            stored[key] = str(value)
    return stored


def notification_render(code: str, params: Mapping[str, object]) -> tuple[str, str] | None:
    """(subject, body) of a ``code`` notification in the active language and time
    zone, or None when the code is unknown or its parameters do not fit."""
    kind = notification_kind(code)
    if kind is None:
        return None
    values: Params = dict(params)
    try:
        if kind.prepare is not None:
            values = kind.prepare(values)
        shown = {key: display_value(value) for key, value in values.items()}
        subject = str(kind.subject) % shown
        body = str(kind.body) % shown if kind.body is not None else str(values.get("body", ""))
    except (KeyError, TypeError, ValueError):
        return None
    return subject, body
