from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steerco.io.generator import Generator


class Command(BaseCommand):
    help = (
        "Write a SYNTHETIC programme, SCALE times the size of the MHHS example with 36 "
        "meetings of history, in the programme directory format (for benchmarks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--scale", type=int, default=1, metavar="N")
        parser.add_argument("--seed", type=int, default=24, help="random seed (default 24)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 1:
            raise CommandError("--scale must be a whole number of at least 1")
        counts = Generator(options["scale"], options["seed"]).write(options["directory"])
        total = sum(counts.values())
        self.stdout.write(
            f"Wrote a SYNTHETIC programme (scale {options['scale']}) to "
            f"{options['directory']}: {total} top-level records in {len(counts)} files."
        )
