"""Typed builders for customers tests: background data written straight to the database."""

from __future__ import annotations

import itertools
from datetime import datetime, time
from zoneinfo import ZoneInfo

from kefu.cases.models import Case, Message
from kefu.customers.models import Contact, Organisation, Project
from tests.core.factories import make_department

SH = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(text: str) -> datetime:
    """An instant in Shanghai from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def make_organisation(
    *, name: str | None = None, tier: str = Organisation.Tier.STANDARD, industry: str = ""
) -> Organisation:
    n = next(_numbers)
    return Organisation.objects.create(
        name=name or f"上海测试装饰有限公司{n}",
        tier=tier,
        industry=industry,
        created_at=at("2026-01-05 09:00"),
    )


def make_contact(
    *,
    organisation: Organisation | None = None,
    name: str = "王芳",
    phone: str = "",
    email: str = "",
    id_number: str = "",
    channels: list[str] | None = None,
    quiet_hours: tuple[time, time] | None = None,
    is_active: bool = True,
) -> Contact:
    start, end = quiet_hours if quiet_hours is not None else (None, None)
    return Contact.objects.create(
        organisation=organisation,
        name=name,
        phone=phone,
        email=email,
        id_number=id_number,
        preferred_channels=channels if channels is not None else [],
        quiet_hours_start=start,
        quiet_hours_end=end,
        is_active=is_active,
        created_at=at("2026-01-05 10:00"),
    )


def make_project(
    *, organisation: Organisation, name: str = "办公室装修", status: str = Project.Status.ACTIVE
) -> Project:
    return Project.objects.create(organisation=organisation, name=name, status=status)


def make_case(
    *,
    contact: Contact,
    created_at: datetime,
    subject: str = "卫生间渗水",
    organisation: Organisation | None = None,
    is_confidential: bool = False,
    department_code: str = "service",
) -> Case:
    n = next(_numbers)
    return Case.objects.create(
        reference=f"T{n:06d}",
        subject=subject,
        organisation=organisation,
        contact=contact,
        channel="phone",
        department=make_department(code=department_code, name=f"部门 {department_code}"),
        is_confidential=is_confidential,
        created_at=created_at,
        updated_at=created_at,
    )


def make_message(
    *, case: Case, direction: str, body: str, created_at: datetime, channel: str = "phone"
) -> Message:
    return Message.objects.create(
        case=case,
        direction=direction,
        channel=channel,
        contact=case.contact if direction == Message.Direction.INBOUND else None,
        body=body,
        created_at=created_at,
    )
