"""The pack as PowerPoint: the time to build PSG-24's .pptx beyond the PDF (goal: under 2 s),
and the memory it adds.

Run: .venv/bin/python bench/pack_pptx.py [--runs N] [--scale N]

The deck is laid out from the very document the PDF is typeset from, so what it adds to a
build is `slides.render_pptx` on that document: timed here on its own, on one core, after a
first warm-up build (as a build of several editions in one process pays the imports and
font metrics once). For comparison, the whole `service.render` of the PMO edition (freeze,
check, build, HTML, PDF and the deck, the deck laid out while Typst typesets) and Typst
alone on the same document.

Memory: `render_pptx` alone in a fresh process per run, its document built (or, with
--scale, a `steerco generate --scale N` programme's PSG-36, PMO edition) before the peak
RSS is read: what the deck adds is the peak after it less the RSS before it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe

ROOT = Path(__file__).resolve().parent.parent
STEERCO = str(Path(sys.executable).parent / "steerco")

CHILD = """
import io, json, statistics, time, zipfile, django
django.setup()
from steerco.core.models import Meeting
from steerco.pack import parts, service
from steerco.pack.builder import build_document
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.slides import render_pptx
from steerco.rules import findings
from steerco.rules.frame import build
meeting = Meeting.objects.get(code="PSG-24")
audience = AUDIENCES[Edition.PMO]
frame = build(meeting.programme, meeting, who=audience.audience)
document = build_document(frame, findings.check(frame), audience)
deck = render_pptx(document)  # warm-up: imports, font metrics, Typst's fonts
def median(work):
    times = []
    for _ in range({runs}):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), max(times)
print(json.dumps({{
    "pptx": median(lambda: render_pptx(document)),
    "pdf": median(lambda: parts.render_pdf(document)),
    "render": median(lambda: service.render(meeting.programme, meeting, Edition.PMO)),
    "bytes": len(deck),
    "slides": sum(
        n.startswith("ppt/slides/slide") for n in zipfile.ZipFile(io.BytesIO(deck)).namelist()
    ),
}}))
"""


MEMORY_CHILD = """
import gc, json, time, django
django.setup()
from steerco.core.models import Meeting
from steerco.pack.builder import build_document
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.slides import render_pptx
from steerco.rules import findings
from steerco.rules.frame import build
def status(key):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) // 1024 for line in lines if line.startswith(key))
meeting = Meeting.objects.get(code="{meeting}")
audience = AUDIENCES[Edition.PMO]
frame = build(meeting.programme, meeting, who=audience.audience)
document = build_document(frame, findings.check(frame), audience)
del frame
gc.collect()
before = status("VmRSS")
started = time.perf_counter()
deck = render_pptx(document)
print(json.dumps({{
    "seconds": time.perf_counter() - started,
    "before": before,
    "peak": status("VmHWM"),
    "bytes": len(deck),
}}))
"""


def memory(meeting: str, runs: int, env: dict[str, str]) -> None:
    """render_pptx's time and added peak RSS, each run in a fresh process."""
    found = []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD.format(meeting=meeting)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        found.append(json.loads(result.stdout.strip().splitlines()[-1]))
    added = statistics.median(f["peak"] - f["before"] for f in found)
    seconds = statistics.median(f["seconds"] for f in found)
    print(
        f"  {meeting}, render_pptx in a fresh process, median of {runs}: {seconds:.2f} s, "
        f"peak RSS {statistics.median(f['peak'] for f in found):.0f} MiB, "
        f"{added:.0f} MiB over the {found[0]['before']} MiB before it; "
        f"{found[0]['bytes']:,} bytes"
    )


def steerco(*args: str, env: dict[str, str]) -> None:
    subprocess.run([STEERCO, *args], env=env, check=True, capture_output=True)


def mhhs(tmp: str) -> dict[str, str]:
    """An environment whose database, in ``tmp``, holds the MHHS example."""
    env = {
        **os.environ,
        "STEERCO_DATABASE_URL": f"sqlite:///{tmp}/mhhs.sqlite3",
        "STEERCO_VAR_DIR": tmp,
        "DJANGO_SETTINGS_MODULE": "steerco.settings",
    }
    steerco("migrate", "--verbosity", "0", env=env)
    steerco("load", str(ROOT / "examples" / "mhhs"), env=env)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--scale", type=int, default=0, help="also a generated programme of this scale"
    )
    args = parser.parse_args()
    print(f"machine: {describe()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        env = mhhs(tmp)
        result = subprocess.run(
            [sys.executable, "-c", CHILD.format(runs=args.runs)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"PSG-24, the PMO's edition: {found['slides']} slides, {found['bytes']:,} bytes")
    for key, label in (
        ("pptx", "the .pptx beyond the PDF (render_pptx, one core; goal under 2 s)"),
        ("pdf", "the PDF (render_pdf: Typst in a process of its own)"),
        ("render", "service.render: freeze, check, build, HTML, PDF and .pptx"),
    ):
        median, low, high = found[key]
        print(f"  {label}, median of {args.runs}: {median:.2f} s ({low:.2f}–{high:.2f})")
    with tempfile.TemporaryDirectory() as tmp:
        env = mhhs(tmp)
        memory("PSG-24", min(args.runs, 3), env)
        if args.scale:
            env["STEERCO_DATABASE_URL"] = f"sqlite:///{tmp}/scale.sqlite3"
            steerco("generate", "--scale", str(args.scale), f"{tmp}/scale", env=env)
            steerco("migrate", "--verbosity", "0", env=env)
            steerco("load", f"{tmp}/scale", env=env)
            print(f"scale-{args.scale} SYNTHETIC programme, PSG-36, the PMO's edition:")
            memory("PSG-36", min(args.runs, 3), env)


if __name__ == "__main__":
    main()
