"""``kefu erlang``: staff an interval with Erlang C (or Erlang A with ``--patience``).

Without ``--agents`` it finds the smallest agent count that meets every target
given; with ``--agents`` it evaluates that staffing. ``--json`` prints
``{"agents", "scheduled", "service_level", "asa", "p_wait", "occupancy",
"abandon", "answer_rate"}``; otherwise a small table.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kefu.workforce.erlang import ErlangInputError, Staffing, evaluate, required
from kefu.workforce.management.commands._common import EXIT_USAGE, fail, need, number


class Command(BaseCommand):
    help = "Agents needed for an interval (Erlang C, or Erlang A with --patience)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calls", help="contacts offered in the interval")
        parser.add_argument("--interval", help="interval length in seconds (1800 = 30 min)")
        parser.add_argument("--aht", help="average handle time in seconds")
        parser.add_argument("--sl", default="0.8", help="service-level target, 0.8 = 80 %%")
        parser.add_argument("--answer-time", default="20", help="service-level answer time, s")
        parser.add_argument("--max-occupancy", help="occupancy cap, 0.85 = 85 %%")
        parser.add_argument("--shrinkage", default="0", help="share of paid time off the phone")
        parser.add_argument("--patience", help="mean patience in seconds (Erlang A)")
        parser.add_argument("--answer-rate", help="answer-rate target (Erlang A), 0.95")
        parser.add_argument("--asa", help="average-speed-of-answer target, seconds")
        parser.add_argument("--agents", help="evaluate this many agents instead of searching")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        calls = need(options["calls"], "--calls")
        interval = need(options["interval"], "--interval")
        aht = need(options["aht"], "--aht")
        sl = number(options["sl"], "--sl")
        answer_time = number(options["answer_time"], "--answer-time") or 0.0
        shrinkage = number(options["shrinkage"], "--shrinkage") or 0.0
        patience = number(options["patience"], "--patience")
        agents_text = options["agents"]
        try:
            if agents_text is not None:
                agents = number(agents_text, "--agents")
                if agents is None or agents != int(agents) or agents < 0:
                    raise CommandError(
                        _("--agents must be a whole number of 0 or more."), returncode=EXIT_USAGE
                    )
                result = evaluate(
                    calls=calls,
                    interval_s=interval,
                    aht_s=aht,
                    agents=int(agents),
                    answer_time_s=answer_time,
                    patience_s=patience,
                    shrinkage=shrinkage,
                )
            else:
                result = required(
                    calls=calls,
                    interval_s=interval,
                    aht_s=aht,
                    service_level=sl,
                    answer_time_s=answer_time,
                    max_occupancy=number(options["max_occupancy"], "--max-occupancy"),
                    shrinkage=shrinkage,
                    patience_s=patience,
                    answer_rate=number(options["answer_rate"], "--answer-rate"),
                    asa_s=number(options["asa"], "--asa"),
                )
        except ErlangInputError as error:
            raise fail(error.code, error.params) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json()))
        else:
            self.stdout.write(_table(result))


def _table(result: Staffing) -> str:
    asa = _("unbounded") if result.asa == float("inf") else f"{result.asa:.1f} s"
    rows = [
        (_("Agents on the phone"), str(result.agents)),
        (_("Agents to schedule"), str(result.scheduled)),
        (_("Service level"), f"{result.service_level:.2%}"),
        (_("Average speed of answer"), asa),
        (_("Probability of waiting"), f"{result.p_wait:.2%}"),
        (_("Occupancy"), f"{result.occupancy:.2%}"),
        (_("Abandoned"), f"{result.abandon:.2%}"),
        (_("Answer rate"), f"{result.answer_rate:.2%}"),
    ]
    width = max(len(label) for label, _value in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)
