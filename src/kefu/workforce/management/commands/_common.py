"""Shared by ``kefu erlang``, ``kefu forecast`` and ``kefu schedule``: error words and parsing.

The pure cores raise ``code`` + ``params``. :func:`kefu.workforce.messages.explain`
has the words for most codes; the few codes only these commands meet have
theirs here. Every failure leaves as a :class:`CommandError` with exit status 2:
never a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kefu.workforce.messages import MESSAGES, explain

EXIT_USAGE = 2

EXTRA: dict[str, Promise] = {
    "naive_datetime": _(
        "Line %(row)s: the time %(value)s has no UTC offset; write it like "
        "2026-11-23T08:00:00+08:00."
    ),
    "interval_irregular": _(
        "The history's intervals are %(minutes)s minutes apart, which does "
        "not divide a day; use 15, 30 or 60 minute intervals."
    ),
    "interval_misaligned": _(
        "The interval starting %(value)s is not on the %(minutes)s-minute "
        "grid of the rest of the history."
    ),
    "start_inside_history": _(
        "The forecast must start after the last day of history (%(last)s); it starts %(start)s."
    ),
    "no_usable_rows": _("No usable row in %(file)s; nothing to work with."),
    "rules_not_an_object": _("The rules file must hold one JSON object."),
    "rules_unknown_key": _("The rules have an unknown key %(key)s."),
    "breaks_not_a_list": _(
        "breaks must be a list of {minutes, earliest_after_hours, latest_after_hours} objects."
    ),
    "activity_not_an_object": _(
        "%(where)s must be an object with minutes, earliest_after_hours and latest_after_hours."
    ),
    "activity_minutes_invalid": _("%(where)s: minutes must be a whole number above 0."),
    "activity_window_invalid": _(
        "%(where)s: the window must start at 0 hours or later and end after it starts."
    ),
    "horizon_too_long": _(
        "The requirements span %(days)s days; plan at most %(max_days)s days at once."
    ),
    "requirement_naive_time": _("Requirement line %(row)s: the time %(value)s has no UTC offset."),
    "file_unreadable": _("Cannot read %(file)s: %(error)s"),
    "missing_column": _("%(file)s lacks the column %(column)s."),
    "bad_cell": _("%(file)s line %(line)s: %(column)s %(value)r is not valid."),
    "bad_json": _("The rules file is not valid JSON: %(error)s"),
}


def words(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence for a core's code, in the active language."""
    if code in MESSAGES or code not in EXTRA:
        return explain(code, params)
    try:
        return str(EXTRA[code]) % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return str(EXTRA[code])


def fail(code: str, params: Mapping[str, Any] | None = None) -> CommandError:
    """A CommandError (exit status 2) carrying the sentence for ``code``."""
    return CommandError(words(code, params), returncode=EXIT_USAGE)


def fail_many(problems: list[tuple[str, dict[str, Any]]]) -> CommandError:
    """One CommandError listing every problem, one per line."""
    lines = [words(code, params) for code, params in problems]
    return CommandError("\n".join(lines), returncode=EXIT_USAGE)


def number(text: str | None, option: str, *, required: bool = False) -> float | None:
    """A finite number from an option's text, or a translated CommandError."""
    if text is None:
        if required:
            raise CommandError(
                gettext("%(option)s is required.") % {"option": option}, returncode=EXIT_USAGE
            )
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise CommandError(
            gettext("%(option)s: %(value)r is not a number.") % {"option": option, "value": text},
            returncode=EXIT_USAGE,
        )
    return value


def need(text: str | None, option: str) -> float:
    """Like :func:`number` for an option that must be given."""
    value = number(text, option, required=True)
    return 0.0 if value is None else value
