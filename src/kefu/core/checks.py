"""System checks of the core app, shown by ``kefu check`` (and at start-up)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.calendar_overrides import MissingSchedule, calendar_years_missing


def missing_schedule_text(missing: MissingSchedule) -> str:
    """What an administrator is told about a year without a holiday schedule."""
    if missing.region == "cn":
        return _(
            "%(year)s has no holiday schedule yet: import the State Council's notice "
            "(kefu calendar import FILE, or Calendar overrides in the admin)."
        ) % {"year": missing.year}
    return _(
        "%(year)s has no holiday schedule yet for region %(region)s: import it "
        "(kefu calendar import FILE --region %(region)s)."
    ) % {"year": missing.year, "region": missing.region}


def calendar_schedule_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when the desk's clocks are about to run on plain weekdays: this year, or
    from 1 November the next, has neither package data nor imported overrides."""
    try:
        missing = calendar_years_missing(today=timezone.localdate())
    except DatabaseError:
        return []  # not migrated yet: `kefu migrate` runs the checks before it migrates
    return [
        Warning(
            missing_schedule_text(item),
            hint=_("Until then the SLA clocks count every weekday as a working day."),
            id="kefu.W001",
        )
        for item in missing
    ]
