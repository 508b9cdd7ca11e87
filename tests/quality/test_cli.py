"""The analysts' commands: JSON contracts, and bad files reported by line with exit status 2
and nothing printed on stdout."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation


def run(*args: str) -> tuple[str, str, int]:
    """Run a command as an analyst who reads kefu in English."""
    out, err = StringIO(), StringIO()
    try:
        with translation.override("en"):
            call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error), error.returncode
    return out.getvalue(), err.getvalue(), 0


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_kano_json_per_feature(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kano.csv",
        "respondent,feature,functional,dysfunctional\n"
        "r1,回访,like,dislike\n"  # O
        "r2,回访,neutral,dislike\n"  # M
        "r3,回访,理所当然,不喜欢\n"  # M
        "r1,短信提醒,1,3\n"  # A
        "r2,短信提醒,5,1\n",  # R
    )
    out, _err, status = run("kano", path, "--json")
    assert status == 0
    result = json.loads(out)
    assert result["回访"] == {
        "counts": {"A": 0, "O": 1, "M": 2, "I": 0, "R": 0, "Q": 0},
        "category": "M",
        "better": pytest.approx(1 / 3),
        "worse": pytest.approx(-1.0),
    }
    # A and R tie at 1: A wins (M > O > A > I > R > Q); Better = 1/1, Worse = 0.
    assert result["短信提醒"]["category"] == "A"
    assert result["短信提醒"]["better"] == 1.0


def test_kano_bad_lines_are_reported_and_nothing_printed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kano.csv",
        "respondent,feature,functional,dysfunctional\n"
        "r1,回访,like,dislike\n"
        "r2,回访,love,dislike\n"
        "r3,回访,like,7\n"
        "r1,回访,like,neutral\n",
    )
    out, err, status = run("kano", path, "--json")
    assert status == 2
    assert out == ""
    assert "line 3: functional 'love'" in err
    assert "line 4: dysfunctional '7'" in err
    assert "line 5: feature '回访' appears twice" in err


def test_kano_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "kano.csv", "respondent,feature,functional\nr1,a,like\n")
    out, err, status = run("kano", path, "--json")
    assert (out, status) == ("", 2)
    assert "line 1: missing columns: dysfunctional" in err


SERVQUAL_ROWS = "".join(
    f"r1,{item},6,{4 if item in range(5, 10) else 6}\n" for item in range(1, 23)
) + "".join(f"r2,{item},6,{3 if item in range(10, 14) else 6}\n" for item in range(1, 23))


def test_servqual_json_unweighted_and_weighted(tmp_path: Path) -> None:
    # r1: reliability gap −2, the rest 0; r2: responsiveness gap −3, the rest 0.
    # Dimension gaps: reliability −1, responsiveness −1.5; unweighted = −2.5/5 = −0.5.
    answers = write(tmp_path, "sq.csv", "respondent,item,expectation,perception\n" + SERVQUAL_ROWS)
    # r1 puts 60 on reliability: −1.2; r2 puts 20 on responsiveness: −0.6 → weighted −0.9.
    weights = write(
        tmp_path,
        "w.csv",
        "respondent,dimension,points\n"
        "r1,tangibles,10\nr1,reliability,60\nr1,responsiveness,10\nr1,assurance,10\nr1,empathy,10\n"
        "r2,tangibles,20\nr2,reliability,20\nr2,responsiveness,20\nr2,assurance,20\nr2,empathy,20\n",
    )
    out, _err, status = run("servqual", answers, "--weights", weights, "--json")
    assert status == 0
    result = json.loads(out)
    assert result["dimensions"]["reliability"] == {"gap": -1.0}
    assert result["dimensions"]["responsiveness"] == {"gap": -1.5}
    assert result["dimensions"]["tangibles"] == {"gap": 0.0}
    assert result["unweighted"] == pytest.approx(-0.5)
    assert result["weighted"] == pytest.approx(-0.9)
    out, _err, _status = run("servqual", answers, "--json")
    assert json.loads(out)["weighted"] is None


def test_servqual_1988_instrument_reverses(tmp_path: Path) -> None:
    # r2's responsiveness items read E 6, P 3 → reversed E 2, P 5 → gap +3; mean over r1 (0)
    # and r2 (+3) = +1.5.
    answers = write(tmp_path, "sq.csv", "respondent,item,expectation,perception\n" + SERVQUAL_ROWS)
    out, _err, status = run("servqual", answers, "--instrument", "1988", "--json")
    assert status == 0
    assert json.loads(out)["dimensions"]["responsiveness"] == {"gap": 1.5}


def test_servqual_bad_input_by_line(tmp_path: Path) -> None:
    answers = write(
        tmp_path,
        "sq.csv",
        "respondent,item,expectation,perception\nr1,1,6,6\nr1,23,6,6\nr1,2,8,6\nr1,3,6,\n",
    )
    out, err, status = run("servqual", answers, "--json")
    assert (out, status) == ("", 2)
    assert "line 3: item '23' is not a SERVQUAL item" in err
    assert "line 4: expectation '8' is not a score from 1 to 7" in err
    assert "line 5: perception is empty" in err


def test_servqual_weights_must_add_up_to_100_and_cover_everyone(tmp_path: Path) -> None:
    answers = write(tmp_path, "sq.csv", "respondent,item,expectation,perception\n" + SERVQUAL_ROWS)
    weights = write(
        tmp_path, "w.csv", "respondent,dimension,points\nr1,tangibles,50\nr1,speed,50\n"
    )
    out, err, status = run("servqual", answers, "--weights", weights, "--json")
    assert (out, status) == ("", 2)
    assert "line 3: dimension 'speed'" in err
    assert "points add up to 50, not 100" in err


def test_warn_ewma_and_cusum(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "w.csv",
        "period,count\n"
        + "".join(f"2026-11-{d:02d},{c}\n" for d, c in enumerate([4, 4, 4, 8, 8, 8, 8], start=1)),
    )
    out, _err, status = run("warn", path, "--mu0", "4", "--method", "cusum", "--json")
    assert status == 0
    # C⁺ = 0, 0, 0, 3, 6, 9 (> h = 8, alarm, reset), 3.
    assert json.loads(out)["alarms"] == [6]
    out, _err, _status = run("warn", path, "--mu0", "4", "--json")
    # EWMA: z = 4, 4, 4, 4.8, 5.44 (< UCL₅ = 4 + 3·√(4/9·(1 − 0.8¹⁰)) = 5.8896),
    # 5.952 (> UCL₆ = 4 + 3·√(4/9·(1 − 0.8¹²)) = 5.9301), 6.3616 (> UCL₇ ≈ 5.956).
    alarms = json.loads(out)["alarms"]
    assert alarms == [6, 7]


def test_warn_bad_counts(tmp_path: Path) -> None:
    path = write(tmp_path, "w.csv", "period,count\n1,3\n2,-1\n3,abc\n")
    out, err, status = run("warn", path, "--mu0", "4", "--json")
    assert (out, status) == ("", 2)
    assert "line 3: count '-1'" in err
    assert "line 4: count 'abc'" in err
    out, err, status = run("warn", path, "--mu0", "0")
    assert status == 2
    assert "--mu0" in err
