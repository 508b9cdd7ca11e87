"""Calendar overrides: the CSV file (pure), ``kefu calendar import|export``, the
calendar's answers for a year the package does not know, the administrator's
banner and the ``kefu check`` line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from kefu.core import calendar_overrides
from kefu.core.calendar import (
    BusinessCalendar,
    CalendarError,
    ChinaRegion,
    OverriddenRegion,
    parse_working_hours,
    region_covers,
)
from kefu.core.calendar_file import (
    OverrideFileError,
    OverrideRow,
    decode,
    parse_overrides,
    write_overrides,
)
from kefu.core.checks import calendar_schedule_check
from kefu.core.models import AuditEntry, CalendarOverride, ScheduledJob, User
from kefu.core.roles import Role
from tests.cases.builders import at

GOOD = "date,kind,name\n2027-02-08,holiday,春节\n2027-02-20,workday,春节调休\n"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8") -> str:
    path = tmp_path / "overrides.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


# --------------------------------------------------------------------------- pure


def test_parse_reads_rows_in_date_order_and_takes_gb18030() -> None:
    text = "Date, Kind ,name\n2027-02-20,workday,春节调休\n2027-02-08,HOLIDAY,春节\n\n"
    rows = parse_overrides(decode(text.encode("gb18030")))
    assert rows == [
        OverrideRow(date(2027, 2, 8), "holiday", "春节"),
        OverrideRow(date(2027, 2, 20), "workday", "春节调休"),
    ]
    assert parse_overrides(decode(("\ufeff" + GOOD).encode("utf-8"))) == parse_overrides(GOOD)


def test_parse_names_every_bad_line_at_once() -> None:
    text = (
        "date,kind,name\n"
        "2027-02-08,holiday,春节\n"
        "2027-02-30,holiday,bad date\n"
        "2027-02-09,vacation,bad kind\n"
        "2027-02-08,workday,twice\n"
        "2027-02-10\n"
    )
    with pytest.raises(OverrideFileError) as raised:
        parse_overrides(text)
    found = [(p.line, p.code, p.value, p.first_line) for p in raised.value.problems]
    assert found == [
        (3, "date", "2027-02-30", 0),
        (4, "kind", "vacation", 0),
        (5, "duplicate", "2027-02-08", 2),
        (6, "columns", "2027-02-10", 0),
    ]


def test_parse_refuses_a_wrong_header() -> None:
    with pytest.raises(OverrideFileError) as raised:
        parse_overrides("day,type\n2027-02-08,holiday\n")
    assert [(p.line, p.code) for p in raised.value.problems] == [(1, "header")]


def test_write_guards_formulas_and_reads_back() -> None:
    rows = [OverrideRow(date(2027, 5, 3), "holiday", "=HYPERLINK(1)")]
    text = write_overrides(rows)
    assert text == "date,kind,name\n2027-05-03,holiday,'=HYPERLINK(1)\n"
    assert parse_overrides(text) == rows


def test_overrides_win_and_cover_a_year_the_package_does_not_know() -> None:
    china = ChinaRegion()
    with pytest.raises(CalendarError, match="kefu calendar import"):
        china.is_working_day(date(2027, 2, 8), weekdays=frozenset({1, 2, 3, 4, 5}))
    region = OverriddenRegion(
        china, {date(2027, 2, 8): False, date(2027, 2, 20): True, date(2026, 10, 9): False}
    )
    weekdays = frozenset({1, 2, 3, 4, 5})
    assert region.is_working_day(date(2027, 2, 8), weekdays=weekdays) is False
    assert region.is_working_day(date(2027, 2, 20), weekdays=weekdays) is True
    assert region.is_working_day(date(2027, 2, 9), weekdays=weekdays) is True  # a Tuesday
    assert region.is_working_day(date(2027, 2, 21), weekdays=weekdays) is False  # a Sunday
    # In a year the package knows, an override still wins (a company day off).
    assert region.is_working_day(date(2026, 10, 9), weekdays=weekdays) is False
    assert region.is_working_day(date(2026, 10, 1), weekdays=weekdays) is False  # 国庆
    with pytest.raises(CalendarError):
        region.is_working_day(date(2028, 1, 3), weekdays=weekdays)
    lenient = OverriddenRegion(china, {}, lenient=True)
    assert lenient.is_working_day(date(2028, 1, 3), weekdays=weekdays) is True
    assert region_covers(region, 2027)
    assert region_covers(china, 2026)
    assert not region_covers(china, 2027)
    assert not region_covers(lenient, 2028)


def test_working_time_across_an_overridden_holiday() -> None:
    calendar = BusinessCalendar(
        hours=parse_working_hours("09:00-18:00"),
        region=OverriddenRegion(ChinaRegion(), {date(2027, 2, 8): False}),
    )
    due = calendar.add_working_time(at("2027-02-05 17:00"), timedelta(hours=2))
    assert due == at("2027-02-09 10:00")


# --------------------------------------------------------------------------- command


@pytest.mark.django_db
def test_import_then_due_between_days_and_export_use_the_overrides(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="2027"):
        run("days", "--from", "2027-02-08", "--to", "2027-02-08")

    with time_machine.travel(at("2026-12-07 10:00"), tick=False):
        summary = run("import", write(tmp_path, GOOD))
    assert summary.endswith("2 added, 0 changed, 0 unchanged.\n")
    assert AuditEntry.objects.filter(action="calendar.overrides_imported").count() == 1

    assert run("days", "--from", "2027-02-06", "--to", "2027-02-09") == (
        "2027-02-06 Sat off\n2027-02-07 Sun off\n2027-02-08 Mon off\n2027-02-09 Tue working\n"
    )
    assert run("days", "--from", "2027-02-20", "--to", "2027-02-20") == "2027-02-20 Sat working\n"
    due = run("due", "--start", "2027-02-05T17:00", "--working-hours", "2", "--day", "09:00-18:00")
    assert due == "2027-02-09T10:00:00+08:00\n"
    between = run(
        "between",
        "--start",
        "2027-02-05T09:00",
        "--end",
        "2027-02-09T18:00",
        "--day",
        "09:00-18:00",
    )
    assert between == "18.00\n"
    assert run("export", "--year", "2027") == GOOD
    assert run("export", "--year", "2026") == "date,kind,name\n"
    assert run("export", "--region", "none") == "date,kind,name\n"


@pytest.mark.django_db
def test_bad_import_is_refused_whole_naming_every_line(tmp_path: Path) -> None:
    text = GOOD + "2027-13-01,holiday,x\n2027-02-09,rest,y\n2027-02-08,holiday,again\n"
    with pytest.raises(CommandError) as raised:
        run("import", write(tmp_path, text))
    message = str(raised.value)
    assert "nothing was written" in message
    assert "line 4: '2027-13-01' is not a date such as 2027-02-10" in message
    assert "line 5: kind 'rest' must be holiday or workday" in message
    assert "line 6: 2027-02-08 is listed twice (first on line 2)" in message
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_import_refuses_an_unknown_region_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="unknown holiday region 'xx'"):
        run("import", write(tmp_path, GOOD), "--region", "xx")
    with pytest.raises(CommandError, match="Cannot read"):
        run("import", str(tmp_path / "missing.csv"))
    assert not CalendarOverride.objects.exists()


# --------------------------------------------------------------------------- warnings


@pytest.mark.django_db
def test_banner_for_an_administrator_in_december_with_no_schedule_for_next_year(
    tmp_path: Path,
) -> None:
    admin = User.objects.create_user(
        username="admin.wu", password="x", role=Role.ADMINISTRATOR, language="en"
    )
    agent = User.objects.create_user(username="agent.qian", password="x", role=Role.AGENT)
    with time_machine.travel(at("2026-12-07 10:00"), tick=True):
        for user, expected in ((admin, True), (agent, False)):
            client = Client()
            client.force_login(user)
            page = client.get("/", HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()
            assert ('data-testid="calendar-warning"' in page) is expected
            if expected:
                assert "2027 has no holiday schedule yet: import the State Council" in page
        run("import", write(tmp_path, GOOD))
        client = Client()
        client.force_login(admin)
        page = client.get("/", follow=True).content.decode()
        assert 'data-testid="calendar-warning"' not in page
    with time_machine.travel(at("2026-10-31 10:00"), tick=True):
        calendar_overrides.calendar_cache_clear()
        CalendarOverride.objects.all().delete()
        page = client.get("/", follow=True).content.decode()
        assert 'data-testid="calendar-warning"' not in page  # not before 1 November


@pytest.mark.django_db
def test_kefu_check_names_the_missing_year(tmp_path: Path) -> None:
    with time_machine.travel(at("2026-11-01 09:00"), tick=False):
        warnings = calendar_schedule_check()
        assert [w.id for w in warnings] == ["kefu.W001"]
        assert warnings[0].msg.startswith("2027 has no holiday schedule yet")
        run("import", write(tmp_path, GOOD))
        assert calendar_schedule_check() == []
    with time_machine.travel(at("2026-10-31 09:00"), tick=False):
        CalendarOverride.objects.all().delete()
        calendar_overrides.calendar_cache_clear()
        assert calendar_schedule_check() == []


@pytest.mark.django_db
def test_admin_adds_and_deletes_an_override_through_the_service() -> None:
    admin = User.objects.create_superuser(username="root.he", password="x", role=Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)
    with time_machine.travel(at("2026-12-07 10:00"), tick=True):
        added = client.post(
            "/admin/core/calendaroverride/add/",
            {"region": "cn", "team": "", "day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        )
        assert added.status_code == 302, added.content.decode()[:2000]
        override = CalendarOverride.objects.get(day=date(2027, 1, 1))
        assert (override.kind, override.name) == ("holiday", "元旦")
        job = ScheduledJob.objects.get(key="calendar:cn:*", done_at__isnull=True)
        assert job.payload["before"] == {"2027-01-01": None}
        assert AuditEntry.objects.filter(action="calendar.override_saved").count() == 1
        twice = client.post(
            "/admin/core/calendaroverride/add/",
            {"region": "cn", "team": "", "day": "2027-01-01", "kind": "workday", "name": ""},
        )
        assert twice.status_code == 200  # the form says the date is taken
        assert CalendarOverride.objects.count() == 1
        deleted = client.post(
            f"/admin/core/calendaroverride/{override.pk}/delete/", {"post": "yes"}
        )
        assert deleted.status_code == 302
        assert not CalendarOverride.objects.exists()
        assert AuditEntry.objects.filter(action="calendar.override_deleted").count() == 1
        # Both changes wait in one row; the date's oldest state (none) is kept.
        job.refresh_from_db()
        assert job.payload["before"] == {"2027-01-01": None}
