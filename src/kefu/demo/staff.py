"""The demo's departments, teams and staff accounts, and the table of demo logins."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kefu.core.models import Department, Team, User
from kefu.core.roles import Role
from kefu.demo.names import DEPARTMENTS, FEATURED_LOGINS, STAFF, TEAMS

DEMO_PASSWORD = "kefu-demo"  # noqa: S105 - the published password of the demo accounts


@dataclass(frozen=True)
class Staff:
    """The demo's organisation as saved: departments and teams by code/name, users by name."""

    departments: dict[str, Department]
    teams: dict[tuple[str, str], Team]  # (department code, team name)
    users: dict[str, User]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    department: str
    display_name: str
    password: str


def staff_ensure() -> Staff:
    """Create or reset every demo department, team and staff account; return them.

    Upserts by natural key (department code, team name within its department,
    username), so running it again changes nothing but what was edited since:
    the accounts get their demo role, team and password back. The password is
    hashed once and the same hash is given to every account.
    """
    departments: dict[str, Department] = {}
    for dept_spec in DEPARTMENTS:
        department, _created = Department.objects.update_or_create(
            code=dept_spec.code, defaults={"name": dept_spec.name}
        )
        departments[dept_spec.code] = department
    teams: dict[tuple[str, str], Team] = {}
    for team_spec in TEAMS:
        team, _created = Team.objects.update_or_create(
            department=departments[team_spec.department],
            name=team_spec.name,
            defaults={
                "working_hours": team_spec.working_hours,
                "working_days": team_spec.working_days,
                "calendar_region": "cn",
            },
        )
        teams[(team_spec.department, team_spec.name)] = team
    password_hash = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for spec in STAFF:
        is_admin = spec.role == Role.ADMINISTRATOR
        user, _created = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "display_name": spec.display_name,
                "role": spec.role,
                "department": departments[spec.department],
                "team": teams[(spec.department, spec.team)] if spec.team else None,
                "language": spec.language,
                "email": f"{spec.username}@kefu-demo.example",
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "password": password_hash,
            },
        )
        users[spec.username] = user
    return Staff(departments=departments, teams=teams, users=users)


def demo_logins() -> list[DemoLogin]:
    """The featured demo accounts that exist, in ``FEATURED_LOGINS`` order.

    Accounts missing from the database (demo not loaded, or deleted) are left out.
    """
    found = {
        user.username: user
        for user in User.objects.filter(username__in=FEATURED_LOGINS).select_related("department")
    }
    return [
        DemoLogin(
            username=user.username,
            role=user.role,
            department=user.department.name if user.department else "",
            display_name=user.display_name,
            password=DEMO_PASSWORD,
        )
        for username in FEATURED_LOGINS
        if (user := found.get(username)) is not None
    ]


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_logins(logins: Sequence[DemoLogin]) -> str:
    """Render the logins as an aligned plain-text table, header first, no trailing newline."""
    header = [
        capfirst(_("username")),
        capfirst(_("role")),
        capfirst(_("department")),
        capfirst(_("display name")),
        capfirst(_("password")),
    ]
    rows = [header] + [
        [login.username, login.role, login.department, login.display_name, login.password]
        for login in logins
    ]
    widths = [max(_width(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
