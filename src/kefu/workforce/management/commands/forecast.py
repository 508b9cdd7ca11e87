"""``kefu forecast``: forecast offered contacts per interval from a history CSV.

History CSV columns ``interval_start,offered`` (ISO 8601 instants with an
offset; days with no rows are closed days). Bad rows are reported on stderr
by line number and skipped; when no row is usable the command fails. Output
with ``--json``: ``{"method", "backtest_wape", "intervals": [{"interval_start",
"offered"}], "candidates"}``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kefu.workforce.forecasting import ForecastInputError, forecast
from kefu.workforce.management.commands._common import EXIT_USAGE, fail, words


def read_history(path: str, warn: Any) -> list[tuple[datetime, float]]:
    """Rows of ``interval_start,offered``; bad rows reported through ``warn`` and skipped."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise fail("file_unreadable", {"file": path, "error": str(error)}) from None
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip() for c in reader.fieldnames or []}
    for column in ("interval_start", "offered"):
        if column not in columns:
            raise fail("missing_column", {"file": path, "column": column})
    rows: list[tuple[datetime, float]] = []
    for record in reader:
        line = reader.line_num
        cells = {(k or "").strip(): (v or "").strip() for k, v in record.items()}
        try:
            start = datetime.fromisoformat(cells["interval_start"])
        except ValueError:
            warn(
                words(
                    "bad_cell",
                    {
                        "file": path,
                        "line": line,
                        "column": "interval_start",
                        "value": cells["interval_start"],
                    },
                )
            )
            continue
        if start.tzinfo is None:
            warn(words("naive_datetime", {"row": line, "value": cells["interval_start"]}))
            continue
        try:
            offered = float(cells["offered"])
        except ValueError:
            offered = math.nan
        if not math.isfinite(offered) or offered < 0:
            warn(
                words(
                    "bad_cell",
                    {"file": path, "line": line, "column": "offered", "value": cells["offered"]},
                )
            )
            continue
        rows.append((start, offered))
    if not rows:
        raise fail("no_usable_rows", {"file": path})
    return rows


class Command(BaseCommand):
    help = "Forecast offered contacts per interval from a history CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--history", required=True, help="CSV: interval_start,offered")
        parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--days", required=True, help="number of days")
        parser.add_argument("--region", default="cn", help="holiday region: cn or none")
        parser.add_argument("--tz", default="Asia/Shanghai", help="time zone of the days")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = date.fromisoformat(options["start"])
        except ValueError:
            raise fail("bad_date", {"value": options["start"]}) from None
        try:
            days = int(options["days"])
        except ValueError:
            raise fail("days_out_of_range", {"days": options["days"]}) from None
        try:
            tz = ZoneInfo(options["tz"])
        except (ValueError, LookupError):
            raise CommandError(
                _("Unknown time zone %(tz)s.") % {"tz": options["tz"]}, returncode=EXIT_USAGE
            ) from None
        history = read_history(options["history"], lambda text: self.stderr.write(text))
        try:
            result = forecast(history, start=start, days=days, region=options["region"], tz=tz)
        except ForecastInputError as error:
            raise fail(error.code, error.params) from None
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json()))
            return
        self.stdout.write(
            _("Method %(method)s, backtest WAPE %(wape).1f %%")
            % {"method": result.method, "wape": result.backtest_wape * 100}
        )
        for instant, value in result.intervals:
            self.stdout.write(f"{instant.isoformat()}  {value:.1f}")
