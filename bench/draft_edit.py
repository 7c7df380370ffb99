"""From an edit to the open meeting's rebuilt draft: the MHHS example loaded into SQLite,
served by gunicorn (2 workers) on 127.0.0.1 with `steerco db_worker` running, the PMO signed
in. Each round saves an edit of risk R272's description through its web edit form (every
field the form offers posted back, a marker added to the description, a reason), then
downloads PSG-25's draft PMO edition (HTML) until the marker is in it. Prints each round's
seconds from the save's start to the draft downloaded, and their median.

Run: .venv/bin/python bench/draft_edit.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from _machine import describe  # noqa: E402
from tests.form_support import form_values  # noqa: E402
from web_load import BIN, HOST, SETUP, free_port, sign_in, steerco  # noqa: E402

EXAMPLE = HERE.parent / "examples" / "mhhs"
DRAFT = "/p/mhhs/meetings/PSG-25/pack.html?edition=pmo"


def request(
    port: int, method: str, path: str, cookie: str, body: str = ""
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Cookie": cookie, "Referer": f"http://{HOST}:{port}{path}"}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body or None, headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, dict(response.getheaders()), data


def edit_url(env: dict[str, str]) -> str:
    code = 'from steerco.raid.models import RaidItem\nprint(RaidItem.objects.get(ref="R272").pk)'
    pk = steerco("shell", "-c", code, env=env).split()[-1]
    return f"/p/mhhs/registers/raid/{pk}/edit/"


def one_round(port: int, cookie: str, url: str, n: int) -> float:
    status, headers, html = request(port, "GET", url, cookie)
    form = form_values(html.decode(), action=url)
    marker = f"bench-{n}-{time.time_ns()}"
    description = form.get("description", "").split(" [bench-")[0]
    fields = {**form, "description": f"{description} [{marker}]", "reason": f"round {n}"}
    # The form's CSRF token goes with the cookie the same page set.
    issued = headers.get("Set-Cookie", "")
    if "csrftoken=" in issued:
        cookie = f"{cookie}; {issued.split(';')[0]}"
    started = time.perf_counter()
    status, headers, _ = request(port, "POST", url, cookie, urllib.parse.urlencode(fields))
    if status != 302:
        raise SystemExit(f"the edit was not saved ({status}): {sorted(fields)}")
    while True:
        status, _, draft = request(port, "GET", DRAFT, cookie)
        if status == 200 and marker.encode() in draft:
            return time.perf_counter() - started
        if time.perf_counter() - started > 60:
            raise SystemExit("the draft did not show the edit within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "STEERCO_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "STEERCO_VAR_DIR": tmp,
        }
        steerco("migrate", "--verbosity", "0", env=env)
        steerco("load", str(EXAMPLE), env=env)
        steerco(
            "shell",
            "-c",
            SETUP.replace("Programme.objects.get()", 'Programme.objects.get(code="mhhs")'),
            env=env,
        )
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "steerco.wsgi:application", "--workers", "2",
             "--bind", f"{HOST}:{port}", "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        worker = subprocess.Popen(
            [str(BIN / "steerco"), "db_worker", "--no-startup-delay"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection((HOST, port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            cookie = sign_in(port)
            url = edit_url(env)
            print(f"machine: {describe()}; load average at start {os.getloadavg()[0]:.1f}")
            print(f"gunicorn 2 workers + db_worker, SQLite, MHHS example; edit {url}")
            request(port, "GET", DRAFT, cookie)  # warm both workers' imports once
            request(port, "GET", DRAFT, cookie)
            times = [one_round(port, cookie, url, n) for n in range(1, args.rounds + 1)]
            print("rounds (s): " + ", ".join(f"{t:.2f}" for t in times))
            median = statistics.median(times)
            print(f"median from saving the edit to the draft downloaded: {median:.2f} s")
        finally:
            for process in (server, worker):
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
