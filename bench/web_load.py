"""Web pages under load: every dashboard and register list of a `steerco generate --scale 10`
programme, served by gunicorn (2 workers) on 127.0.0.1, beside a bare Django page rendering
a 200-row table, at 2 and 16 concurrent clients. Prints req/s, p99 and queries per page,
and each page's CPU time per request measured in one process, interleaved with the bare
page: a ratio that other load on the machine does not skew.

Traffic goes to 127.0.0.1 only, each measurement bounded in time (wrk -d, or the Python
client's deadline and request cap). Run: .venv/bin/python bench/web_load.py [--seconds S]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _machine import describe  # noqa: E402

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
MAX_REQUESTS = 20_000  # per measurement, whatever the duration


def steerco(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(BIN / "steerco"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"steerco {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


SETUP = """
from django.contrib.auth import get_user_model
from steerco.accounts.models import Membership
from steerco.core.models import Programme
programme = Programme.objects.get()
user, _ = get_user_model().objects.get_or_create(username="bench-pmo")
user.set_password("bench-password-1")
user.save()
Membership.objects.update_or_create(user=user, defaults={"role": "pmo", "programme": programme})
print(programme.code, programme.milestones.order_by("pk").first().pk)
"""

COUNT = """
import statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
client.login(username="bench-pmo", password="bench-password-1")
cpu = {path: [] for path in PATHS}
for path in PATHS:
    client.get(path)
for _ in range(ROUNDS):  # interleaved, so that other load on the machine hits every page alike
    for path in PATHS:
        started = time.process_time()
        client.get(path)
        cpu[path].append(time.process_time() - started)
for path in PATHS:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    print(path, status, len(queries), f"{statistics.median(cpu[path]) * 1000:.1f}")
"""


def pages(programme: str, milestone: str) -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.settings")
    import django

    django.setup()
    from steerco.dashboards import DASHBOARDS
    from steerco.registers import PAGES as REGISTERS

    return (
        ["/bench/bare/"]
        + [f"/p/{programme}/dashboards/{d.slug}/" for d in DASHBOARDS]
        + [f"/p/{programme}/registers/{r.slug}/" for r in REGISTERS]
        # A milestone's page too: its forecast over the 36 meetings and its slip chart.
        + [f"/p/{programme}/registers/milestones/{milestone}/"]
    )


def sign_in(port: int) -> str:
    """The session cookie of the bench PMO, signed in through the login form."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    html = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf_cookie and token, "no CSRF token on the login page"
    body = urllib.parse.urlencode(
        {
            "username": "bench-pmo",
            "password": "bench-password-1",
            "csrfmiddlewaretoken": token.group(1),
        }
    )
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request(
        "POST",
        "/accounts/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie.group(1)}",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", ""))
    assert response.status == 302 and session, f"sign-in failed: {response.status}"
    return f"sessionid={session.group(1)}"


def with_wrk(
    port: int, path: str, clients: int, seconds: float, cookie: str
) -> tuple[float, float]:
    command = [
        "wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds:g}s",
        "--timeout", "10s", "--latency", "-H", f"Cookie: {cookie}", f"http://{HOST}:{port}{path}",
    ]  # fmt: skip
    for _attempt in range(3):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode == 0:
            break
        time.sleep(2)  # wrk could not connect: the server was busy restarting a worker
    else:
        raise SystemExit(f"wrk failed on {path}:\n{result.stdout}{result.stderr}")
    out = result.stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{path}: non-2xx answers under load\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return rate, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def with_threads(
    port: int, path: str, clients: int, seconds: float, cookie: str
) -> tuple[float, float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        while time.perf_counter() < deadline and len(latencies) < MAX_REQUESTS:
            started = time.perf_counter()
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status} under load")
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else latencies[0]
    return len(latencies) / elapsed, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=4.0, help="per page and concurrency")
    parser.add_argument("--clients", default="2,16")
    parser.add_argument("--only", default="", help="measure only paths containing this")
    parser.add_argument("--rounds", type=int, default=15, help="in-process CPU-time rounds")
    args = parser.parse_args()
    has_wrk = subprocess.run(["which", "wrk"], capture_output=True, check=False).returncode == 0
    measure: Measure = with_wrk if has_wrk else with_threads
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "STEERCO_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "STEERCO_VAR_DIR": tmp,
        }
        steerco("generate", "--scale", "10", f"{tmp}/x10", env=env)
        steerco("migrate", "--verbosity", "0", env=env)
        steerco("load", f"{tmp}/x10", env=env)
        programme, milestone = steerco("shell", "-c", SETUP, env=env).split()[-2:]
        paths = [p for p in pages(programme, milestone) if args.only in p or p == "/bench/bare/"]
        bench_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "web_bare_settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
        }
        counted = steerco(
            "shell", "-c", f"PATHS = {paths!r}\nROUNDS = {args.rounds}\n{COUNT}", env=bench_env
        )
        queries = {line.split()[0]: line.split()[1:] for line in counted.splitlines() if line}
        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "steerco.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
            ],
            env=bench_env,
        )
        try:
            run(paths, port, args, measure, queries)
        finally:
            server.terminate()
            server.wait(timeout=30)


Measure = Callable[[int, str, int, float, str], tuple[float, float]]


def run(
    paths: list[str],
    port: int,
    args: argparse.Namespace,
    measure: Measure,
    queries: dict[str, list[str]],
) -> None:
    for _ in range(100):
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    cookie = sign_in(port)
    clients = [int(c) for c in args.clients.split(",")]
    print(f"machine: {describe()}; load average at start {os.getloadavg()[0]:.1f}")
    print(
        f"gunicorn 2 workers on {HOST}, SQLite, {args.seconds:g} s per measurement, "
        f"{'wrk' if measure is with_wrk else 'Python threads'}"
    )
    header = " | ".join(f"{c} clients req/s | p99 ms" for c in clients)
    bare_cpu = float(queries["/bench/bare/"][2])
    print(f"| page | status | queries | CPU ms (× bare) | {header} |")
    print("|---|---|---|---|" + "---|---|" * len(clients))
    # Other work on the machine changes its speed during a run: each page is measured right
    # after the bare page, at the same concurrency, and its ratio is to that measurement.
    bare_path = "/bench/bare/"
    for path in paths:
        cells = []
        for count in clients:
            measure(port, path, count, 1, cookie)  # warm up
            bare_rate, _ = measure(port, bare_path, count, args.seconds, cookie)
            rate, p99 = measure(port, path, count, args.seconds, cookie)
            cells.append(f"{rate:.1f} ({rate / bare_rate:.2f}×) | {p99:.0f}")
        status, count_q, cpu = queries[path]
        speed = f"{cpu} ({bare_cpu / float(cpu):.2f}×)"
        print(f"| `{path}` | {status} | {count_q} | {speed} | {' | '.join(cells)} |", flush=True)
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
