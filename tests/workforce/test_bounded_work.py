"""Bounded work: an Erlang request too large to compute in seconds is refused at once,
with a message that names the limit (issue 23, weakness 5).

Each crippling request below took 26 s to 141 s of CPU before (measured on the 2-core
sandbox); now each answers within a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from kefu.core.models import User
from kefu.workforce import erlang

Bearer = Callable[[User], dict[str, str]]

CRIPPLING = [
    # 2^31 - 1 agents evaluated: 141 s.
    ({"calls": 100, "aht": 180, "agents": 2**31 - 1}, "agents_too_many", "100000"),
    # 10,000 Erlangs with a patience of 10^6 s (Erlang A search): 26 s.
    ({"calls": 100_000, "aht": 180, "patience": 1_000_000}, "patience_load_too_large", "100000"),
    # 10^9 Erlangs.
    ({"calls": 1e12, "aht": 1800}, "traffic_too_large", "20000"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "code", "limit"), CRIPPLING)
def test_crippling_erlang_request_is_refused_quickly_with_the_limit(
    agent: User, bearer_for: Bearer, fields: dict[str, float], code: str, limit: str
) -> None:
    headers = bearer_for(agent)
    started = time.monotonic()

    response = Client().post(
        "/api/v1/workforce/erlang",
        {"interval": 1800, **fields},
        content_type="application/json",
        headers=headers,
    )

    assert time.monotonic() - started < 2.0
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert limit in response.json()["message"]


@pytest.mark.django_db
def test_a_large_but_real_queue_is_still_staffed(agent: User, bearer_for: Bearer) -> None:
    response = Client().post(
        "/api/v1/workforce/erlang",
        {"calls": 10_000, "interval": 1800, "aht": 180, "patience": 300},
        content_type="application/json",
        headers=bearer_for(agent),
    )

    assert response.status_code == 200
    assert 900 < response.json()["agents"] < 1100


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--agents", str(2**31 - 1)], "At most 100000 agents"),
        (["--patience", "1000000", "--calls", "100000"], "at most 100000"),
        (["--calls", "1000000000000"], "at most 20000 Erlangs"),
    ],
)
def test_kefu_erlang_refuses_crippling_input_quickly(args: list[str], needle: str) -> None:
    options = {"--calls": "100", "--interval": "1800", "--aht": "180"}
    for i in range(0, len(args), 2):
        options[args[i]] = args[i + 1]
    started = time.monotonic()

    with pytest.raises(CommandError) as caught, translation.override("en"):
        call_command("erlang", *[item for pair in options.items() for item in pair])

    assert time.monotonic() - started < 2.0
    assert needle in str(caught.value)
    assert caught.value.returncode == 2


def test_staffing_rows_too_heavy_together_are_refused_before_any_is_computed() -> None:
    # A year of half-hours, each with its own volume, 10,000 contacts an interval and a
    # patience of 10 minutes: about 17,000 Erlang A searches of 30 ms each.
    rows = [(9_000.0 + n * 0.01, 180.0) for n in range(17_568)]
    started = time.monotonic()

    with pytest.raises(erlang.ErlangInputError) as caught:
        erlang.required_per_interval(rows, interval_s=1800, patience_s=600)

    assert time.monotonic() - started < 2.0
    assert caught.value.code == "work_too_large"
    assert caught.value.params["max_seconds"] == 10
    assert caught.value.params["rows"] == 17_568


def test_identical_rows_count_once_in_the_work_estimate() -> None:
    one = erlang.work_seconds([(1000.0, 180.0)], interval_s=1800, patience_s=300)
    many = erlang.work_seconds([(1000.0, 180.0)] * 5000, interval_s=1800, patience_s=300)

    assert many == one
    assert erlang.work_seconds([(1000.0, 180.0)], interval_s=1800, patience_s=None) < one


def test_a_row_over_the_traffic_limit_is_named() -> None:
    with pytest.raises(erlang.ErlangInputError) as caught:
        erlang.required_per_interval([(100.0, 180.0), (1e9, 180.0)], interval_s=1800)

    assert caught.value.code == "traffic_too_large"
    assert caught.value.params["row"] == 2
