"""Reads of the desk shared by pages and the API: access, queues, search, timelines."""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.assist.engine import Coaching, coach_draft
from kefu.assist.selectors import active_lexicon
from kefu.cases import search
from kefu.cases.errors import CaseErrorCode
from kefu.cases.models import Case, CaseEvent, Commitment, Message
from kefu.core.authz import authorize
from kefu.core.errors import NotFoundError
from kefu.core.models import ScheduledJob, User
from kefu.core.roles import Perm
from kefu.customers.models import Contact, Organisation
from kefu.customers.selectors import contact_match

# The same list as the partial index case_open_sla, so the database can use it.
OPEN_STATUSES = ["new", "open", "waiting_customer", "waiting_department"]


def visible_cases(actor: User) -> QuerySet[Case]:
    """Cases ``actor`` may see: confidential ones only inside their department, or when
    they watch the case (a collaborator invited onto it, a member of its task force)."""
    cases = Case.objects.all()
    if actor.is_superuser or actor.role == "administrator":
        return cases
    watched = Case.watchers.through.objects.filter(user_id=actor.pk).values("case_id")
    return cases.filter(
        Q(is_confidential=False) | Q(department_id=actor.department_id) | Q(pk__in=watched)
    )


def _access(actor: User, perm: Perm, **lookup: object) -> Case:
    authorize(actor, perm)
    case = (
        visible_cases(actor)
        .select_related("contact", "organisation", "project", "owner", "team", "department")
        .filter(**lookup)
        .first()
    )
    if case is None:
        raise NotFoundError(CaseErrorCode.NOT_FOUND, _("No such case."))
    return case


def access_case(actor: User, case_id: int, *, perm: Perm = Perm.WORK_CASES) -> Case:
    """The case, if ``actor`` holds ``perm`` and may see it (``visible_cases``); else
    ``case_not_found``, whether the case is missing or hidden (no existence leak).

    Every page and API handler that names a case by id fetches it here (a test
    refuses direct ``Case.objects`` lookups in views and APIs). ``perm`` is what
    the caller is about to do: working the case by default, ``SCORE_QUALITY`` for
    an inspector's scorecard.
    """
    return _access(actor, perm, pk=case_id)


def access_case_by_reference(actor: User, reference: str, *, perm: Perm = Perm.WORK_CASES) -> Case:
    """As ``access_case``, by the case's reference (KF-2026-000123)."""
    return _access(actor, perm, reference=reference)


@dataclass(frozen=True)
class CaseFilter:
    scope: str = "mine"  # mine, team, department, unassigned, all
    status: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    # overdue, breached, due_soon, over_heads, loop, upset
    flags: tuple[str, ...] = field(default=())
    q: str = ""
    include_closed: bool = False


REFERENCE = re.compile(r"KF-\d{4}-\d{6,}", re.IGNORECASE)


def _is_cjk(term: str) -> bool:
    return not term.isascii()


# At most this many contacts and organisations stand for a search by who the
# customer is: the case lookup is then a bounded IN on the indexed foreign keys.
WHO_MATCH_LIMIT = 200
FIRST_REFERENCE_YEAR = 2000


def _who_match(actor: User, query: str) -> Q | None:
    """Cases of the customer ``query`` names, or of a partial reference; None if nothing does.

    The customer: the contact's name, the organisation's name, or the contact's
    phone (any spelling) or email as ``contact_match`` allows ``actor``: without
    ``REVEAL_PII`` a phone only as the whole number and an email only whole or by
    its domain, so the case search is no oracle for what the masks hide.
    Contacts and organisations are read first (two short queries, each at most
    ``WHO_MATCH_LIMIT`` ids); nothing is added when none match, so a search by
    words runs exactly as before.
    """
    contact_ids = list(
        Contact.objects.filter(Q(name__icontains=query) | contact_match(actor=actor, query=query))
        .order_by("-pk")
        .values_list("pk", flat=True)[:WHO_MATCH_LIMIT]
    )
    organisation_ids = list(
        Organisation.objects.filter(name__icontains=query)
        .order_by("-pk")
        .values_list("pk", flat=True)[:WHO_MATCH_LIMIT]
    )
    match = Q()
    if contact_ids:
        match |= Q(contact_id__in=contact_ids)
    if organisation_ids:
        match |= Q(organisation_id__in=organisation_ids)
    sequence = search.reference_sequence(query)
    if sequence is not None:
        years = range(FIRST_REFERENCE_YEAR, timezone.now().year + 2)
        match |= Q(reference__in=search.references_with_sequence(sequence, years))
    bounds = search.reference_range(query)
    if bounds is not None:
        match |= Q(reference__gte=bounds[0], reference__lt=bounds[1])
    return match if match else None


def _text_match(query: str, wanted: list[str]) -> Q:
    """Cases whose subject or messages hold every term in ``wanted``, through the index.

    PostgreSQL: the first term is the index condition, which PostgreSQL
    estimates well. The others are checked on the same row as an opaque filter:
    estimated together, the bigrams of one phrase look independent and rare
    when in fact they always come together, and the planner would then read
    every match instead of walking the newest cases. SQLite: the FTS5 table.
    Without any term (a single Chinese character) a substring match.
    """
    if not wanted:
        in_messages = Message.objects.filter(case=OuterRef("pk"), body__icontains=query)
        return Q(subject__icontains=query) | Q(Exists(in_messages))
    if connection.vendor == "postgresql":
        tsqueries = [f"'{term}'" + ("" if _is_cjk(term) else ":*") for term in wanted]
        match = Q(
            RawSQL(
                "cases_case.search_vector @@ to_tsquery('simple', %s)",
                [tsqueries[0]],
                output_field=BooleanField(),
            )
        )
        if len(tsqueries) > 1:
            match &= Q(
                RawSQL(
                    "(cases_case.search_vector @@ to_tsquery('simple', %s)) IS TRUE",
                    [" & ".join(tsqueries[1:])],
                    output_field=BooleanField(),
                )
            )
        return match
    phrase = " AND ".join(f'"{term}"' + ("" if _is_cjk(term) else "*") for term in wanted)
    return Q(
        pk__in=RawSQL(
            "SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s",
            [phrase],
        )
    )


def _search(cases: QuerySet[Case], query: str, *, actor: User) -> QuerySet[Case]:
    """Cases whose subject or messages contain ``query`` (Chinese substrings too), or
    whose customer or reference it names (``_who_match``).

    A whole case reference finds that case. Otherwise every term of the query
    (Chinese bigrams; Latin words, matched as prefixes) must be in the case's
    subject or messages, found through an index (PostgreSQL: GIN over a stored
    tsvector; SQLite: FTS5). A longer Chinese query thus finds the cases
    holding all its bigrams, which in practice are the cases holding the
    phrase; no per-candidate substring scan, which would read every message.
    ``cases`` is already narrowed to what the actor may see.
    """
    query = query.strip()
    if not query:
        return cases
    if REFERENCE.fullmatch(query):
        return cases.filter(reference__iexact=query)
    text = _text_match(query, search.query_terms(query))
    who = _who_match(actor, query)
    return cases.filter(text if who is None else text | who)


# The SLA warning job of each target (kefu.cases.services.sla), and the case field
# holding that target's running due time.
_WARNED_TARGETS = (
    ("first_response", "first_response_due_at"),
    ("next_update", "next_update_due_at"),
    ("resolution", "resolution_due_at"),
)
SLA_WARNING_JOB = "cases.sla_warning"  # kefu.cases.services.sla.SLA_WARNING_JOB


def sla_due_soon(now: datetime) -> Q:
    """Open, running cases a target of which passed its SLA warning share
    (``KEFU_SLA_WARNING_PERCENT``) at ``now`` but is not yet due: the warning row
    of that target fell (whether or not the clock loop already ran it).

    One lookup by the unique ``key`` per target, so a page of cases costs no
    more queries. A target stopped or moved re-times or cancels its warning row
    (``_schedule``), so a warning row before ``now`` belongs to the running due
    time whenever the case's field for that target is still in the future.
    """
    case_key = Cast(OuterRef("pk"), output_field=CharField())
    running: list[Q] = []
    for target, due_field in _WARNED_TARGETS:
        warned = ScheduledJob.objects.filter(
            kind=SLA_WARNING_JOB,
            key=Concat(
                Value("case:"), case_key, Value(f":sla_warning:{target}"), output_field=CharField()
            ),
            due_at__lte=now,
        )
        condition = Q(**{f"{due_field}__gt": now}) & Q(Exists(warned))
        if target == "first_response":
            condition &= Q(first_response_at__isnull=True)
        running.append(condition)
    return Q(status__in=OPEN_STATUSES, sla_paused_at__isnull=True) & functools.reduce(
        operator.or_, running
    )


def case_list_for(
    actor: User, filters: CaseFilter, *, now: datetime | None = None
) -> QuerySet[Case]:
    """The cases of a queue or list, most urgent SLA first (search results: newest first).

    A fixed number of queries whatever the table size: the owner, contact,
    organisation and team come in the same query. Each case carries
    ``sla_due_soon`` (:func:`sla_due_soon` at ``now``, default the current time)
    and ``sla_overdue`` (open, running and past its earliest due time).
    """
    authorize(actor, Perm.WORK_CASES)
    now = now or timezone.now()
    due_soon = sla_due_soon(now)
    cases = visible_cases(actor).filter(merged_into__isnull=True)
    if filters.scope == "mine":
        cases = cases.filter(owner=actor)
    elif filters.scope == "team":
        cases = cases.filter(team=actor.team) if actor.team_id else cases.none()
    elif filters.scope == "department":
        cases = cases.filter(department=actor.department) if actor.department_id else cases.none()
    elif filters.scope == "unassigned":
        cases = cases.filter(owner__isnull=True)
    if filters.status:
        cases = cases.filter(status__in=filters.status)
    elif not filters.include_closed and not filters.q:
        cases = cases.filter(status__in=OPEN_STATUSES)
    if filters.priority:
        cases = cases.filter(priority__in=filters.priority)
    if filters.category:
        cases = cases.filter(category__in=filters.category)
    if filters.channel:
        cases = cases.filter(channel__in=filters.channel)
    if "overdue" in filters.flags:
        cases = cases.filter(has_overdue_commitment=True)
    if "breached" in filters.flags:
        cases = cases.filter(breach_count__gt=0)
    if "due_soon" in filters.flags:
        cases = cases.filter(due_soon)
    if "over_heads" in filters.flags:
        cases = cases.filter(is_over_heads=True)
    if "upset" in filters.flags:
        cases = cases.filter(customer_upset=True)
    if "loop" in filters.flags:
        cases = cases.filter(is_transfer_loop=True)
    cases = (
        _search(cases, filters.q, actor=actor)
        .select_related("owner", "contact", "organisation", "team")
        .annotate(
            sla_due_soon=ExpressionWrapper(due_soon, output_field=BooleanField()),
            sla_overdue=ExpressionWrapper(
                Q(status__in=OPEN_STATUSES, sla_paused_at__isnull=True, sla_due_at__lte=now),
                output_field=BooleanField(),
            ),
        )
    )
    if filters.q.strip():
        # Search results: newest first, read backwards along the primary key.
        return cases.defer("search_terms").order_by("-pk")
    return cases.defer("search_terms").order_by(F("sla_due_at").asc(nulls_last=True), "pk")


def case_messages(case: Case, *, include_notes: bool = True) -> list[Message]:
    messages = case.messages.select_related("author", "contact").prefetch_related("attachments")
    if not include_notes:
        messages = messages.exclude(direction=Message.Direction.NOTE)
    return list(messages.order_by("created_at", "pk"))


def case_events(case: Case) -> list[CaseEvent]:
    return list(case.events.select_related("actor").order_by("at", "pk"))


def case_detail(case: Case) -> dict[str, Any]:
    """Everything the case page shows besides the case itself, in a few queries."""
    return {
        "thread": case_messages(case),
        "events": case_events(case),
        "commitments": list(case.commitments.select_related("owner").order_by("status", "due_at")),
        "compensations": list(
            case.compensations.select_related("offered_by", "decided_by").order_by("offered_at")
        ),
        "transfers": list(
            case.transfers.select_related("from_department", "to_department").order_by("at")
        ),
        "escalations": list(case.escalations.select_related("to_owner").order_by("at")),
        "links": list(case.links_out.select_related("to_case"))
        + list(case.links_in.select_related("from_case")),
        "watchers": list(case.watchers.all()),
    }


@dataclass(frozen=True)
class KeptRate:
    key: str
    kept: int
    broken: int
    open_overdue: int

    @property
    def rate(self) -> Decimal | None:
        decided = self.kept + self.broken
        if decided == 0:
            return None
        return (Decimal(self.kept) / Decimal(decided) * 100).quantize(Decimal("0.1"))


def commitment_kept_rates(*, actor: User, by: str, since: datetime | None = None) -> list[KeptRate]:
    """Kept-rate of promises per agent (``by="owner"``) or per team (``by="team"``)."""
    authorize(actor, Perm.VIEW_TEAM)
    group = "owner__username" if by == "owner" else "owner__team__name"
    rows = Commitment.objects.all()
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    counted = (
        rows.values(group)
        .annotate(
            kept=Count("pk", filter=Q(status=Commitment.Status.KEPT)),
            broken=Count("pk", filter=Q(status=Commitment.Status.BROKEN)),
            open_overdue=Count("pk", filter=Q(status=Commitment.Status.OPEN, is_overdue=True)),
        )
        .order_by(group)
    )
    return [
        KeptRate(
            key=str(row[group] or "—"),
            kept=row["kept"],
            broken=row["broken"],
            open_overdue=row["open_overdue"],
        )
        for row in counted
    ]


def commitments_overdue_for(actor: User) -> QuerySet[Commitment]:
    """Open promises past due: the actor's own; a lead's whole team."""
    rows = Commitment.objects.filter(status=Commitment.Status.OPEN, is_overdue=True)
    if actor.has_role_perm(Perm.VIEW_TEAM) and actor.team_id:
        rows = rows.filter(Q(owner=actor) | Q(owner__team_id=actor.team_id))
    else:
        rows = rows.filter(owner=actor)
    return rows.select_related("case", "owner").order_by("due_at")


def latest_reading(case: Case) -> Message | None:
    """The customer's latest message that the coach has read."""
    return (
        Message.objects.filter(
            case=case, direction=Message.Direction.INBOUND, reading__isnull=False
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def draft_coaching(case: Case, text: str, *, language: str) -> Coaching:
    """The coach's flags on a reply draft, read against the customer's latest message."""
    latest = latest_reading(case)
    context: dict[str, Any] = {}
    if latest is not None and latest.reading:
        context = {
            "customer_text": latest.body,
            "customer_upset": latest.upset,
            "complaint": bool(latest.reading.get("complaint"))
            or case.category != Case.Category.ENQUIRY,
        }
    return coach_draft(text, context, active_lexicon(), language=language)
