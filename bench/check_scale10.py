"""`steerco check` on a `steerco generate --scale 10` programme, in a cold process.

Run: .venv/bin/python bench/check_scale10.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe

RUNS = 5
STEERCO = str(Path(sys.executable).parent / "steerco")


def run(*args: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run([STEERCO, *args], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"steerco {' '.join(args)} failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STEERCO_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        run("generate", "--scale", "10", f"{tmp}/x10", env=env)
        run("migrate", "--verbosity", "0", env=env)
        load = run("load", f"{tmp}/x10", env=env)
        startup = statistics.median(run("check", "--system", env=env) for _ in range(RUNS))
        checks = [
            run("check", "--meeting", "PSG-36", "--format", "json", env=env) for _ in range(RUNS)
        ]
        live = [run("check", "--live", "--format", "json", env=env) for _ in range(RUNS)]
    print(f"machine: {describe()}")
    print(f"load of the scale-10 programme: {load:.1f} s")
    print(
        f"steerco check --meeting PSG-36 (as of its cut-off), cold process, median of {RUNS}: "
        f"{statistics.median(checks):.2f} s (goal: under 2 s)"
    )
    print(f"steerco check --live, cold process, median of {RUNS}: {statistics.median(live):.2f} s")
    print(f"process start-up alone (steerco check --system): {startup:.2f} s")


if __name__ == "__main__":
    main()
