"""Dry run of a 10,000-task MS Project plan (MSPDI XML), Java's start included, against the
same rows as a CSV spreadsheet's dry run.

The plan is SYNTHETIC: 10,000 milestones written by MPXJ's own writer (steerco.io.plans),
each with a baseline, a forecast and a predecessor.

Run: .venv/bin/python bench/plan_import.py
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe

TASKS, RUNS = 10_000, 3
MAPPING = {
    "register": "milestones",
    "plan": {"tasks": "all"},
    "columns": {
        "Text1": "code",
        "Name": "title",
        "Text2": "tier",
        "Baseline Finish": "baseline_date",
        "Finish": "forecast_date",
        "Predecessors": "predecessors",
    },
}


def synthetic_rows() -> list[dict[str, object]]:
    start = dt.date(2024, 1, 1)
    return [
        {
            "code": f"SYN-{n:05d}",
            "title": f"SYNTHETIC milestone {n}",
            "tier": f"T{1 + n % 3}",
            "baseline": (start + dt.timedelta(days=n % 700)).isoformat(),
            "forecast": (start + dt.timedelta(days=n % 700 + n % 11)).isoformat(),
            "actual": None,
            "predecessors": [f"SYN-{n - 1:05d}"] if n else [],
        }
        for n in range(TASKS)
    ]


def write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["code", "title", "tier", "baseline_date", "forecast_date"])
        for row in rows:
            out.writerow([row[k] for k in ("code", "title", "tier", "baseline", "forecast")])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STEERCO_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from steerco.io import importer, plans
        from steerco.io.loader import load
        from steerco.io.mapping import Mapping

        call_command("migrate", verbosity=0)
        programme = load(Path("examples/mhhs"), actor="bench").programme
        rows = synthetic_rows()
        plan, sheet = Path(tmp) / "plan.xml", Path(tmp) / "plan.csv"
        plans.write(plan, rows)
        write_csv(sheet, rows)
        mapping = Mapping.parse(MAPPING)
        timings: dict[str, list[float]] = {"plan": [], "csv": []}
        for _ in range(RUNS):
            for name, run in (
                ("plan", lambda: importer.plan("milestones", plan, programme, mapping)),
                ("csv", lambda: importer.plan("milestones", sheet, programme)),
            ):
                started = time.perf_counter()
                result = run()
                timings[name].append(time.perf_counter() - started)
                assert not result.problems and result.count("create") == TASKS, name
        size = plan.stat().st_size
    plan_s, csv_s = (statistics.median(timings[k]) for k in ("plan", "csv"))
    print(describe())
    print(f"{TASKS:,}-task MSPDI plan ({size / 1e6:.1f} MB), dry run, Java start included:")
    print("  runs " + ", ".join(f"{t:.2f}" for t in timings["plan"]) + f" s, median {plan_s:.2f} s")
    print("  the same rows as CSV: " + ", ".join(f"{t:.2f}" for t in timings["csv"]))
    print(f"  median {csv_s:.2f} s; the plan costs {plan_s / csv_s:.2f}× the CSV")


if __name__ == "__main__":
    main()
