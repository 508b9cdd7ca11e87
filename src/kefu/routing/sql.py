"""The statements routing runs on every new case, written out once.

Routing reads the team's settings, its agents (with shift, leave and floor state), their
skills, their open cases and the contact's latest owner for each case it
routes. Built by the ORM, compiling these statements cost more than running
them (about 3 ms of the 5 ms intake budget, ``bench/routing.py``), so each is
written here once per database vendor, with every table and column name taken
from the models, and run with plain parameters. ``tests/routing`` runs them on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Model

from kefu.cases.models import Case
from kefu.core.models import User
from kefu.core.roles import Role
from kefu.floor.models import AgentState, Leave
from kefu.routing.models import AgentSkill, TeamRouting
from kefu.workforce.models import Schedule, ScheduledShift

#: The user fields ``team_agents`` returns first, in order (``User.from_db``).
AGENT_FIELDS = ["id", "username", "display_name", "team_id"]

_built: dict[tuple[str, str], str] = {}


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _t(model: type[Model]) -> str:
    return _q(model._meta.db_table)


def _statement(name: str) -> str:
    key = (connection.vendor, name)
    if key not in _built:
        _built[key] = _BUILDERS[name]()
    return _built[key]


def _team_agents_sql() -> str:
    user, shift, schedule = _t(User), _t(ScheduledShift), _t(Schedule)
    leave, state = _t(Leave), _t(AgentState)
    q = _q
    return (
        f"SELECT u.{q('id')}, u.{q('username')}, u.{q('display_name')}, u.{q('team_id')},"  # noqa: S608
        f" EXISTS(SELECT 1 FROM {shift} s INNER JOIN {schedule} p"
        f" ON s.{q('schedule_id')} = p.{q('id')}"
        f" WHERE s.{q('agent_id')} = u.{q('id')} AND p.{q('status')} = %s"
        f" AND s.{q('start')} <= %s AND s.{q('end')} > %s),"
        f" EXISTS(SELECT 1 FROM {leave} l WHERE l.{q('agent_id')} = u.{q('id')}"
        f" AND l.{q('status')} = %s AND l.{q('start_date')} <= %s"
        f" AND l.{q('end_date')} >= %s),"
        # One open spell per agent at most (a constraint): no order needed.
        f" (SELECT a.{q('state')} FROM {state} a WHERE a.{q('agent_id')} = u.{q('id')}"
        f" AND a.{q('ended_at')} IS NULL LIMIT 1)"
        f" FROM {user} u WHERE u.{q('team_id')} = %s AND u.{q('is_active')}"
        f" AND u.{q('role')} = %s ORDER BY u.{q('id')}"
    )


def _held_skills_sql() -> str:
    return f"SELECT DISTINCT {_q('kind')}, {_q('value')} FROM {_t(AgentSkill)}"  # noqa: S608


def _latest_owner_sql() -> str:
    q = _q
    # The open cases first (closed = 0), then the most recently updated.
    return (
        f"SELECT {q('owner_id')}, CASE WHEN {q('status')} IN ({{statuses}}) THEN 0 ELSE 1 END"  # noqa: S608
        f" AS closed, {q('updated_at')} FROM {_t(Case)}"
        f" WHERE {q('contact_id')} = %s AND {q('owner_id')} IS NOT NULL AND {q('id')} <> %s"
        f" ORDER BY closed, {q('updated_at')} DESC, {q('id')} DESC LIMIT 1"
    )


def _team_settings_sql() -> str:
    return f"SELECT * FROM {_t(TeamRouting)} WHERE {_q('team_id')} = %s"  # noqa: S608


_BUILDERS = {
    "team_settings": _team_settings_sql,
    "team_agents": _team_agents_sql,
    "held_skills": _held_skills_sql,
    "latest_owner": _latest_owner_sql,
}


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return [tuple(row) for row in cursor.fetchall()]


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _datetime(value: Any) -> datetime:
    """A timestamp column as an aware datetime (SQLite hands back text)."""
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is not None:
        value = convert(value, None, connection)
    if not isinstance(value, datetime):
        raise TypeError(f"not a timestamp: {value!r}")
    return value


def team_agents(*, team_id: int, at: datetime, day: date) -> list[tuple[Any, ...]]:
    """The team's active agents, by id: the ``AGENT_FIELDS``, then whether a published
    shift covers ``at``, whether approved leave covers ``day``, and the open floor
    state (None when signed out)."""
    ops = connection.ops
    when, today = ops.adapt_datetimefield_value(at), ops.adapt_datefield_value(day)
    return _rows(
        _statement("team_agents"),
        [
            Schedule.Status.PUBLISHED.value,
            when,
            when,
            Leave.Status.APPROVED.value,
            today,
            today,
            team_id,
            Role.AGENT.value,
        ],
    )


def agent_skills(agent_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """(agent id, kind, value, level) for each skill of these agents."""
    if not agent_ids:
        return []
    q = _q
    sql = (
        f"SELECT {q('agent_id')}, {q('kind')}, {q('value')}, {q('level')}"  # noqa: S608
        f" FROM {_t(AgentSkill)} WHERE {q('agent_id')} IN ({_marks(len(agent_ids))})"
    )
    return _rows(sql, agent_ids)


def open_case_counts(agent_ids: Sequence[int], statuses: Sequence[str]) -> list[tuple[Any, ...]]:
    """(owner id, channel, priority, count) of the agents' cases in ``statuses``."""
    if not agent_ids:
        return []
    q = _q
    sql = (
        f"SELECT {q('owner_id')}, {q('channel')}, {q('priority')}, COUNT(*)"  # noqa: S608
        f" FROM {_t(Case)} WHERE {q('owner_id')} IN ({_marks(len(agent_ids))})"
        f" AND {q('status')} IN ({_marks(len(statuses))})"
        f" GROUP BY {q('owner_id')}, {q('channel')}, {q('priority')}"
    )
    return _rows(sql, [*agent_ids, *statuses])


def held_skills() -> list[tuple[Any, ...]]:
    """Every (kind, value) some agent on the desk holds."""
    return _rows(_statement("held_skills"), [])


def contact_latest_owner(
    *, contact_id: int, except_case_id: int, open_statuses: Sequence[str]
) -> tuple[int, bool, datetime] | None:
    """The owner of the contact's other case that routing should stick to: an open one
    first, else the latest; with whether it is closed and when it last changed."""
    sql = _statement("latest_owner").format(statuses=_marks(len(open_statuses)))
    rows = _rows(sql, [*open_statuses, contact_id, except_case_id])
    if not rows:
        return None
    owner_id, closed, updated_at = rows[0]
    return int(owner_id), bool(closed), _datetime(updated_at)


def team_settings(team_id: int) -> TeamRouting | None:
    """The team's routing settings (``Manager.raw`` converts the columns)."""
    rows = list(TeamRouting.objects.raw(_statement("team_settings"), [team_id]))
    return rows[0] if rows else None
