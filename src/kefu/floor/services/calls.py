"""Queue calls: imported from the switch (CSV or API) or generated for a simulated day."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.errors import DomainError
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.floor.errors import FloorErrorCode
from kefu.floor.models import QueueCall
from kefu.floor.simulate import SimulatedCall

# One call never lasts a day; a bigger figure is a typo (and would overflow the column).
MAX_HANDLE_SECONDS = 86_400
MAX_CSV_BYTES = 20 * 1024 * 1024
CSV_COLUMNS = (
    "queue",
    "arrived_at",
    "answered_at",
    "abandoned_at",
    "agent",
    "handle_seconds",
    "external_id",
)


@dataclass(frozen=True)
class CallsImported:
    created: int
    skipped: int


def _when(value: str, *, line: int, column: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:  # well formed but impossible, like 2026-02-30
        parsed = None
    if parsed is None:
        raise DomainError(
            FloorErrorCode.CALLS_INVALID,
            _("Line %(line)s: %(column)s is not a date and time."),
            line=line,
            column=column,
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _call(row: Mapping[str, str], *, line: int, agents: Mapping[str, int]) -> QueueCall:
    arrived = _when(row.get("arrived_at", ""), line=line, column="arrived_at")
    answered = _when(row.get("answered_at", ""), line=line, column="answered_at")
    abandoned = _when(row.get("abandoned_at", ""), line=line, column="abandoned_at")
    queue = (row.get("queue") or "").strip()
    if arrived is None or not queue:
        raise DomainError(
            FloorErrorCode.CALLS_INVALID,
            _("Line %(line)s: queue and arrived_at are required."),
            line=line,
        )
    if answered is not None and abandoned is not None:
        raise DomainError(
            FloorErrorCode.CALLS_INVALID,
            _("Line %(line)s: a call is answered or abandoned, not both."),
            line=line,
        )
    if (answered or abandoned or arrived) < arrived:
        raise DomainError(
            FloorErrorCode.CALLS_INVALID,
            _("Line %(line)s: the call ends before it arrives."),
            line=line,
        )
    handle = (row.get("handle_seconds") or "0").strip() or "0"
    if not (handle.isascii() and handle.isdigit()) or int(handle) > MAX_HANDLE_SECONDS:
        raise DomainError(
            FloorErrorCode.CALLS_INVALID,
            _("Line %(line)s: handle_seconds must be a whole number of at most %(most)s."),
            line=line,
            most=MAX_HANDLE_SECONDS,
        )
    return QueueCall(
        queue_name=queue[:100],
        arrived_at=arrived,
        answered_at=answered,
        abandoned_at=abandoned,
        agent_id=agents.get((row.get("agent") or "").strip()),
        handle_seconds=int(handle),
        external_id=(row.get("external_id") or "").strip()[:100],
    )


@transaction.atomic
def queue_calls_import(
    *, actor: User | None, rows: Iterable[Mapping[str, str]], at: datetime
) -> CallsImported:
    """Store calls given as rows of ``CSV_COLUMNS`` (times ISO 8601, local when naive).

    All or nothing: one bad row refuses the whole batch with its line number.
    Rows whose ``external_id`` is already stored are skipped, so the same
    export can be imported twice. ``actor`` None is the command line.
    """
    if actor is not None:
        authorize(actor, Perm.PLAN_WORKFORCE)
    agents = dict(User.objects.values_list("username", "pk"))
    calls = [_call(row, line=n, agents=agents) for n, row in enumerate(rows, start=2)]
    known = set(
        QueueCall.objects.filter(
            external_id__in=[c.external_id for c in calls if c.external_id]
        ).values_list("queue_name", "external_id")
    )
    fresh = [c for c in calls if not c.external_id or (c.queue_name, c.external_id) not in known]
    QueueCall.objects.bulk_create(fresh, batch_size=1000)
    result = CallsImported(created=len(fresh), skipped=len(calls) - len(fresh))
    if actor is not None and fresh:
        audit_record(
            actor=actor,
            action="queue_calls.imported",
            target=actor,
            at=at,
            after={"created": result.created, "skipped": result.skipped},
        )
    return result


def queue_calls_import_csv(*, actor: User | None, data: bytes, at: datetime) -> CallsImported:
    """``queue_calls_import`` from a UTF-8 CSV file with a header row of ``CSV_COLUMNS``.

    A file over ``MAX_CSV_BYTES`` or not UTF-8 text is refused before any row is read.
    """
    if actor is not None:
        authorize(actor, Perm.PLAN_WORKFORCE)
    if len(data) > MAX_CSV_BYTES:
        raise DomainError(
            FloorErrorCode.CALLS_INVALID,
            _("The file is larger than %(megabytes)s MB; split it."),
            megabytes=MAX_CSV_BYTES // (1024 * 1024),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            FloorErrorCode.CALLS_INVALID, _("The file is not UTF-8 CSV text.")
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"queue", "arrived_at"} - set(reader.fieldnames or ())
    if missing:
        raise DomainError(
            FloorErrorCode.CALLS_INVALID,
            _("The CSV header lacks %(columns)s."),
            columns=", ".join(sorted(missing)),
        )
    return queue_calls_import(actor=actor, rows=list(reader), at=at)


def queue_calls_store_simulated(*, queue_name: str, calls: Iterable[SimulatedCall]) -> int:
    """Store generated calls (``kefu.floor.simulate``) for ``queue_name``; returns how many."""
    rows = [
        QueueCall(
            queue_name=queue_name,
            arrived_at=call.arrived_at,
            answered_at=call.answered_at,
            abandoned_at=call.abandoned_at,
            handle_seconds=call.handle_seconds,
        )
        for call in calls
    ]
    QueueCall.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
