"""Phrase search at scale, quiet and under a concurrent load of queue and list requests.

    .venv/bin/python bench/search.py --smoke
    .venv/bin/python bench/search.py --engine postgres --database kefu_bench_pg1m --reuse

Times (server side, through Django's test client, as bench/desk.py does) the
search API for a two-character query (渗水) and a four-bigram one (卫生间渗水), and
the queue page searching 卫生间渗水: first quiet, then while ``--load`` worker
processes request the agents' queue and the filtered case list API in a loop
(back to back, or ``--think`` milliseconds apart, as agents at work would). The
load's own request rate and the load average are printed with the figures.
Also times the count the search used to run (every match up to 1,001, unordered,
JIT as the server decides), for comparison. Builds bench/desk.py's desk (SQLite,
or PostgreSQL without ``--reuse``). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUERIES = {
    "search_api_渗水": "/api/v1/cases?scope=all&q=%E6%B8%97%E6%B0%B4&limit=50",
    "search_api_卫生间渗水": (
        "/api/v1/cases?scope=all&q=%E5%8D%AB%E7%94%9F%E9%97%B4%E6%B8%97%E6%B0%B4&limit=50"
    ),
    "search_page_卫生间渗水": "/cases/?scope=all&q=%E5%8D%AB%E7%94%9F%E9%97%B4%E6%B8%97%E6%B0%B4",
}
LOAD_URLS = [
    "/cases/?scope=mine",
    "/api/v1/cases?scope=all&status=open&priority=high&limit=50",
    "/api/v1/cases?scope=all&limit=20",
]


def _client(username: str) -> Any:
    from django.test import Client

    from kefu.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _measure(runs: int) -> dict[str, object]:
    from bench.desk import timed

    client = _client("agent3")

    def get(url: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
            return response

        return call

    out: dict[str, object] = {name: timed(get(url), runs) for name, url in QUERIES.items()}
    first = client.get(QUERIES["search_api_渗水"]).json()
    out["api_渗水_count_more_than"] = [first["count"], first.get("more_than")]
    return out


def _old_count(runs: int) -> dict[str, object]:
    """The count the search ran before: every match up to 1,001, no ordering."""
    from bench.desk import timed
    from kefu.cases import selectors
    from kefu.core.models import User
    from kefu.core.pagination import capped_count

    agent = User.objects.get(username="agent3")
    out: dict[str, object] = {}
    for query in ("渗水", "卫生间渗水"):
        cases = selectors.case_list_for(agent, selectors.CaseFilter(scope="all", q=query))
        out[f"old_count_{query}"] = timed(functools.partial(capped_count, cases), runs)
    return out


def _load_worker(seconds: float, think_ms: float) -> None:
    os.environ["KEFU_DATABASE_URL"] = os.environ["BENCH_SEARCH_DB"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "kefu.settings"
    os.environ["KEFU_LOG_LEVEL"] = "warning"
    import django

    django.setup()
    client = _client("agent5")
    stop = False

    def _stop(*_args: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    print("ready", flush=True)
    started = time.monotonic()
    end = started + seconds
    n = 0
    while not stop and time.monotonic() < end:
        client.get(LOAD_URLS[n % len(LOAD_URLS)])
        n += 1
        if think_ms:
            time.sleep(think_ms / 1000)
    print(json.dumps({"requests": n, "seconds": round(time.monotonic() - started, 1)}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database", default="kefu_bench_search")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: an earlier desk build")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--load", type=int, default=2, help="load worker processes")
    parser.add_argument(
        "--think", type=float, default=0, help="ms each load worker waits between requests"
    )
    parser.add_argument("--load-worker", type=float, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true", help="seconds: 300 cases, 3 runs")
    args = parser.parse_args()
    if args.smoke:
        args.engine, args.cases, args.runs, args.reuse = "sqlite", 300, 3, False
        args.load = min(args.load, 1)
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from bench.desk import build, configure

    if args.load_worker:
        _load_worker(args.load_worker, args.think)
        return
    configure(args.engine, reuse=args.reuse, database=args.database)
    built: dict[str, object] = {"build": "reused"} if args.reuse else build(args.cases, 5, 2026)
    from django.conf import settings

    quiet = _measure(args.runs)
    load_quiet = round(os.getloadavg()[0], 2)
    old = _old_count(max(5, args.runs // 4))
    db = settings.DATABASES["default"]
    url = (
        os.environ["KEFU_DATABASE_URL"] if args.engine == "postgres" else f"sqlite:///{db['NAME']}"
    )
    env = {**os.environ, "BENCH_SEARCH_DB": url}
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--load-worker", "600", "--think", str(args.think)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(args.load)
    ]
    for worker in workers:  # each says "ready" once it is about to loop
        if worker.stdout is not None:
            worker.stdout.readline()
    loaded = _measure(args.runs)
    load_during = os.getloadavg()[0]
    rates = []
    for worker in workers:
        worker.terminate()
        out, _err = worker.communicate()
        done = json.loads(out.strip().splitlines()[-1]) if out.strip() else {}
        if done.get("seconds"):
            rates.append(done["requests"] / done["seconds"])
    result = {
        "benchmark": "search",
        "engine": args.engine,
        **built,
        "quiet": quiet,
        "before_count_path": old,
        "load_workers": args.load,
        "load_think_ms": args.think,
        "load_requests_per_s": round(sum(rates), 1),
        "load_average_1m_quiet_then_loaded": [load_quiet, round(load_during, 2)],
        "under_load": loaded,
        "target_p95_ms": 150,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
