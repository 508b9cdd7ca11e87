"""Typed builders for background data in tests."""

from __future__ import annotations

import itertools

from django.contrib.auth.hashers import make_password

from kefu.core.models import Department, Team, User
from kefu.core.roles import Role

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = make_password(PASSWORD)
_numbers = itertools.count(1)


def make_department(*, name: str = "客服中心", code: str = "service") -> Department:
    department, _created = Department.objects.get_or_create(code=code, defaults={"name": name})
    return department


def make_team(*, department: Department | None = None, name: str = "热线一组") -> Team:
    team, _created = Team.objects.get_or_create(
        department=department or make_department(), name=name
    )
    return team


def make_staff(
    *,
    username: str | None = None,
    role: str = Role.AGENT,
    department: Department | None = None,
    team: Team | None = None,
    language: str = "zh-hans",
) -> User:
    n = next(_numbers)
    department = department or make_department()
    username = username or f"user{n}"
    return User.objects.create(
        username=username,
        display_name=f"员工{n}",
        email=f"{username}@example.com",
        role=role,
        department=department,
        team=team or make_team(department=department),
        password=_PASSWORD_HASH,
        language=language,
    )
