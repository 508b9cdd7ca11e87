"""Pagination whose cost does not grow with the table: counts stop at a cap.

Counting a million matching rows to print "page 1 of 20,000" costs more than
the page itself; past ``COUNT_CAP`` the count reads as "more than 1,000": nobody pages that far,
they filter or search.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

COUNT_CAP = 1_000
# Bounds on ?limit= and ?offset=: past them the request is a 422, not a database
# overflow (SQLite and PostgreSQL take 64-bit LIMIT/OFFSET at most).
MAX_LIMIT = 1_000
MAX_OFFSET = 1_000_000_000


def capped_count(items: Any, *, cap: int = COUNT_CAP, ordered: bool = False) -> int:
    """The number of ``items``, but at most ``cap + 1``.

    ``ordered`` keeps the list's ordering in the counting subquery, so the database
    counts along the plan that reads the page (a search walking the newest cases
    stops after ``cap + 1`` matches instead of scanning the table for them).
    """
    if isinstance(items, QuerySet):
        # Without joins, and without ordering unless asked: only the matching ids count.
        rows = items.values("pk") if ordered else items.order_by().values("pk")
        return rows[: cap + 1].count()
    return len(items)


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Django's paginator counting at most ``cap + 1`` items (see ``capped_count``)."""

    def __init__(
        self, *args: Any, cap: int = COUNT_CAP, ordered: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.ordered = ordered

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list, cap=self.cap, ordered=self.ordered)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """ninja's limit/offset pages with ``limit`` at most ``MAX_LIMIT`` and ``offset`` at
    most ``MAX_OFFSET``; larger values are refused with a 422."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CappedLimitOffsetPagination(BoundedLimitOffsetPagination):
    """ninja's limit/offset pages with ``count`` capped at ``COUNT_CAP + 1``
    (a count of 1,001 means "more than 1,000")."""

    def _items_count(self, queryset: QuerySet[Any]) -> int:
        return capped_count(queryset)
