"""``kefu warn FILE --mu0 X [--method ewma|cusum] [--json]``: early-warning alarms.

FILE is CSV ``period,count`` in period order; alarms are 1-based period indexes.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kefu.quality.analysis import warn_analyse
from kefu.quality.management.commands._io import finish, read_text
from kefu.quality.warning import Method


class Command(BaseCommand):
    help = "EWMA or CUSUM alarms on complaint counts with a known baseline mean."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--mu0", type=float, required=True, help="Baseline mean per period.")
        parser.add_argument("--method", choices=[m.value for m in Method], default="ewma")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        mu0 = options["mu0"]
        if not math.isfinite(mu0) or mu0 <= 0:
            raise CommandError(_("--mu0 must be a number above 0"), returncode=2)
        outcome = warn_analyse(
            read_text(options["file"]), mu0=mu0, method=Method(options["method"])
        )
        result = outcome.result or {}
        alarms = result.get("alarms", [])
        assert isinstance(alarms, list)  # noqa: S101
        human = _("alarms: %(periods)s") % {"periods": ", ".join(map(str, alarms)) or "-"}
        finish(self, outcome, as_json=options["json"], human=human)
