"""The partner's settings are strict, and off by default: a bad value stops start-up
naming the variable; with nothing set the partner is not configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KEFU = str(Path(sys.executable).with_name("kefu"))


def _environ(tmp_path: Path, **values: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    environ.update({"KEFU_VAR_DIR": str(tmp_path), **values})
    return environ


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"KEFU_LLM_BASE_URL": "dashscope.aliyuncs.com/compatible-mode/v1"}, "KEFU_LLM_BASE_URL"),
        ({"KEFU_LLM_BASE_URL": "https://api.deepseek.com/v1"}, "KEFU_LLM_MODEL"),
        ({"KEFU_LLM_TIMEOUT_SECONDS": "0"}, "KEFU_LLM_TIMEOUT_SECONDS"),
        ({"KEFU_LLM_MONTHLY_TOKEN_BUDGET": "lots"}, "KEFU_LLM_MONTHLY_TOKEN_BUDGET"),
    ],
)
def test_a_bad_partner_setting_stops_startup_naming_the_variable(
    tmp_path: Path, values: dict[str, str], named: str
) -> None:
    result = subprocess.run(
        [KEFU, "check"],
        env=_environ(tmp_path, **values),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert named in result.stderr


def test_with_nothing_set_the_partner_is_off(tmp_path: Path) -> None:
    code = "from kefu.partner.client import is_configured; print(is_configured())"

    result = subprocess.run(
        [KEFU, "shell", "-c", code],
        env=_environ(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip().splitlines()[-1] == "False"
