"""Typed builders for desk tests."""

from __future__ import annotations

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from kefu.cases import services
from kefu.cases.models import Case, SlaPolicy
from kefu.core.models import Department, Team, User
from kefu.core.process_cache import process_caches_clear
from kefu.customers.models import Contact, Organisation

SH = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(text: str) -> datetime:
    """An instant in Shanghai from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def make_contact(
    *,
    name: str = "张伟",
    email: str | None = None,
    phone: str = "13800000000",
    language: str = "zh-hans",
    channels: list[str] | None = None,
    organisation: Organisation | None = None,
) -> Contact:
    n = next(_numbers)
    if organisation is None:
        organisation = Organisation.objects.create(
            name=f"客户公司{n}", created_at=at("2026-01-01 09:00")
        )
    return Contact.objects.create(
        organisation=organisation,
        name=name,
        email=email if email is not None else f"customer{n}@example.com",
        phone=phone,
        language=language,
        preferred_channels=channels if channels is not None else ["email", "sms"],
        created_at=at("2026-01-01 09:00"),
    )


def only_policy(
    *, first: int, cadence: int | None, resolution: int, priority: str = ""
) -> SlaPolicy:
    """Make ``policy`` the only active SLA policy."""
    SlaPolicy.objects.update(is_active=False)
    policy = SlaPolicy.objects.create(
        name=f"test-{next(_numbers)}",
        priority=priority,
        first_response_minutes=first,
        next_update_minutes=cadence,
        resolution_minutes=resolution,
    )
    # Written around ``sla_policy_save``: drop what intake cached of the policies.
    process_caches_clear()
    return policy


def nine_to_six_team(department: Department) -> Team:
    team, _created = Team.objects.update_or_create(
        department=department,
        name="热线一组",
        defaults={"working_hours": "09:00-18:00", "working_days": "1,2,3,4,5"},
    )
    return team


def open_case(
    *,
    when: str,
    contact: Contact | None = None,
    subject: str = "卫生间渗水",
    body: str = "楼下说天花板有水渍，请尽快处理。",
    owner: User | None = None,
    team: Team | None = None,
    priority: str = Case.Priority.NORMAL,
) -> Case:
    return services.case_open(
        actor=None,
        contact=contact or make_contact(),
        subject=subject,
        body=body,
        channel="email",
        at=at(when),
        owner=owner,
        team=team,
        priority=priority,
    )
