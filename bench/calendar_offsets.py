"""1,000,000 working-day offsets: steerco's bulk calendar against bare numpy.busday_offset.

Run: .venv/bin/python bench/calendar_offsets.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe

from steerco.core.calendar import calendar_for

N, RUNS = 1_000_000, 9


def main() -> None:
    rng = np.random.default_rng(24)
    start = np.datetime64("2020-01-01")
    days = start + rng.integers(0, 365 * 10, N).astype("timedelta64[D]")
    offsets = rng.integers(-250, 250, N)
    calendar = calendar_for("GB", "ENG")
    holidays = np.array(calendar.holidays, dtype="datetime64[D]")
    bare_calendar = np.busdaycalendar(weekmask="1111100", holidays=holidays)

    ours, bare = [], []
    for _ in range(RUNS):  # interleaved, so drift affects both alike
        t = time.perf_counter()
        result = calendar.add_working_days_bulk(days, offsets)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        expected = np.busday_offset(days, offsets, roll="forward", busdaycal=bare_calendar)
        bare.append(time.perf_counter() - t)
    assert (result == expected).all()
    ours_median, bare_median = statistics.median(ours), statistics.median(bare)
    print(f"machine: {describe()}")
    print(
        f"{N:,} offsets, median of {RUNS}: steerco {ours_median * 1000:.1f} ms, "
        f"bare numpy {bare_median * 1000:.1f} ms, ratio {ours_median / bare_median:.2f}x "
        "(goal: within 3x)"
    )


if __name__ == "__main__":
    main()
