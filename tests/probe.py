"""Run a snippet of Python in a fresh interpreter with kefu's settings and read the
JSON it prints last: for tests of what a new process imports and registers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def fresh_process_json(code: str, var_dir: Path) -> object:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "kefu.settings",
            "KEFU_VAR_DIR": str(var_dir),
        },
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
