"""The SLA clock on an imported holiday schedule for a year chinese-calendar does not
know (2027): a holiday week and a make-up Saturday move due times exactly as 国庆 does
in 2026; importing re-times open clocks through the clock loop, and removing the
override moves them back."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from kefu.cases.models import Case, CaseEvent
from kefu.core import calendar_overrides
from kefu.core.calendar_overrides import CALENDAR_CHANGED_JOB
from kefu.core.models import CalendarOverride, ScheduledJob, Team
from tests.cases.builders import at, only_policy, open_case

pytestmark = pytest.mark.django_db

# Not the State Council's notice for 2027 (the test needs only its shape): a
# holiday week around the Spring Festival and a make-up Saturday after it.
SCHEDULE_2027 = """date,kind,name
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-13,holiday,春节
2027-02-20,workday,春节调休
"""


def clocks_at(instant: str) -> None:
    call_command("clocks", "--once", "--now", f"{instant}+08:00", stdout=StringIO())


def import_schedule(tmp_path: Path, *, when: str) -> str:
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    out = StringIO()
    with time_machine.travel(at(when), tick=False), translation.override("en"):
        call_command("calendar", "import", str(path), stdout=out)
    return out.getvalue()


def sla_job_due(case: Case, target: str) -> object:
    return ScheduledJob.objects.get(key=f"case:{case.pk}:sla:{target}", done_at__isnull=True).due_at


def test_without_a_schedule_2027_runs_on_weekdays(team: Team) -> None:
    only_policy(first=16 * 60, cadence=None, resolution=40 * 60)
    case = open_case(when="2027-02-04 16:00", team=team)
    # Thu 2 h + Fri 9 h + Mon 5 h: the Spring Festival week counts as working time.
    assert case.first_response_due_at == at("2027-02-08 14:00")


def test_holiday_week_moves_the_first_response_like_national_day(
    team: Team, tmp_path: Path
) -> None:
    only_policy(first=16 * 60, cadence=None, resolution=40 * 60)
    import_schedule(tmp_path, when="2027-01-04 09:00")

    case = open_case(when="2027-02-04 16:00", team=team)

    # Thu 2 h + Fri 9 h, the holiday week and the weekend off, then Mon 5 h.
    assert case.first_response_due_at == at("2027-02-15 14:00")
    assert case.sla_due_at == at("2027-02-15 14:00")
    assert sla_job_due(case, "first_response") == at("2027-02-15 14:00")


def test_make_up_saturday_is_working_time(team: Team, tmp_path: Path) -> None:
    only_policy(first=16 * 60, cadence=None, resolution=40 * 60)
    import_schedule(tmp_path, when="2027-01-04 09:00")

    case = open_case(when="2027-02-19 16:00", team=team)

    # Fri 2 h + the make-up Saturday 9 h + Mon 5 h (without it: Tuesday 14:00).
    assert case.first_response_due_at == at("2027-02-22 14:00")


def test_import_re_times_open_clocks_in_the_clock_loop_and_removing_moves_them_back(
    team: Team, tmp_path: Path
) -> None:
    only_policy(first=16 * 60, cadence=None, resolution=40 * 60)
    case = open_case(when="2027-02-04 16:00", team=team)
    assert case.first_response_due_at == at("2027-02-08 14:00")

    import_schedule(tmp_path, when="2027-02-04 17:00")
    case.refresh_from_db()
    # Nothing moves in the request: the clock loop does it.
    assert case.first_response_due_at == at("2027-02-08 14:00")
    assert ScheduledJob.objects.filter(kind=CALENDAR_CHANGED_JOB, done_at__isnull=True).exists()

    clocks_at("2027-02-04T17:00")
    case.refresh_from_db()
    assert case.first_response_due_at == at("2027-02-15 14:00")
    assert case.sla_due_at == at("2027-02-15 14:00")
    assert sla_job_due(case, "first_response") == at("2027-02-15 14:00")
    event = CaseEvent.objects.get(case=case, kind="sla_retimed")
    assert "2027-02-08" in event.data["dates"]

    # The holiday week is taken out again (as an administrator does in the admin).
    for override in CalendarOverride.objects.filter(kind="holiday"):
        calendar_overrides.calendar_override_delete(
            actor=None, override=override, at=at("2027-02-04 17:30")
        )
    clocks_at("2027-02-04T17:30")
    case.refresh_from_db()
    assert case.first_response_due_at == at("2027-02-08 14:00")
    assert sla_job_due(case, "first_response") == at("2027-02-08 14:00")


def test_importing_the_same_file_twice_changes_nothing(team: Team, tmp_path: Path) -> None:
    first = import_schedule(tmp_path, when="2027-01-04 09:00")
    assert first.endswith("9 added, 0 changed, 0 unchanged.\n")
    assert CalendarOverride.objects.count() == 9
    clocks_at("2027-01-04T09:00")
    jobs = ScheduledJob.objects.filter(kind=CALENDAR_CHANGED_JOB).values_list("done_at", flat=True)
    assert all(done is not None for done in jobs)
    changed = list(CalendarOverride.objects.values_list("pk", "changed_at"))

    second = import_schedule(tmp_path, when="2027-01-05 09:00")

    assert CalendarOverride.objects.count() == 9
    assert list(CalendarOverride.objects.values_list("pk", "changed_at")) == changed
    assert not ScheduledJob.objects.filter(kind=CALENDAR_CHANGED_JOB, done_at__isnull=True).exists()
    assert second.endswith("0 added, 0 changed, 9 unchanged.\n")


def test_a_teams_own_day_off_moves_only_that_team(team: Team, engineering: Team) -> None:
    only_policy(first=16 * 60, cadence=None, resolution=40 * 60)
    calendar_overrides.calendar_override_save(
        actor=None,
        region="cn",
        team=team,
        day=at("2027-03-05 00:00").date(),
        kind="holiday",
        name="团建日",
        at=at("2027-03-01 09:00"),
    )
    ours = open_case(when="2027-03-04 16:00", team=team)
    theirs = open_case(when="2027-03-04 16:00", team=engineering)
    # Thu 2 h, the team-building Friday off, Mon 9 h, Tue 5 h.
    assert ours.first_response_due_at == at("2027-03-09 14:00")
    assert theirs.first_response_due_at == at("2027-03-08 14:00")
