"""``kefu servqual FILE [--weights FILE] [--instrument 1988] [--json]``: SERVQUAL gaps.

FILE is CSV ``respondent,item,expectation,perception`` (items 1-22, scores 1-7);
the weights file is CSV ``respondent,dimension,points`` (100 points each).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kefu.quality.analysis import servqual_analyse
from kefu.quality.management.commands._io import finish, read_text


def _num(value: object) -> str:
    return "null" if value is None else f"{float(str(value)):+.3f}"


class Command(BaseCommand):
    help = "SERVQUAL gaps per dimension, unweighted and weighted scores."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--weights", help="CSV respondent,dimension,points")
        parser.add_argument(
            "--instrument",
            type=int,
            choices=[1988, 1991],
            help="1988 reverse-scores the negatively worded items 10-13 and 18-22.",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        weights = read_text(options["weights"]) if options["weights"] else None
        outcome = servqual_analyse(
            read_text(options["file"]), weights_text=weights, instrument=options["instrument"]
        )
        result = outcome.result or {}
        dimensions = result.get("dimensions", {})
        assert isinstance(dimensions, dict)  # noqa: S101
        lines = [f"{name}\t{_num(value['gap'])}" for name, value in dimensions.items()]
        lines.append(f"unweighted\t{_num(result.get('unweighted'))}")
        lines.append(f"weighted\t{_num(result.get('weighted'))}")
        finish(self, outcome, as_json=options["json"], human="\n".join(lines))
