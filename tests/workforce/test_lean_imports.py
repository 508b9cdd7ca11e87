"""Loading the URLconf (every web worker, every ``kefu`` command that runs the system
checks, ``kefu ingest-email`` as a mail-server pipe) must not import OR-Tools,
pandas or numpy: only solving a schedule needs them."""

from __future__ import annotations

from pathlib import Path

from tests.probe import fresh_process_json

PROBE = """
import json, sys, django
django.setup()
from django.urls import resolve
resolve("/")
import kefu.workforce.scheduling as scheduling
before = sorted(m for m in ("ortools", "pandas", "numpy") if m in sys.modules)
scheduling.solve  # first use imports the solver
after = sorted(m for m in ("ortools", "pandas") if m in sys.modules)
print(json.dumps({"before": before, "after": after}))
"""


def test_urlconf_loads_without_the_solver_and_solve_imports_it_on_first_use(tmp_path: Path) -> None:
    assert fresh_process_json(PROBE, tmp_path) == {
        "before": [],
        "after": ["ortools", "pandas"],
    }
