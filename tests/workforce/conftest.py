"""Workforce tests run on the Saturday before the planned week (2026-11-23), whatever today is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine


@pytest.fixture
def before_the_week() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield
