"""`steerco pack --meeting MEETING [--out DIR]`: a meeting's pack as HTML and PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from steerco.io.exporter import ExportError, default_programme, resolve_meeting
from steerco.pack import service

LABELS = {
    "freeze": "Freezing the registers at the cut-off",
    "check": "Checking the rules",
    "build": "Building the sections",
    "render": "Rendering HTML and typesetting the PDF",
    "write": "Writing the files",
}


class Command(BaseCommand):
    help = (
        "Build a meeting's steering-group pack, HTML and PDF, from the registers frozen at the "
        "meeting's cut-off (default folder: var/packs/<programme>/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", required=True, help="meeting code, for example PSG-24")
        parser.add_argument("--out", type=Path, help="folder to write MEETING.html and .pdf to")
        parser.add_argument("--programme", metavar="CODE", help="needed when several are loaded")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            programme = default_programme(options["programme"])
            meeting = resolve_meeting(programme, options["meeting"])
        except ExportError as error:
            raise CommandError(str(error)) from None
        out_dir = options["out"] or service.default_dir(programme)
        console = Console(stderr=True)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(f"Pack {meeting.code}", total=len(service.STEPS))

            def step(name: str) -> None:
                progress.update(task, description=f"{meeting.code}: {LABELS[name]}")
                progress.advance(task)

            pack = service.render(programme, meeting, step)
            step("write")
            written = service.write(pack, out_dir)
        self.stdout.write(f"HTML: {written.html}")
        self.stdout.write(f"PDF:  {written.pdf}")
