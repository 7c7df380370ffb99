"""`steerco pack`: the PSG-24 pack (HTML and PDF) and a `steerco generate --scale 10`
programme's pack, each in a cold process, beside the PDF engine's own time on the same
document.

Run: .venv/bin/python bench/pack.py [--runs N]

The engine's time is Typst alone, compiling the very source steerco hands it (same fonts,
same inputs), timed inside one process; steerco's overhead is the cold command's median
less that: start-up, freezing the registers, the checker, building the document, HTML.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe
from pack_memory import pdf_pages, sampled

ROOT = Path(__file__).resolve().parent.parent
STEERCO = str(Path(sys.executable).parent / "steerco")


def run(*args: str, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one cold `steerco` process (without
    the Typst processes it starts: see ``memory``)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [STEERCO, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise SystemExit(f"steerco {' '.join(args)} failed:\n{stderr}")
    return elapsed, usage.ru_maxrss


def memory(*args: str, env: dict[str, str]) -> float:
    """The peak of the summed memory (MiB) of `steerco` and the Typst processes it starts,
    in one more run sampled every 10 ms (the sampling is left out of the timed runs)."""
    return sampled([STEERCO, *args], env)[1] / 1024


def engine_alone(meeting: str, runs: int, env: dict[str, str]) -> dict[str, float]:
    """(The PMO's edition: the largest.)"""
    """Build the meeting's document once, then time Typst alone on its source (in a child
    process, so this process never loads Django)."""
    code = f"""
import json, statistics, time, django
django.setup()
from steerco.core.models import Meeting
from steerco.pack.builder import build_document
from steerco.pack import pdf, typst_child
from steerco.pack.editions import AUDIENCES, Edition
from steerco.rules import findings
from steerco.rules.frame import build
meeting = Meeting.objects.get(code={meeting!r})
frame = build(meeting.programme, meeting)
document = build_document(frame, findings.check(frame), AUDIENCES[Edition.PMO])
job = pdf.job(document, pdf.typst_source(document))
times, pages = [], 0
for _ in range({runs}):
    typst_child.compiler.cache_clear()  # a fresh compiler each time, fonts included
    started = time.perf_counter()
    out = typst_child.compile_here(job)
    times.append(time.perf_counter() - started)
print(json.dumps({{"engine": statistics.median(times), "bytes": len(out)}}))
"""
    env = {**env, "DJANGO_SETTINGS_MODULE": "steerco.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def editions(meeting: str, runs: int, env: dict[str, str], out: str) -> None:
    """Each edition's cold build on its own (`steerco pack --edition E`)."""
    for edition in ("public", "participants", "members", "pmo"):
        args = ("pack", "--meeting", meeting, "--edition", edition, "--out", out)
        timings = [run(*args, env=env) for _ in range(runs)]
        wall = statistics.median(t for t, _ in timings)
        peak = memory(*args, env=env)
        count = pdf_pages(f"{out}/{meeting}-{edition}.pdf")
        print(
            f"  {edition} edition: {count} pages, cold process, median of {runs}: {wall:.2f} s; "
            f"peak memory {peak:.0f} MiB"
        )


def measure(label: str, meeting: str, runs: int, env: dict[str, str], out: str) -> None:
    args = ("pack", "--meeting", meeting, "--edition", "pmo", "--out", out)
    timings = [run(*args, env=env) for _ in range(runs)]
    wall = statistics.median(t for t, _ in timings)
    peak = memory(*args, env=env)
    engine = engine_alone(meeting, runs, env)
    startup = statistics.median(run("pack", "--help", env=env)[0] for _ in range(runs))
    overhead = wall - engine["engine"]
    count = pdf_pages(f"{out}/{meeting}-pmo.pdf")
    print(f"{label}, the PMO's edition: {count} pages")
    print(
        f"  steerco pack, cold process, median of {runs}: {wall:.2f} s; peak memory {peak:.0f} MiB"
    )
    print(f"  Typst alone on the same source, median of {runs}: {engine['engine']:.2f} s")
    print(f"  steerco's overhead: {overhead:.2f} s = {overhead / engine['engine']:.2f}x the engine")
    beyond = overhead - startup
    print(
        f"  of which process start-up (steerco pack --help): {startup:.2f} s; the rest "
        f"{beyond:.2f} s = {beyond / engine['engine']:.2f}x the engine"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {describe()}")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "STEERCO_DATABASE_URL": f"sqlite:///{tmp}/mhhs.sqlite3"}
        run("migrate", "--verbosity", "0", env=env)
        run("load", str(ROOT / "examples" / "mhhs"), env=env)
        measure("PSG-24 (MHHS example)", "PSG-24", args.runs, env, f"{tmp}/out")
        editions("PSG-24", args.runs, env, f"{tmp}/out")

        env = {**os.environ, "STEERCO_DATABASE_URL": f"sqlite:///{tmp}/x10.sqlite3"}
        run("generate", "--scale", "10", f"{tmp}/x10", env=env)
        run("migrate", "--verbosity", "0", env=env)
        run("load", f"{tmp}/x10", env=env)
        measure(
            "scale-10 SYNTHETIC programme, PSG-36",
            "PSG-36",
            max(args.runs // 2, 3),
            env,
            f"{tmp}/out10",
        )


if __name__ == "__main__":
    main()
