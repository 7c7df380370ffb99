"""Soak: mixed reads and writes from 16 clients against two gunicorn servers on one
PostgreSQL, on loopback only. Reports errors, each server's memory over time, and whether
the history rows written equal the writes made.

Run (with a PostgreSQL server, e.g. `scripts/postgres start`):
    STEERCO_DATABASE_URL=postgresql://steerco@127.0.0.1:54329/steerco \\
        .venv/bin/python bench/soak.py --minutes 30 --clients 16
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe  # noqa: E402
from tests.servers import Browser, Forms, postgres_url, scratch_database, servers  # noqa: E402

READS = [
    "/p/mhhs/",
    "/p/mhhs/dashboards/risk-themes/",
    "/p/mhhs/dashboards/milestones/",
    "/p/mhhs/registers/raid/",
    "/p/mhhs/registers/milestones/",
    "/p/mhhs/changes/",
    "/p/mhhs/meetings/PSG-24/",
]


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn's master and workers)."""
    total = 0
    for proc in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{proc}/status").read_text().split("\n")
        except OSError:
            continue
        total += next((int(f.split()[1]) for f in fields if f.startswith("VmRSS")), 0)
    return total / 1024


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    found = [int(c) for c in text.split()]
    return found + [g for c in found for g in children(c)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    parser.add_argument(
        "--writes", type=float, default=0.2, help="share of requests that are writes"
    )
    parser.add_argument(
        "--env-b",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for server B only (A keeps the defaults), to compare "
        "their memory in one run, e.g. MALLOC_ARENA_MAX=2; repeatable",
    )
    args = parser.parse_args()
    url = postgres_url()
    if url is None:
        raise SystemExit("set STEERCO_DATABASE_URL to a PostgreSQL server (scripts/postgres)")
    env_b = dict(pair.split("=", 1) for pair in args.env_b)
    extra = [{}, env_b] if env_b else None
    with scratch_database(url) as database, servers(database, 2, extra) as pair:
        with psycopg.connect(database) as connection:
            risks = [r[0] for r in connection.execute("SELECT id FROM raid_raiditem").fetchall()]
            before = connection.execute("SELECT count(*) FROM raid_historicalraiditem").fetchone()
        outcome: Counter[str] = Counter()
        latencies: list[float] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.minutes * 60
        budget = [args.max_requests]

        def client(number: int) -> None:
            server = pair[number % 2]
            browser = Browser()
            browser.log_in(server.base)
            rng = random.Random(number)
            while time.monotonic() < stop:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                started = time.perf_counter()
                if rng.random() < args.writes:
                    pk = rng.choice(risks)
                    edit = f"{server.base}/p/mhhs/registers/raid/{pk}/edit/"
                    status, page = browser.request(edit)
                    if status != 200:
                        kind = f"error {status}"
                    else:
                        form = max((f for f in Forms(page).forms if "version" in f), key=len)
                        form.update(owner=f"soak {number} {time.time_ns()}", reason="soak")
                        status, _ = browser.request(edit, form)
                        kind = {302: "write", 303: "write", 409: "conflict"}.get(
                            status, f"error {status}"
                        )
                else:
                    status, _ = browser.request(server.base + rng.choice(READS))
                    kind = "read" if status == 200 else f"error {status}"
                elapsed = time.perf_counter() - started
                with lock:
                    outcome[kind] += 1
                    latencies.append(elapsed)

        memory: list[tuple[float, float, float]] = []
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        began = time.monotonic()
        while any(t.is_alive() for t in threads):
            memory.append((time.monotonic() - began, *(rss_mib(s.process.pid) for s in pair)))
            time.sleep(min(30.0, max(1.0, args.minutes * 60 / 60)))
        for thread in threads:
            thread.join()
        with psycopg.connect(database) as connection:
            after = connection.execute("SELECT count(*) FROM raid_historicalraiditem").fetchone()
    assert before is not None and after is not None
    history_rows = after[0] - before[0]
    print(f"machine: {describe()}")
    if env_b:
        print(f"server B runs with {' '.join(args.env_b)}; A with the defaults")
    print(
        f"{args.clients} clients, two gunicorn servers (1 worker × 4 threads each), "
        f"{args.minutes:g} minutes: {sum(outcome.values())} requests"
    )
    print(f"outcomes ({args.writes:.0%} writes asked for): {dict(outcome)}")
    errors = sum(v for k, v in outcome.items() if k.startswith("error"))
    print(f"errors: {errors}")
    print(
        f"latency median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {sorted(latencies)[int(len(latencies) * 0.99)] * 1000:.0f} ms"
    )
    print(
        f"history rows written: {history_rows}, writes made: {outcome['write']} "
        f"({'equal' if history_rows == outcome['write'] else 'DIFFERENT'})"
    )
    first, last = memory[len(memory) // 10], memory[-1]
    print(
        "server memory (MiB) at 10% and at the end: "
        f"A {first[1]:.0f} → {last[1]:.0f}, B {first[2]:.0f} → {last[2]:.0f}"
    )
    for t, a, b in memory[:: max(1, len(memory) // 12)]:
        print(f"  {t / 60:5.1f} min: A {a:6.1f} MiB, B {b:6.1f} MiB")


if __name__ == "__main__":
    main()
