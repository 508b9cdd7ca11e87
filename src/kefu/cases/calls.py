"""Calls an agent logs on the desk's pages, kept where the telephony's calls are kept.

The channels app registers the keeper of call records when it starts, as it registers
the delivery adapters (``cases.delivery``), so the desk never imports the channels
(channels -> cases, one way only). Without one, the case's history still records the
call (``call_logged``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kefu.cases.models import Case
    from kefu.core.models import User


@dataclass(frozen=True)
class LoggedCall:
    """One call an agent took or made: ``direction`` ``in`` or ``out``."""

    case: Case
    actor: User
    direction: str
    minutes: int
    customer_number: str
    at: datetime


CallKeeper = Callable[[LoggedCall], None]
_KEEPERS: list[CallKeeper] = []


def register(keeper: CallKeeper) -> None:
    """Register ``keeper`` (once) to store each call logged on the desk."""
    if keeper not in _KEEPERS:
        _KEEPERS.append(keeper)


def keep(call: LoggedCall) -> None:
    """Hand ``call`` to the registered keepers, inside the caller's transaction."""
    for keeper in _KEEPERS:
        keeper(call)
