"""Pages of search results: the page and a count that stops one past its end.

A search lists the newest matches first (``selectors.case_list_for``). Counting
every match of a common bigram costs more than the page (a scan of the table on
PostgreSQL at a million cases), so a search counts along the same newest-first
walk and stops one past the end of the page asked for: "more than 50" on the
first page. Both reads run in one transaction, on PostgreSQL without JIT or
parallel workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

from kefu.core.pagination import COUNT_CAP, CappedLimitOffsetPagination, capped_count


def search_count_cap(*, offset: int, limit: int) -> int:
    """How far a search's results are counted: to the end of the page asked for (at
    least one page, at most ``COUNT_CAP``). The count reads one more row to tell
    "exactly N" from "more than N"."""
    return max(limit, min(offset + limit, COUNT_CAP))


@contextmanager
def search_reads() -> Iterator[None]:
    """One transaction for a search's page and count; on PostgreSQL without JIT.

    Both walk the results in order and stop after a page or the count's cap.
    PostgreSQL turns JIT and parallel workers on for queries it estimates as
    costly, and starting either took longer than such a short walk.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Parallel workers start in about 20 ms on a busy machine, more than
                # the whole serial walk of a page takes.
                cursor.execute("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0")
        yield


class CaseListPagination(CappedLimitOffsetPagination):
    """The case list's pages: ``count`` stops at 1,001; a search's (``q``) at one past
    the end of the page asked for, counted along the results' own order
    (``search_reads``). ``more_than`` is set when the count stopped."""

    class Output(Schema):
        items: list[Any]
        count: int
        more_than: int | None = Field(
            None, description="Set when `count` stopped at its cap: more than this many."
        )

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> Any:
        offset, limit = pagination.offset, pagination.limit
        if not str(request.GET.get("q", "")).strip():
            count = capped_count(queryset)
            return {
                "items": queryset[offset : offset + limit],
                "count": count,
                "more_than": COUNT_CAP if count > COUNT_CAP else None,
            }
        cap = search_count_cap(offset=offset, limit=limit)
        with search_reads():
            items = list(queryset[offset : offset + limit])
            count = capped_count(queryset, cap=cap, ordered=True)
        return {"items": items, "count": count, "more_than": cap if count > cap else None}
