"""Fixtures of the floor tests: one team with a lead and two agents."""

from __future__ import annotations

import pytest

from tests.floor.builders import Floor, make_floor


@pytest.fixture
def floor(db: None) -> Floor:
    return make_floor()
