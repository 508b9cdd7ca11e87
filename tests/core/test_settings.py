"""Settings parse KEFU_* variables strictly: a bad value names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KEFU = str(Path(sys.executable).with_name("kefu"))


def run_check(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Nothing from the test run's own environment (the browser tests allow async-unsafe ORM).
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KEFU_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environ.update({"KEFU_VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(
        [KEFU, "check", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    """The recipe of docs/operations.md: HTTPS cookies, HSTS, a real host name."""
    result = run_check(
        tmp_path,
        "--deploy",
        "--fail-level",
        "WARNING",
        KEFU_SECURE_COOKIES="true",
        KEFU_SECRET_KEY="k" * 20 + "-production-secret-" + "q" * 20,
        KEFU_ALLOWED_HOSTS="kefu.example.com",
        KEFU_CSRF_TRUSTED_ORIGINS="https://kefu.example.com",
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KEFU_DEBUG", "maybe"),
        ("KEFU_LOGIN_FAILURE_LIMIT", "five"),
        ("KEFU_TASKS_BACKEND", "celery"),
        ("KEFU_SECRET_KEY", "short"),
        ("KEFU_DATABASE_URL", "mysql://root@localhost/kefu"),
        ("KEFU_LOG_LEVEL", "loud"),
    ],
)
def test_bad_environment_value_stops_startup_naming_the_variable(
    tmp_path: Path, name: str, value: str
) -> None:
    result = run_check(tmp_path, **{name: value})

    assert result.returncode != 0
    assert name in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_secret_key_is_generated_into_var_once(tmp_path: Path) -> None:
    first = run_check(tmp_path)
    key = (tmp_path / "secret_key").read_text()
    second = run_check(tmp_path)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert len(key) >= 50
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_secret_key_file_variant_is_read(tmp_path: Path) -> None:
    secret_file = tmp_path / "given"
    secret_file.write_text("x" * 40)

    result = run_check(tmp_path, KEFU_SECRET_KEY_FILE=str(secret_file))

    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "secret_key").exists()
