"""Loading the URLconf (every web worker, every ``kefu`` command that runs the system
checks, ``kefu ingest-email`` as a mail-server pipe) must not import OR-Tools,
pandas or numpy: only solving a schedule needs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "kefu.settings",
            "KEFU_VAR_DIR": str(tmp_path),
        },
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "before": [],
        "after": ["ortools", "pandas"],
    }
