"""Benchmark for issue 8: the structured migration LP against the plain LP on the SYNTHETIC
GB-sized case (33 million meter points, 100 suppliers, 20 LDSOs, 8 tranches, 400 working
days), in one run, with greedy's stranded count beside the LP's.

    .venv/bin/python bench/plan_gb.py [--runs 5] [--plain-runs 1] [--seed 8]

Each solve runs in a fresh process (multiprocessing "spawn"), so its peak resident memory
(ru_maxrss) is its own and not the high-water mark of an earlier solve. A solve's time is
the wall time to build the LP, solve it and (structured) split it back to suppliers; the
case is generated and laid out before the clock starts. Prints medians of the runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe

GIB = 1024**3


def _problem(seed: int) -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.settings")
    from steerco.planning.cases import parse_case
    from steerco.planning.generate import generate
    from steerco.planning.planner import allocation_for, build_problem

    case = parse_case(generate(seed=seed), "gb-synthetic")
    return case, build_problem(case, allocation_for(case))


def solve_once(method: str, seed: int) -> dict[str, Any]:
    """Runs in a child process: generate, lay out, then time one solve."""
    from steerco.planning.migration import greedy, solve_plain, solve_structured

    case, problem = _problem(seed)
    solver = {"structured": solve_structured, "plain": solve_plain, "greedy": greedy}[method]
    began = time.perf_counter()
    schedule = solver(problem)
    seconds = time.perf_counter() - began
    return {
        "method": method,
        "seconds": seconds,
        "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "columns": schedule.columns,
        "rows": schedule.rows,
        "migrated": schedule.migrated(),
        "stranded": case.total - schedule.migrated(),
        "objective": schedule.objective(problem),
        "time_cost": schedule.time_cost(),
        "meter_points": case.total,
        "working_days": len(problem.days),
    }


def run(method: str, seed: int) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(solve_once, method, seed).result()


def baseline_peak() -> int:
    """Peak memory of a child that only generates and lays out the case (no solve)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_baseline_child).result()


def _baseline_child() -> int:
    _problem(8)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def summarise(name: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = [r["seconds"] for r in runs]
    peak = max(r["peak_bytes"] for r in runs)
    first = runs[0]
    size = f"; LP {first['columns']:,} columns × {first['rows']:,} rows" if first["rows"] else ""
    print(
        f"{name:10} median {statistics.median(seconds):7.2f} s over {len(runs)} run(s) "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}); peak RSS {peak / GIB:.2f} GiB{size}"
    )
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="structured LP runs (median)")
    parser.add_argument("--plain-runs", type=int, default=1, help="plain LP runs")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    print(describe())
    base = baseline_peak()
    print(f"case generation and layout alone: peak RSS {base / GIB:.2f} GiB")
    structured = summarise("structured", [run("structured", args.seed) for _ in range(args.runs)])
    plain = summarise("plain", [run("plain", args.seed) for _ in range(args.plain_runs)])
    baseline = summarise("greedy", [run("greedy", args.seed) for _ in range(args.runs)])
    print(
        f"case: {structured['meter_points']:,} meter points, "
        f"{structured['working_days']} working days"
    )
    for name in ("migrated", "objective", "time_cost"):
        same = "agree" if structured[name] == plain[name] else "DIFFER"
        print(f"{name:10} structured {structured[name]:,}  plain {plain[name]:,}  ({same})")
    print(
        f"stranded   LP {structured['stranded']:,}  greedy {baseline['stranded']:,}  "
        f"(greedy strands {baseline['stranded'] - structured['stranded']:,} more)"
    )


if __name__ == "__main__":
    main()
