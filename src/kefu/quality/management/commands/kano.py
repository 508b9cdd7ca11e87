"""``kefu kano FILE [--json]``: KANO categories and Better/Worse per feature.

FILE is CSV ``respondent,feature,functional,dysfunctional``; answers are like,
must-be, neutral, live-with, dislike, their Chinese words or 1-5.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kefu.quality.analysis import kano_analyse
from kefu.quality.management.commands._io import finish, read_text


def _num(value: object) -> str:
    return "null" if value is None else f"{float(str(value)):.3f}"


class Command(BaseCommand):
    help = "KANO analysis of a survey file (CSV respondent,feature,functional,dysfunctional)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = kano_analyse(read_text(options["file"]))
        lines = ["feature\tA\tO\tM\tI\tR\tQ\tcategory\tbetter\tworse"]
        for feature, row in (outcome.result or {}).items():
            assert isinstance(row, dict)  # noqa: S101
            counts = row["counts"]
            assert isinstance(counts, dict)  # noqa: S101
            lines.append(
                "\t".join(
                    [
                        feature,
                        *(str(counts[c]) for c in "AOMIRQ"),
                        str(row["category"]),
                        _num(row["better"]),
                        _num(row["worse"]),
                    ]
                )
            )
        finish(self, outcome, as_json=options["json"], human="\n".join(lines))
