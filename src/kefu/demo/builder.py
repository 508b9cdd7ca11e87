"""``build_demo``: load a realistic, deterministic demo company into the database.

What it loads:

- 4 departments (客服中心, 工程部, 技术部, 财务部) and 7 teams with their working hours;
- 40 staff accounts, every role represented, all with the password ``kefu-demo``;
- 200 customers, read as 200 organisations (home owners, property management
  companies, shops and offices, IT clients, a few foreign companies writing in
  English), each with one or two contacts, and their renovation or IT projects;
- about 120 days of case history before ``today``: some 700-900 cases with 2-6
  messages each;
- the SLA clocks of every case as the desk would hold them on ``today``'s
  morning (``sla``): a handful of open cases already breached, the rest due
  later, with the clock loop's due rows; and the promises owners made to
  customers (``promises``), a few of them already overdue;
- the coach's reading of every customer message (``messages_read_in_bulk``).
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from kefu.cases.models import Case, Message
from kefu.cases.services.coach_history import messages_read_in_bulk
from kefu.core.models import Department, Team, User
from kefu.customers.models import Contact, Organisation, Project
from kefu.demo.clients import MARKER_ORGANISATION, SHANGHAI, clients_build
from kefu.demo.history import HISTORY_DAYS, history_draft, history_save
from kefu.demo.names import FEATURED_LOGINS
from kefu.demo.promises import promises_plan, promises_save
from kefu.demo.requests import requests_demo_load
from kefu.demo.sla import sla_plan, sla_save
from kefu.demo.staff import DEMO_PASSWORD, DemoLogin, demo_logins, format_logins, staff_ensure
from kefu.floor.demo import demo_load as floor_demo_load
from kefu.incidents.demo import demo_load as incidents_demo_load
from kefu.quality.demo import demo_load as quality_demo_load
from kefu.workforce.services.demo import demo_load as workforce_demo_load

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "FEATURED_LOGINS",
    "HISTORY_DAYS",
    "MARKER_ORGANISATION",
    "DemoLogin",
    "DemoOutcome",
    "DemoSummary",
    "build_demo",
    "demo_is_loaded",
    "demo_logins",
    "format_logins",
]

DEFAULT_SEED = 2024


class DemoOutcome(enum.StrEnum):
    BUILT = "built"  # the whole demo was loaded
    ALREADY_LOADED = "already_loaded"  # staff restored; the history was there already
    SKIPPED = "skipped"  # only_if_empty, and the database holds data of its own


@dataclass(frozen=True)
class DemoSummary:
    outcome: DemoOutcome
    today: date
    seed: int
    departments: int
    teams: int
    users: int
    organisations: int
    contacts: int
    projects: int
    cases: int
    messages: int


def demo_is_loaded() -> bool:
    """Whether the demo history is in the database (its marker organisation exists)."""
    return Organisation.objects.filter(name=MARKER_ORGANISATION).exists()


def _holds_data() -> bool:
    return User.objects.exists() or Organisation.objects.exists() or Case.objects.exists()


def _summary(outcome: DemoOutcome, *, today: date, seed: int) -> DemoSummary:
    return DemoSummary(
        outcome=outcome,
        today=today,
        seed=seed,
        departments=Department.objects.count(),
        teams=Team.objects.count(),
        users=User.objects.count(),
        organisations=Organisation.objects.count(),
        contacts=Contact.objects.count(),
        projects=Project.objects.count(),
        cases=Case.objects.count(),
        messages=Message.objects.count(),
    )


@transaction.atomic
def build_demo(
    *, today: date | None = None, seed: int = DEFAULT_SEED, only_if_empty: bool = False
) -> DemoSummary:
    """Load the demo company, or restore its staff if it is loaded already; all or nothing.

    ``today`` anchors the history (default: today's date in Asia/Shanghai); every
    timestamp lies before its midnight. The same ``seed`` and ``today`` always
    give the same data.

    Idempotent: where the demo's marker organisation exists, departments, teams
    and staff accounts are upserted (roles, teams and the demo password put back)
    and the customers and history are left untouched, whatever the seed. Accounts
    that share a demo username are taken over. With ``only_if_empty``, a database
    without the demo that holds user accounts, organisations or cases of its own
    is not touched at all. Returns the outcome and the table counts afterwards.
    """
    if today is None:
        today = timezone.localdate(timezone=SHANGHAI)
    loaded = demo_is_loaded()
    if not loaded and only_if_empty and _holds_data():
        return _summary(DemoOutcome.SKIPPED, today=today, seed=seed)
    staff = staff_ensure()
    if loaded:
        domains_load(today=today)
        return _summary(DemoOutcome.ALREADY_LOADED, today=today, seed=seed)
    # Separate streams, so a change to the clients' generation does not reshuffle
    # the whole history (string seeds hash the same way in every process).
    clients = clients_build(
        rng=random.Random(f"{seed}:clients"),  # noqa: S311
        today=today,
        users=staff.users,
    )
    drafts = history_draft(
        rng=random.Random(f"{seed}:history"),  # noqa: S311
        today=today,
        staff=staff,
        clients=clients,
    )
    # The SLA clocks and the promises the desk would be tracking this morning.
    clocks = sla_plan(drafts, today=today, rng=random.Random(f"{seed}:sla"))  # noqa: S311
    promises = promises_plan(
        clocks,
        today=today,
        rng=random.Random(f"{seed}:promises"),  # noqa: S311
    )
    # Read before saving: the readings are then written with the messages.
    messages_read_in_bulk(
        messages=[message for _case, messages in drafts for message in messages], save=False
    )
    history_save(drafts)
    sla_save(clocks)
    promises_save(promises)
    domains_load(today=today)
    return _summary(DemoOutcome.BUILT, today=today, seed=seed)


def domains_load(*, today: date) -> None:
    """The other domains' demo data on top of the desk's: the hotline's history and
    this week's published schedule, a stoppage being told to its customers, surveys
    and QA scores, the floor. Each loader does nothing when its data is there already.

    The floor's states and today's calls run up to the moment the demo is built
    when that is today during the hotline's hours (09:30 otherwise), so the
    intraday, adherence and meal pages have the day so far."""
    at = datetime.combine(today, time(9, 30), tzinfo=SHANGHAI)
    workforce_demo_load(at=at)
    incidents_demo_load(at=at)
    quality_demo_load(at=at)
    floor_demo_load(at=_floor_moment(at))
    requests_demo_load(at=at)


def _floor_moment(at: datetime) -> datetime:
    now = timezone.now()
    if now.astimezone(SHANGHAI).date() != at.date():
        return at
    return min(max(now, at), at.replace(hour=19, minute=30))
