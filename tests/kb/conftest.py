from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> object:
    """Messages are checked in English unless a test says otherwise."""
    with translation.override("en"):
        yield
