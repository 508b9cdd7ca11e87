"""The channels' settings are strict: a bad value stops start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KEFU = str(Path(sys.executable).with_name("kefu"))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KEFU_MAX_ATTACHMENT_BYTES", "ten megabytes"),
        ("KEFU_IMAP_PORT", "0"),
        ("KEFU_IMAP_SSL", "perhaps"),
        ("KEFU_SMS_GATEWAY_URL", "ftp://gateway.example.cn/send"),
        ("KEFU_CHAT_OUTBOUND_URL", "gateway.example.cn"),
        ("KEFU_DELIVERY_MAX_ATTEMPTS", "eight"),
        ("KEFU_DELIVERY_MAX_ATTEMPTS", "0"),
        ("KEFU_SMS_PROVIDER", "huawei"),
        ("KEFU_ALIYUN_SMS_ENDPOINT", "dysmsapi aliyuncs com"),
        ("KEFU_TENCENT_SMS_ENDPOINT", " "),
        ("KEFU_NOTICE_LINK_DAYS", "0"),
    ],
)
def test_bad_channel_setting_stops_startup_naming_the_variable(
    tmp_path: Path, name: str, value: str
) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    environ.update({"KEFU_VAR_DIR": str(tmp_path), name: value})

    result = subprocess.run(
        [KEFU, "check"], env=environ, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode != 0
    assert name in result.stderr


def test_webhook_secret_is_read_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "chat_secret"
    secret_file.write_text("from-a-file\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    environ.update(
        {"KEFU_VAR_DIR": str(tmp_path), "KEFU_CHAT_WEBHOOK_SECRET_FILE": str(secret_file)}
    )
    code = "from django.conf import settings; print(settings.KEFU_CHAT_WEBHOOK_SECRET)"

    result = subprocess.run(
        [KEFU, "shell", "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip().splitlines()[-1] == "from-a-file"
