from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from steerco.ops import backup


class Command(BaseCommand):
    help = {
        "backup": "Write every table, registers with their full history, to FILE (gzip JSON), "
        "in one consistent read while the application runs.",
        "restore": "Restore a backup FILE into an empty, migrated database, all or nothing.",
    }["backup"]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("backup", total=None)

            def advance(label: str, count: int) -> None:
                progress.update(task, description=label, advance=count)

            try:
                counts = backup.backup(options["file"], advance)
            except backup.BackupError as error:
                raise CommandError(str(error)) from None
        files = counts.pop("files", 0)
        self.stdout.write(
            f"Backed up {sum(counts.values())} rows of {len(counts)} tables and {files} files, "
            f"{options['file']}."
        )
