"""Case hooks: what happened to a case, handed to the apps that act on it.

The case services call :func:`case_hook` at the end of each core flow (a case
opened, the customer or an agent replied, the status changed, the coach flagged
a message, an SLA warning or breach, a CSAT answer). Apps above ``cases`` in the
layers (automation triggers, routing) register a handler in their
``AppConfig.ready``; this is an explicit, ordered registry, not a signal.

Each handler runs inside its own savepoint: one that fails is logged and rolled
back alone, and never blocks intake. A handler's own writes may call
:func:`case_hook` again (a trigger that sets the status); past
:data:`MAX_DEPTH` nested calls the event is dropped with a log line, so two
rules that answer each other cannot loop.
"""

from __future__ import annotations

import contextvars
import copy
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from kefu.cases.models import Case
    from kefu.core.models import User

logger = logging.getLogger(__name__)

# The codes handlers can receive, with what ``context`` carries for each.
CASE_OPENED = "case_opened"  # message: Message (the first customer message)
CUSTOMER_REPLIED = "customer_replied"  # message: Message, reopened: bool
AGENT_REPLIED = "agent_replied"  # message: Message
STATUS_CHANGED = "status_changed"  # before: str, after: str
COACH_FLAGGED = "coach_flagged"  # message: Message, upset: bool, threat: bool
SLA_WARNING = "sla_warning"  # target: str ("first_response" / "resolution"), share: float
SLA_BREACHED = "sla_breached"  # target: str
CSAT_ANSWERED = "csat_answered"  # score: int
CODES = (
    CASE_OPENED,
    CUSTOMER_REPLIED,
    AGENT_REPLIED,
    STATUS_CHANGED,
    COACH_FLAGGED,
    SLA_WARNING,
    SLA_BREACHED,
    CSAT_ANSWERED,
)

MAX_DEPTH = 3


@dataclass
class CaseHookEvent:
    case: Case
    code: str
    at: datetime
    actor: User | None
    context: dict[str, Any] = field(default_factory=dict)
    depth: int = 0
    #: Whether ``case`` holds what is stored, with its contact, organisation and team
    #: loaded: the caller wrote every change onto it (``case_open``). A handler that
    #: changes the case, or fails, makes it False; see :func:`case_of`.
    case_current: bool = False


def case_of(event: CaseHookEvent, *related: str) -> Case:
    """The event's case as stored now, for a handler to read and change: a copy of
    ``event.case`` while it is current (no query), else read again with ``related``."""
    from kefu.cases.models import Case

    if event.case_current:
        return copy.copy(event.case)
    return Case.objects.select_related(*related).get(pk=event.case.pk)


Handler = Callable[[CaseHookEvent], None]

_handlers: list[tuple[int, str, Handler]] = []
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("kefu_case_hook_depth", default=0)
_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("kefu_case_hook_muted", default=False)


def register(name: str, handler: Handler, *, order: int = 100) -> None:
    """Add ``handler`` (lower ``order`` runs first); registering a name again replaces it."""
    _handlers[:] = [item for item in _handlers if item[1] != name]
    _handlers.append((order, name, handler))
    _handlers.sort(key=lambda item: (item[0], item[1]))


def registered() -> list[str]:
    return [name for _, name, _ in _handlers]


@contextmanager
def muted() -> Iterator[None]:
    """No hooks inside (bulk imports, the demo loader, merges that replay history)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def case_hook(
    case: Case,
    code: str,
    *,
    at: datetime,
    actor: User | None = None,
    case_current: bool = False,
    **context: Any,
) -> None:
    """Hand the event to every registered handler, in order, each in its own savepoint.

    ``case_current``: ``case`` is exactly what is stored, related rows included, so
    handlers may read it without a query (``case_of``)."""
    if code not in CODES:
        raise ValueError(f"unknown case hook {code!r}")
    if _muted.get() or not _handlers:
        return
    depth = _depth.get()
    if depth >= MAX_DEPTH:
        logger.warning(
            "case hook %s on case %s dropped at depth %s (a rule answering a rule)",
            code,
            case.pk,
            depth,
        )
        return
    event = CaseHookEvent(
        case=case,
        code=code,
        at=at,
        actor=actor,
        context=context,
        depth=depth,
        case_current=case_current,
    )
    token = _depth.set(depth + 1)
    try:
        for _order, name, handler in _handlers:
            try:
                with transaction.atomic():
                    handler(event)
            except Exception:
                # Its writes are rolled back, but not whatever it held in memory.
                event.case_current = False
                logger.exception(
                    "case hook handler %s failed on %s for case %s", name, code, case.pk
                )
    finally:
        _depth.reset(token)
