from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from steerco.core.history import command_actor
from steerco.io.loader import LoadError, load


class Command(BaseCommand):
    help = (
        "Load a programme directory (see examples/FORMAT.md) into the database, all or "
        "nothing: a fault names file, row and field, and leaves the database unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="for example examples/mhhs")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="if the programme is already loaded, delete it and its history first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        console = Console(stderr=True)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(f"Loading {directory}", total=None)

            def advance(label: str, count: int) -> None:
                progress.update(task, description=label, advance=count)

            try:
                result = load(
                    directory,
                    actor=command_actor("load"),
                    replace=options["replace"],
                    progress=advance,
                )
            except LoadError as error:
                raise CommandError(f"{error}\nNothing was loaded.") from None
        self.stdout.write(
            f"Loaded {result.programme.code}: {result.total} records "
            f"from {directory} ({len(result.counts)} kinds)."
        )
