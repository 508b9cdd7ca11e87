"""40 guesses at once against a limit of 5: at most 5 passwords are checked.

Real concurrency: gunicorn (2 processes x 8 threads) on a SQLite file, 40 client
threads released together by a barrier, for ``/admin/login/`` and ``/login/``.
The PostgreSQL pass runs the same race on the service, 40 threads with their own
connections (``test_concurrent_attempts_on_postgresql``).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from kefu.core import services
from kefu.core.errors import RateLimitedError
from kefu.core.models import LoginFailure
from tests.ops.topology import free_port

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-9"
GUESSES = 40
LIMIT = 5


@dataclass(frozen=True)
class Site:
    url: str
    env: dict[str, str]

    def kefu_shell(self, code: str) -> str:
        done = subprocess.run(
            [str(BIN / "kefu"), "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    var_dir = tmp_path_factory.mktemp("login_race")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env.update(
        KEFU_VAR_DIR=str(var_dir),
        KEFU_SECRET_KEY="login-race-secret-key-" + "x" * 40,
        KEFU_LOGIN_FAILURE_LIMIT=str(LIMIT),
        KEFU_LOG_LEVEL="warning",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        PYTHONPATH=str(ROOT),
    )
    kefu = str(BIN / "kefu")
    subprocess.run([kefu, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [kefu, "createsuperuser", "--no-input", "--username", "root", "--email", "r@example.com"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = (var_dir / "web.log").open("ab")
    web = subprocess.Popen(
        [
            *(str(BIN / "gunicorn"), "kefu.wsgi:application", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "2", "--threads", "8"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/login/", timeout=2):  # noqa: S310
                break
        except (urllib.error.URLError, OSError):
            if web.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((var_dir / "web.log").read_text()[-3000:]) from None
            time.sleep(0.2)
    try:
        yield Site(url=url, env=env)
    finally:
        web.terminate()
        web.wait(timeout=20)
        log.close()


def _signed_out_client(url: str) -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    with opener.open(url, timeout=30) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, page[:500]
    return opener, match.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _race(url: str, password: str) -> list[str]:
    """GUESSES sign-ins released together; each answer reduced to a word."""
    clients = [_signed_out_client(url) for _ in range(GUESSES)]
    barrier = threading.Barrier(GUESSES)

    def guess(index: int) -> str:
        opener, token = clients[index]
        body = urllib.parse.urlencode(
            {"username": "root", "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        barrier.wait()
        try:
            with opener.open(url, data=body, timeout=60) as response:
                page = response.read().decode()
        except urllib.error.HTTPError as exc:
            if exc.code == 302:
                return "signed_in"
            return f"http_{exc.code}"
        if "登录失败次数过多" in page:
            return "refused"
        return "checked"

    with ThreadPoolExecutor(max_workers=GUESSES) as pool:
        return list(pool.map(guess, range(GUESSES)))


@pytest.mark.parametrize("path", ["/admin/login/?next=/admin/", "/login/"])
def test_40_concurrent_guesses_get_at_most_5_password_checks(site: Site, path: str) -> None:
    site.kefu_shell(
        "from kefu.core.models import LoginFailure; LoginFailure.objects.all().delete()"
    )

    answers = _race(site.url + path, "wrong-guess")

    assert answers.count("checked") == LIMIT
    assert answers.count("refused") == GUESSES - LIMIT
    stored = site.kefu_shell(
        "from kefu.core.models import LoginFailure; "
        "print(LoginFailure.objects.filter(username='root').count())"
    )
    assert stored == str(LIMIT)
    # The right password is refused too until the window passes.
    assert _race(site.url + path, PASSWORD).count("signed_in") == 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_on_postgresql() -> None:
    assert connection.vendor == "postgresql"
    at = timezone.now()
    barrier = threading.Barrier(GUESSES)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            try:
                services.login_attempt_start(
                    username="root",
                    ip_address=f"10.1.{index // 200}.{index % 200 + 1}",
                    at=at + timedelta(microseconds=index),
                )
                outcome = "checked"
            except RateLimitedError:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("checked") == LIMIT
    assert outcomes.count("refused") == GUESSES - LIMIT
    assert LoginFailure.objects.filter(username="root").count() == LIMIT
