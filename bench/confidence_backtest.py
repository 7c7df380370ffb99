"""Back-test of the derived confidence (docs/confidence.md) on a `steerco generate --scale 10`
programme (270 milestones, 36 meetings of history): every forecast of a settled milestone,
judged with what was known at its meeting, against whether it held; beside the naive
"every forecast holds" baseline. Prints the Brier score (lower is better), the hit rate and
the calibration by band, and the time of one computation.

Run: .venv/bin/python bench/confidence_backtest.py [--database sqlite:///x10.sqlite3]
(without --database, the programme is generated and loaded into a temporary SQLite file).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe

STEERCO = str(Path(sys.executable).parent / "steerco")


def prepare(tmp: str) -> str:
    url = f"sqlite:///{tmp}/backtest.sqlite3"
    env = {**os.environ, "STEERCO_DATABASE_URL": url}
    for args in (
        ("generate", "--scale", "10", f"{tmp}/x10"),
        ("migrate", "--verbosity", "0"),
        ("load", f"{tmp}/x10"),
    ):
        subprocess.run([STEERCO, *args], env=env, check=True, capture_output=True)
    return url


def report(url: str) -> None:
    os.environ["STEERCO_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.settings")
    import django

    django.setup()
    from steerco.core.models import Meeting, Programme
    from steerco.dashboards import confidence
    from steerco.rules.confidence import backtest
    from steerco.rules.frame import build

    programme = Programme.objects.get(synthetic=True)
    last = Meeting.objects.filter(programme=programme).order_by("-date").first()
    started = time.perf_counter()
    found = confidence.confidences(build(programme, last))
    elapsed = time.perf_counter() - started
    result = backtest(found.tracks, found.model)
    n = result.forecasts
    print(f"machine: {describe()}")
    print(
        f"programme {programme.code}: {len(found.tracks)} milestones (programme and report), "
        f"judged at {found.meeting}; settings {found.model.config}"
    )
    print(f"one computation (cold, every meeting's history read): {elapsed * 1000:.0f} ms")
    print(
        f"forecasts scored: {n} (from {result.milestones} settled milestones); "
        f"held within {found.model.config.tolerance_days} working days: {result.held} "
        f"({result.held / n:.1%})"
    )
    print(f"Brier score, derived confidence: {result.brier:.4f}")
    print(f"Brier score, every forecast holds: {result.brier_naive:.4f}")
    gain = 1 - result.brier / result.brier_naive if result.brier_naive else 0.0
    print(f"Brier skill against the naive baseline: {gain:+.1%}")
    print(
        f"hit rate (chance ≥ 0.5 read as 'holds'): derived {result.hits / n:.1%}, "
        f"naive {result.held / n:.1%}"
    )
    for band, (made, held) in result.by_band.items():
        share = f"{held / made:.1%}" if made else "—"
        print(f"  derived {band:>6}: {made:5d} forecasts, {share} held")
    verdict = "beats" if result.beats_naive else "does NOT beat"
    print(f"verdict: the derived confidence {verdict} 'every forecast holds' on the Brier score")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="", help="a database the programme is loaded in")
    args = parser.parse_args()
    if args.database:
        report(args.database)
        return
    with tempfile.TemporaryDirectory() as tmp:
        report(prepare(tmp))


if __name__ == "__main__":
    main()
