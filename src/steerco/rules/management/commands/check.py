from __future__ import annotations

import io
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as SystemCheck
from rich.console import Console
from rich.table import Table

from steerco.core.models import Meeting
from steerco.io.exporter import ExportError, default_programme, resolve_meeting
from steerco.rules.findings import ERROR, check
from steerco.rules.frame import build


class Command(SystemCheck):
    help = (
        "Report every broken rule in a meeting's frozen state (default: the programme's "
        "current meeting); exit 1 when a finding is an error. --system runs Django's own "
        "system checks instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", metavar="MEETING", help="for example PSG-24")
        parser.add_argument(
            "--live", action="store_true", help="check the registers as they are now"
        )
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument("--programme", metavar="CODE")
        parser.add_argument("--system", action="store_true", help="Django's system checks")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["system"]:
            super().handle(*args, **options)
            return
        try:
            programme = default_programme(options["programme"])
            meeting: Meeting | None = None
            if not options["live"]:
                code = options["meeting"] or programme.current_meeting_code
                meeting = resolve_meeting(programme, code) if code else None
        except ExportError as error:
            raise CommandError(str(error)) from None
        findings = check(build(programme, meeting))
        if options["format"] == "json":
            self.stdout.write(json.dumps([f.as_dict() for f in findings], indent=2))
        else:
            self._table(findings, meeting)
        errors = sum(1 for f in findings if f.severity == ERROR)
        if errors:
            raise SystemExit(1)

    def _table(self, findings: list[Any], meeting: Meeting | None) -> None:
        console = Console(file=io.StringIO(), width=160, record=True)
        title = f"{len(findings)} findings at {meeting.code if meeting else 'now'}"
        table = Table(title=title, show_lines=True)
        for column in ("severity", "rule", "record", "expected", "found", "message"):
            table.add_column(column)
        for f in findings:
            table.add_row(f.severity, f.rule, f.record, f.expected, f.found, f.message)
        console.print(table)
        self.stdout.write(console.export_text())
