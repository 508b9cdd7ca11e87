"""Builders for incidents tests: customers with contacts on chosen channels, an incident."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kefu.core.models import User
from kefu.customers.models import Contact, Organisation, Project
from kefu.incidents import services
from kefu.incidents.models import Incident

SH = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


NOW = at("2026-11-23 09:00")


def make_customer(
    *, name: str | None = None, region: str = "", tags: list[str] | None = None
) -> Organisation:
    n = next(_numbers)
    return Organisation.objects.create(
        name=name or f"客户公司{n}", region=region, tags=tags or [], created_at=NOW
    )


def make_contact(
    organisation: Organisation | None,
    *,
    name: str | None = None,
    email: str = "",
    phone: str = "",
    im: str = "",
    channels: list[str] | None = None,
    language: str = "zh-hans",
) -> Contact:
    n = next(_numbers)
    return Contact.objects.create(
        organisation=organisation,
        name=name or f"联系人{n}",
        email=email,
        phone=phone,
        im_handle=im,
        language=language,
        preferred_channels=channels or [],
        created_at=NOW,
    )


def make_project(organisation: Organisation, *, name: str = "三号楼装修") -> Project:
    return Project.objects.create(organisation=organisation, name=name)


def make_incident(
    actor: User,
    *,
    at_: datetime = NOW,
    expected_from: date = date(2026, 12, 1),
    hours: list[int] | None = None,
    auto_send: bool = True,
) -> Incident:
    return services.incident_create(
        actor=actor,
        title="三号楼停工",
        kind=Incident.Kind.CLIENT_FUNDING,
        cause="甲方付款审批延迟",
        next_steps="与甲方财务每日跟进",
        started_at=at_,
        expected_from=expected_from,
        update_interval_hours=hours or [3, 6],
        auto_send_updates=auto_send,
        at=at_,
    )
