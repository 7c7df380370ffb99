"""`steerco pack` for a large generated programme: wall time and the memory of the whole
process tree (the command and every Typst process it starts), sampled every 10 ms.

The peak of the sum is what the machine must have free: the command lays out the HTML and
the slides while a Typst process typesets, so both count. The largest single process is
printed beside it.

Run: .venv/bin/python bench/pack_memory.py [--scale 40] [--runs 3]
(generating and loading a 40-times programme takes about a minute first)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe

STEERCO = str(Path(sys.executable).parent / "steerco")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass  # the process ended meanwhile
    return found


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def sampled(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, the peak of the tree's summed RSS and the largest single RSS (KiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_sum = peak_one = 0
    while process.poll() is None:
        tree = [process.pid]
        for pid in tree:
            tree += _children(pid)
        sizes = [_rss_kib(pid) for pid in tree]
        peak_sum, peak_one = max(peak_sum, sum(sizes)), max(peak_one, max(sizes))
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr}")
    return elapsed, peak_sum, peak_one


def pdf_pages(path: str) -> str:
    """How many pages pdfinfo counts in the PDF ("?" if it cannot)."""
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    return next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STEERCO_DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3"}
        for step in (
            ["generate", "--scale", str(args.scale), f"{tmp}/data"],
            ["migrate", "--verbosity", "0"],
            ["load", f"{tmp}/data"],
        ):
            subprocess.run([STEERCO, *step], env=env, check=True, capture_output=True)
        command = [STEERCO, "pack", "--meeting", "PSG-36", "--edition", "pmo", "--out", tmp]
        runs = [sampled(command, env) for _ in range(args.runs)]
        count = pdf_pages(f"{tmp}/PSG-36-pmo.pdf")
        print(f"scale-{args.scale} SYNTHETIC programme, PSG-36, the PMO's edition: {count} pages")
        print(
            f"  steerco pack, cold, median of {args.runs}: "
            f"{statistics.median(r[0] for r in runs):.1f} s; "
            f"peak of the process tree's memory {max(r[1] for r in runs) / 1024:.0f} MiB "
            f"(largest single process {max(r[2] for r in runs) / 1024:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
