from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from steerco.planning import generate
from steerco.planning.cases import CaseError, read_case
from steerco.planning.migration import PlanError
from steerco.planning.planner import SOLVERS, plan
from steerco.planning.render import render
from steerco.planning.report import to_json


class Command(BaseCommand):
    help = (
        "Allocate qualification tranches and plan meter-point migration for a case file: the "
        "optimal plan (HiGHS) against the greedy spreadsheet way. With --generate DIR, write "
        "the SYNTHETIC GB-sized case instead. The case format is in docs/planning.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case", nargs="?", type=Path, help="a YAML or JSON case file")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--solver",
            choices=sorted(SOLVERS),
            default="structured",
            help="structured LP (default) or the plain LP, for comparison",
        )
        parser.add_argument(
            "--generate",
            type=Path,
            metavar="DIR",
            help="write DIR/case.yaml, a SYNTHETIC GB-sized case, and stop (no planning)",
        )
        parser.add_argument(
            "--sample",
            action="store_true",
            help="with --generate: write DIR/sample.yaml, a small case of the same kind",
        )
        parser.add_argument("--seed", type=int, default=8, help="with --generate (default 8)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"] is not None:
            self._generate(options["generate"], options["sample"], options["seed"])
            return
        if options["case"] is None:
            raise CommandError("give a CASE file (or --generate DIR)")
        stderr = Console(stderr=True)
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
            disable=not stderr.is_terminal,
        )
        with progress:
            task = progress.add_task("reading the case", total=None)

            def step(description: str) -> None:
                progress.update(task, description=description)

            try:
                step("reading the case")
                result = plan(read_case(options["case"]), step, options["solver"])
            except (CaseError, PlanError) as error:
                raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(to_json(result), indent=2))
        else:
            render(result, Console(file=cast(IO[str], self.stdout), width=160))

    def _generate(self, directory: Path, sample: bool, seed: int) -> None:
        shape = generate.SAMPLE if sample else generate.GB
        path = directory / ("sample.yaml" if sample else "case.yaml")
        case = generate.write(path, shape, seed)
        points = sum(sum(s["portfolio"].values()) for s in case["suppliers"])
        self.stdout.write(
            f"Wrote a SYNTHETIC case to {path}: {points:,} meter points, "
            f"{len(case['suppliers'])} suppliers, {len(case['capacity']['ldsos'])} LDSOs, "
            f"{len(case['tranches'])} tranches, {shape.working_days} working days."
        )
