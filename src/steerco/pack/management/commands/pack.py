"""`steerco pack --meeting MEETING [--edition E] [--out DIR] [--template PPTX]`: a meeting's
pack editions as HTML, PDF and PowerPoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from steerco.core.lookup import LookupFailed, default_programme, resolve_meeting
from steerco.pack import editions, service
from steerco.pack.editions import Edition

LABELS = {
    "freeze": "Freezing the registers at the cut-off",
    "check": "Checking the rules",
    "build": "Building the sections",
    "render": "Rendering HTML and the slides, typesetting the PDF",
    "write": "Writing the files",
}


class Command(BaseCommand):
    help = (
        "Build a meeting's steering-group pack, HTML, PDF and PowerPoint, from the registers "
        "frozen at the meeting's cut-off, one edition per audience (public, participants, "
        "members, pmo); default folder: var/packs/<programme>/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", required=True, help="meeting code, for example PSG-24")
        parser.add_argument(
            "--edition",
            choices=["all", *(e.value for e in Edition)],
            default="all",
            help="which edition to build (default: all four)",
        )
        parser.add_argument(
            "--out", type=Path, help="folder to write MEETING-EDITION.html, .pdf and .pptx to"
        )
        parser.add_argument(
            "--template",
            type=Path,
            metavar="PPTX",
            help="a PowerPoint template whose masters and layouts the slides use (default: "
            "the programme's, STEERCO_PACK_TEMPLATE_DIR/<programme>.pptx, if there is one)",
        )
        parser.add_argument("--programme", metavar="CODE", help="needed when several are loaded")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            programme = default_programme(options["programme"])
            meeting = resolve_meeting(programme, options["meeting"])
        except LookupFailed as error:
            raise CommandError(str(error)) from None
        out_dir = options["out"] or editions.default_dir(programme.code)
        edition = options["edition"]
        wanted = tuple(Edition) if edition == "all" else (Edition(edition),)
        template = options["template"]
        if template is not None and not template.is_file():
            raise CommandError(f"--template {template}: no such file")
        console = Console(stderr=True)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            total = len(service.STEPS) * len(wanted)
            task = progress.add_task(f"Pack {meeting.code}", total=total)

            def step(edition: Edition, name: str) -> None:
                label = f"{meeting.code} {edition.value} edition: {LABELS[name]}"
                progress.update(task, description=label)
                progress.advance(task)

            written = service.build_editions(
                programme, meeting, wanted, step, out_dir, template=template
            )
        for files in written:
            self.stdout.write(f"HTML: {files.html}")
            self.stdout.write(f"PDF:  {files.pdf}")
            self.stdout.write(f"PPTX: {files.pptx}")
