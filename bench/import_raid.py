"""Dry run of a 100,000-row RAID xlsx, against the time openpyxl alone takes to read it.

Run: .venv/bin/python bench/import_raid.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _machine import describe

ROWS, RUNS = 100_000, 3


def write_workbook(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("items")
    sheet.append(
        [
            "ref",
            "type",
            "theme",
            "log",
            "description",
            "owner",
            "initial_score",
            "current_score",
            "target_score",
            "status",
            "order",
        ]
    )
    for n in range(ROWS):
        sheet.append(
            [
                f"B{n:06d}",
                "risk",
                1 + n % 3,
                "bench",
                f"There is a risk that benchmark item {n} slips",
                "PMO",
                20,
                1 + n % 30,
                4,
                "open",
                n + 1,
            ]
        )
    book.save(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STEERCO_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from steerco.io import importer
        from steerco.io.loader import load

        call_command("migrate", verbosity=0)
        programme = load(Path("examples/mhhs"), actor="bench").programme
        path = Path(tmp) / "raid.xlsx"
        write_workbook(path)
        import openpyxl

        reads, plans = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            book = openpyxl.load_workbook(path, read_only=True)
            count = sum(1 for _ in book["items"].iter_rows(values_only=True))
            book.close()
            reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = importer.plan("raid", path, programme)
            plans.append(time.perf_counter() - started)
        assert count == ROWS + 1 and result.count("create") == ROWS and not result.problems
        size = path.stat().st_size / 1e6
    print(f"machine: {describe()}")
    print(f"{ROWS:,}-row RAID xlsx ({size:.1f} MB), median of {RUNS}:")
    print(f"  openpyxl (read-only) reading it: {statistics.median(reads):.2f} s")
    print(
        f"  steerco import dry run (read with calamine, check every row, compare): "
        f"{statistics.median(plans):.2f} s (goal: under 10 s)"
    )


if __name__ == "__main__":
    main()
