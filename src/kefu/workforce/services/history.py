"""Importing contact history per interval."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kefu.core.audit import audit_record
from kefu.core.authz import authorize
from kefu.core.models import User
from kefu.core.roles import Perm
from kefu.workforce import csv_io
from kefu.workforce.models import (
    HistoryInterval,
    Queue,
)

LOCAL = ZoneInfo("Asia/Shanghai")


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: rows created, rows replaced, lines refused (with why)."""

    imported: int
    updated: int
    rejected: list[csv_io.Rejected]
    queues: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
            "queues": self.queues,
        }


def _guess_interval(rows: Sequence[csv_io.HistoryRow]) -> int:
    """The most common gap between starts on one day (15, 30 or 60 minutes), else 30."""
    starts = sorted(row.interval_start.astimezone(LOCAL) for row in rows)
    gaps = Counter(
        round((later - earlier).total_seconds() / 60)
        for earlier, later in itertools.pairwise(starts)
        if earlier.date() == later.date()
    )
    for gap, _count in gaps.most_common():
        if gap in (15, 30, 60):
            return gap
    return 30


def _queue_for(name: str, rows: Sequence[csv_io.HistoryRow]) -> Queue:
    queue = Queue.objects.filter(name=name).first()
    if queue is None:
        queue = Queue.objects.create(name=name, interval_minutes=_guess_interval(rows))
    return queue


def history_import_csv(
    *, actor: User | None, data: bytes, at: datetime, default_queue: str = "default"
) -> ImportSummary:
    """Import history intervals; good rows are written, bad lines are returned with why.

    ``actor`` None is the operator at the command line. Queues named in the file
    are created with default targets when missing (interval length guessed from
    the file). A row for an interval already stored replaces it. A row whose
    start is not on its queue's interval grid is rejected. All good rows are
    written in one transaction and the import is audited per queue.
    """
    if actor is not None:
        authorize(actor, Perm.PLAN_WORKFORCE)
    if len(data) > csv_io.MAX_BYTES:
        return ImportSummary(
            0, 0, [csv_io.Rejected(1, str(_("The file is larger than 20 MB; split it.")))], []
        )
    parsed = csv_io.parse_history(csv_io.decode(data), default_queue=default_queue or "default")
    rejected = list(parsed.rejected)
    by_queue: dict[str, list[csv_io.HistoryRow]] = defaultdict(list)
    for row in parsed.rows:
        by_queue[row.queue].append(row)
    imported = updated = 0
    with transaction.atomic():
        for name, rows in sorted(by_queue.items()):
            queue = _queue_for(name, rows)
            good: list[csv_io.HistoryRow] = []
            for row in rows:
                local = row.interval_start.astimezone(LOCAL)
                if (local.hour * 60 + local.minute) % queue.interval_minutes:
                    rejected.append(
                        csv_io.Rejected(
                            row.line,
                            str(
                                _(
                                    "interval_start %(start)s is not on the %(minutes)s-minute "
                                    "grid of queue %(queue)s."
                                )
                            )
                            % {
                                "start": row.interval_start.isoformat(),
                                "minutes": queue.interval_minutes,
                                "queue": queue.name,
                            },
                        )
                    )
                else:
                    good.append(row)
            if not good:
                continue
            starts = [row.interval_start for row in good]
            existing = set(
                HistoryInterval.objects.filter(
                    queue=queue, interval_start__gte=min(starts), interval_start__lte=max(starts)
                ).values_list("interval_start", flat=True)
            )
            HistoryInterval.objects.bulk_create(
                [
                    HistoryInterval(
                        queue=queue,
                        interval_start=row.interval_start,
                        offered=row.offered,
                        answered=row.answered,
                        abandoned=row.abandoned,
                        aht_seconds=row.aht_seconds,
                    )
                    for row in good
                ],
                update_conflicts=True,
                unique_fields=["queue", "interval_start"],
                update_fields=["offered", "answered", "abandoned", "aht_seconds"],
                batch_size=1000,
            )
            replaced = sum(1 for start in starts if start in existing)
            updated += replaced
            imported += len(good) - replaced
            audit_record(
                actor=actor,
                action="workforce.history_import",
                target=queue,
                at=at,
                after={"imported": len(good) - replaced, "updated": replaced},
            )
    rejected.sort(key=lambda item: item.line)
    return ImportSummary(imported, updated, rejected, sorted(by_queue))
