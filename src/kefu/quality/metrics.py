"""The dashboard's figures over a period, read once and shared by the page, CSV, PDF,
the API and the weekly digest.

Definitions (docs/quality.md):
- service level: of the cases opened in the period whose first response was
  due, the share answered by the due time (cases still waiting and not yet
  due are left out);
- answer rate: inbound call records with a talk time above 0 over all inbound
  call records (the channels app logs calls; without any, None);
- first response and resolution times: medians in minutes and hours, of cases
  opened in the period;
- backlog: cases open now;
- complaint rate per business line: complaints (cases of any category but
  enquiry) over all cases, per organisation industry;
- escalations in the period, and cases escalated over heads opened in it;
- commitments kept: kept over kept plus broken, of commitments due in the period;
- CSAT: mean score and share of 4-5 of surveys answered in the period; NPS:
  % promoters (9-10) − % detractors (0-6).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from django.apps import apps
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.cases.models import Case, Commitment, Escalation
from kefu.quality.models import CsatSurvey

OPEN_STATUSES = ["new", "open", "waiting_customer", "waiting_department"]


@dataclass(frozen=True)
class LineRate:
    line: str
    complaints: int
    cases: int

    @property
    def rate(self) -> float:
        return self.complaints / self.cases if self.cases else 0.0


@dataclass(frozen=True)
class Insights:
    start: datetime
    end: datetime
    cases: int
    service_level: float | None
    answer_rate: float | None
    calls: int
    first_response_minutes: float | None
    resolution_hours: float | None
    backlog: int
    complaint_rates: list[LineRate]
    escalations: int
    over_heads: int
    commitments_kept: float | None
    commitments_closed: int
    csat_mean: float | None
    csat_satisfied: float | None
    csat_responses: int
    csat_sent: int
    nps: float | None
    csat_distribution: list[int]
    daily_cases: list[tuple[date, int]]
    incidents: dict[str, float | None] = field(default_factory=dict)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _answer_rate(start: datetime, end: datetime) -> tuple[float | None, int]:
    try:
        calls = apps.get_model("channels", "CallRecord")
    except LookupError:
        return None, 0
    inbound = calls.objects.filter(direction="in", started_at__gte=start, started_at__lt=end)
    totals = inbound.aggregate(
        all=Count("id"), answered=Count("id", filter=Q(duration_seconds__gt=0))
    )
    return _share(totals["answered"], totals["all"]), totals["all"]


def _incidents(start: datetime, end: datetime) -> dict[str, float | None]:
    """Reach and update adherence of the incidents confirmed in the period, read through
    ``kefu.incidents.selectors.incident_measures`` when the incidents app offers it:
    reach = contacts reached ÷ contacts affected; adherence = updates on time ÷ updates
    due, both summed over the incidents."""
    try:
        module = importlib.import_module("kefu.incidents.selectors")
        model = apps.get_model("incidents", "Incident")
    except (ImportError, LookupError):
        return {}
    measure = getattr(module, "incident_measures", None)
    if not callable(measure):
        return {}
    affected = reached = due = on_time = 0
    incidents = model.objects.filter(confirmed_at__gte=start, confirmed_at__lt=end)
    for incident in incidents.order_by("-confirmed_at")[:100]:
        measures = measure(incident, now=end)
        affected += measures.affected
        reached += measures.reached
        due += measures.adherence.due
        on_time += measures.adherence.on_time
    return {
        str(_("Incident reach")): _share(reached, affected),
        str(_("Incident update adherence")): _share(on_time, due),
    }


AUDIENCES = ("external", "internal", "all")


def _audience(audience: str) -> Q:
    """External customers' cases, internal customers' (staff of other departments), or all:
    the two are reported apart."""
    if audience == "internal":
        return Q(contact__user__isnull=False)
    if audience == "all":
        return Q()
    return Q(contact__user__isnull=True)


def insights(*, start: datetime, end: datetime, audience: str = "external") -> Insights:
    """Every dashboard figure for cases opened (and events) in [start, end), of external
    customers by default (``audience`` "internal" or "all" for the others)."""
    who = _audience(audience)
    opened = Case.objects.filter(
        who, created_at__gte=start, created_at__lt=end, merged_into__isnull=True
    )
    sl = opened.filter(first_response_due_at__isnull=False).aggregate(
        met=Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
        missed=Count(
            "id",
            filter=Q(first_response_at__gt=F("first_response_due_at"))
            | Q(first_response_at__isnull=True, first_response_due_at__lt=end),
        ),
    )
    times = list(opened.values_list("created_at", "first_response_at", "resolved_at"))
    first = [(r - c).total_seconds() / 60 for c, r, _res in times if r is not None]
    resolved = [(s - c).total_seconds() / 3600 for c, _r, s in times if s is not None]
    lines: dict[str, list[int]] = {}
    for row in opened.values("organisation__industry").annotate(
        n=Count("id"), complaints=Count("id", filter=~Q(category=Case.Category.ENQUIRY))
    ):
        line = row["organisation__industry"] or ""
        counts = lines.setdefault(line, [0, 0])
        counts[0] += row["complaints"]
        counts[1] += row["n"]
    commitments = Commitment.objects.filter(due_at__gte=start, due_at__lt=end).aggregate(
        kept=Count("id", filter=Q(status=Commitment.Status.KEPT)),
        broken=Count("id", filter=Q(status=Commitment.Status.BROKEN)),
    )
    answered = CsatSurvey.objects.filter(answered_at__gte=start, answered_at__lt=end)
    scores = list(answered.values_list("csat", "nps"))
    csat = [s for s, _n in scores if s is not None]
    nps = [n for _s, n in scores if n is not None]
    distribution = [csat.count(v) for v in range(1, 6)]
    answer_rate, calls = _answer_rate(start, end)
    daily = {
        row["day"]: row["n"]
        for row in opened.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
    }
    first_day, last_day = timezone.localdate(start), timezone.localdate(end - timedelta(seconds=1))
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    return Insights(
        start=start,
        end=end,
        cases=len(times),
        service_level=_share(sl["met"], sl["met"] + sl["missed"]),
        answer_rate=answer_rate,
        calls=calls,
        first_response_minutes=median(first) if first else None,
        resolution_hours=median(resolved) if resolved else None,
        backlog=Case.objects.filter(who, status__in=OPEN_STATUSES).count(),
        complaint_rates=sorted(
            (LineRate(line, c, n) for line, (c, n) in lines.items()),
            key=lambda r: (-r.rate, r.line),
        ),
        escalations=Escalation.objects.filter(at__gte=start, at__lt=end).count(),
        over_heads=opened.filter(is_over_heads=True).count(),
        commitments_kept=_share(commitments["kept"], commitments["kept"] + commitments["broken"]),
        commitments_closed=commitments["kept"] + commitments["broken"],
        csat_mean=sum(csat) / len(csat) if csat else None,
        csat_satisfied=_share(sum(1 for s in csat if s >= 4), len(csat)),
        csat_responses=len(csat),
        csat_sent=CsatSurvey.objects.filter(sent_at__gte=start, sent_at__lt=end).count(),
        nps=(100 * (sum(n >= 9 for n in nps) - sum(n <= 6 for n in nps)) / len(nps))
        if nps
        else None,
        csat_distribution=distribution,
        daily_cases=[(day, daily.get(day, 0)) for day in days],
        incidents=_incidents(start, end),
    )
