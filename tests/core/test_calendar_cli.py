"""``kefu calendar``: the business calendar from the shell."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Assert on the English source messages whatever catalogues exist."""
    with translation.override("en"):
        yield


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_due_prints_the_national_day_example_exactly() -> None:
    output = run(
        "due",
        "--start",
        "2026-09-30T16:00",
        "--working-hours",
        "16",
        "--day",
        "09:00-18:00",
        "--region",
        "cn",
    )
    assert output == "2026-10-09T14:00:00+08:00\n"


def test_due_accepts_decimal_hours_and_a_lunch_break() -> None:
    output = run(
        "due",
        "--start",
        "2026-10-08T11:00",
        "--working-hours",
        "1.5",
        "--day",
        "09:00-12:00,13:00-18:00",
    )
    assert output == "2026-10-08T13:30:00+08:00\n"


def test_due_accepts_minutes_and_repeated_day_options() -> None:
    output = run(
        "due",
        "--start",
        "2026-10-08T11:00",
        "--working-minutes",
        "90",
        "--day",
        "09:00-12:00",
        "--day",
        "13:00-18:00",
    )
    assert output == "2026-10-08T13:30:00+08:00\n"


def test_due_ending_at_the_end_of_the_day_prints_that_end() -> None:
    output = run("due", "--start", "2026-09-30T16:00", "--working-hours", "2")
    assert output == "2026-09-30T18:00:00+08:00\n"


def test_due_reads_an_offset_start_and_answers_in_the_calendar_zone() -> None:
    output = run("due", "--start", "2026-10-08T01:00:00+00:00", "--working-hours", "1")
    assert output == "2026-10-08T10:00:00+08:00\n"


def test_due_honours_tz_and_plain_region() -> None:
    output = run(
        "due",
        "--start",
        "2026-10-01T17:00",
        "--working-hours",
        "2",
        "--region",
        "none",
        "--tz",
        "Europe/Berlin",
    )
    assert output == "2026-10-02T10:00:00+02:00\n"


def test_between_prints_hours_with_two_decimals() -> None:
    assert run("between", "--start", "2026-09-30T16:00", "--end", "2026-10-09T14:00") == "16.00\n"
    assert (
        run(
            "between",
            "--start",
            "2026-10-08T09:00",
            "--end",
            "2026-10-08T18:00",
            "--day",
            "09:00-12:00,13:00-17:30",
        )
        == "7.50\n"
    )


def test_between_prints_zero_when_end_is_before_start() -> None:
    assert run("between", "--start", "2026-10-09T14:00", "--end", "2026-10-08T09:00") == "0.00\n"


def test_days_lists_holidays_and_make_up_days() -> None:
    output = run("days", "--from", "2026-09-30", "--to", "2026-10-11", "--region", "cn")
    lines = output.splitlines()
    assert lines[0] == "2026-09-30 Wed working"
    assert lines[1] == "2026-10-01 Thu off"
    assert "2026-10-07 Wed off" in lines
    assert "2026-10-10 Sat working" in lines
    assert lines[-1] == "2026-10-11 Sun off"
    assert len(lines) == 12


def test_days_shows_the_sunday_make_up_day() -> None:
    assert run("days", "--from", "2026-09-20", "--to", "2026-09-20") == "2026-09-20 Sun working\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["due", "--start", "yesterday", "--working-hours", "1"], "--start: 'yesterday'"),
        (["due", "--start", "2026-10-08T09:00", "--working-hours", "-1"], "non-negative"),
        (["due", "--start", "2026-10-08T09:00", "--working-hours", "lots"], "--working-hours"),
        (["due", "--start", "2026-10-08T09:00", "--working-minutes", "nan"], "--working-minutes"),
        (
            ["due", "--start", "2026-10-08T09:00", "--working-hours", "1", "--day", "9-18"],
            "--day: working hours '9-18'",
        ),
        (
            ["due", "--start", "2026-10-08T09:00", "--working-hours", "1", "--day", "18:00-09:00"],
            "end must be after the start",
        ),
        (
            ["due", "--start", "2026-10-08T09:00", "--working-hours", "1", "--region", "xx"],
            "--region: unknown holiday region 'xx'; known regions: cn, none",
        ),
        (
            ["due", "--start", "2026-10-08T09:00", "--working-hours", "1", "--weekdays", "9"],
            "--weekdays",
        ),
        (
            ["due", "--start", "2026-10-08T09:00", "--working-hours", "1", "--tz", "Mars/X"],
            "--tz: unknown time zone 'Mars/X'",
        ),
        (["due", "--start", "2099-01-05T09:00", "--working-hours", "1"], "year 2099"),
        (["between", "--start", "2026-10-08", "--end", "soon"], "--end: 'soon'"),
        (["days", "--from", "2026-10-01", "--to", "10/11/2026"], "--to: '10/11/2026'"),
        (["days", "--from", "2026-10-11", "--to", "2026-10-01"], "--to must not be before"),
        (["days", "--from", "2099-01-01", "--to", "2099-01-02"], "year 2099"),
    ],
)
def test_bad_input_raises_a_command_error_saying_what_to_fix(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert message in str(raised.value)


def test_days_writes_nothing_when_the_range_runs_past_the_data() -> None:
    out = StringIO()
    with pytest.raises(CommandError, match="2027"):
        call_command("calendar", "days", "--from", "2026-12-30", "--to", "2027-01-02", stdout=out)
    assert out.getvalue() == ""


def test_console_script_prints_the_example_and_fails_cleanly() -> None:
    kefu = Path(sys.executable).with_name("kefu")
    if not kefu.exists():
        pytest.skip("the kefu console script is not installed next to this interpreter")
    ok = subprocess.run(
        [str(kefu), "calendar", "due", "--start", "2026-09-30T16:00", "--working-hours", "16"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ok.returncode, ok.stdout) == (0, "2026-10-09T14:00:00+08:00\n"), ok.stderr
    bad = subprocess.run(
        [str(kefu), "calendar", "due", "--start", "2026-09-30T16:00", "--working-hours", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0
    assert "--working-hours" in bad.stderr
    assert "Traceback" not in bad.stderr
