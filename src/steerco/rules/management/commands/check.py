from __future__ import annotations

import io
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as SystemCheck
from rich.console import Console
from rich.table import Table

from steerco.core.lookup import LookupFailed, default_programme, resolve_meeting
from steerco.core.models import Meeting
from steerco.rules.findings import ERROR, check
from steerco.rules.frame import build


class Command(SystemCheck):
    help = (
        "Report every broken rule in a meeting's frozen state (default: the programme's "
        "current meeting); exit 1 when a finding is an error. --system runs Django's own "
        "system checks instead, as do Django's own options (--deploy, --tag, --list-tags, "
        "--fail-level, --database, app labels): `steerco check --deploy` is Django's "
        "deployment check."
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
        django_options = _django_options(args, options)
        if options["system"] or django_options:
            mixed = _programme_options(options)
            if mixed:
                raise CommandError(
                    f"{', '.join(mixed)} belong to the programme checker and "
                    f"{', '.join(django_options) or '--system'} to Django's system checks: "
                    "run them separately"
                )
            super().handle(*args, **options)
            return
        try:
            programme = default_programme(options["programme"])
            meeting: Meeting | None = None
            if not options["live"]:
                code = options["meeting"] or programme.current_meeting_code
                meeting = resolve_meeting(programme, code) if code else None
        except LookupFailed as error:
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
        for column in ("severity", "rule", "meeting", "record", "expected", "found", "message"):
            table.add_column(column)
        for f in findings:
            table.add_row(
                f.severity, f.rule, f.meeting or "now", f.record, f.expected, f.found, f.message
            )
        console.print(table)
        self.stdout.write(console.export_text())


def _django_options(app_labels: tuple[str, ...], options: dict[str, Any]) -> list[str]:
    """Django's own `check` options given: any of them means Django's system checks, as
    Django's convention has it (`check --deploy`), never the programme checker."""
    given = [
        flag
        for flag, key in (
            ("--deploy", "deploy"),
            ("--tag", "tags"),
            ("--list-tags", "list_tags"),
            ("--database", "databases"),
        )
        if options.get(key)
    ]
    if options.get("fail_level", "ERROR") != "ERROR":
        given.append("--fail-level")
    if app_labels:
        given.append("app labels")
    return given


def _programme_options(options: dict[str, Any]) -> list[str]:
    given = [f"--{key}" for key in ("meeting", "live", "programme") if options.get(key)]
    if options.get("format", "table") != "table":
        given.append("--format")
    return given
