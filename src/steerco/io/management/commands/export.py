from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steerco.accounts.reader import OPERATOR, Reader
from steerco.core.lookup import LookupFailed, default_programme, resolve_meeting
from steerco.io import exporter
from steerco.registers import REGISTERS, SLUGS


class Command(BaseCommand):
    help = "Export a register, now or as of a meeting's cut-off, as JSON, CSV or xlsx."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        registers = "\n".join(f"  {r.slug:21} {r.help}" for r in REGISTERS)
        kwargs["epilog"] = f"registers:\n{registers}"
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _RawEpilog
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "register",
            choices=SLUGS,
            metavar="REGISTER",
            help="one of: " + ", ".join(SLUGS),
        )
        parser.add_argument(
            "--as-of",
            metavar="MEETING",
            help="the register as it stood at this meeting's cut-off (PSG-24)",
        )
        parser.add_argument("--format", choices=exporter.FORMATS, default="json")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            metavar="FILE",
            help="write here instead of standard output",
        )
        parser.add_argument(
            "--programme", metavar="CODE", help="which programme, where more than one is loaded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            programme = default_programme(options["programme"])
            meeting = resolve_meeting(programme, options["as_of"]) if options["as_of"] else None
            reader = Reader(programme, meeting.cutoff if meeting else None, OPERATOR)
            sections = exporter.export(options["register"], reader)
        except (LookupFailed, exporter.ExportError) as error:
            raise CommandError(str(error)) from None
        fmt = options["format"]
        if fmt == "json":
            meta = {
                "register": options["register"],
                "programme": programme.code,
                "as_of": meeting.code if meeting else None,
                "cutoff": meeting.cutoff.isoformat() if meeting and meeting.cutoff else None,
            }
            payload: str | bytes = exporter.to_json(sections, meta) + "\n"
        elif fmt == "csv":
            payload = exporter.to_csv(sections)
        else:
            payload = exporter.to_xlsx(sections)
        output: Path | None = options["output"]
        if output is not None:
            if isinstance(payload, str):
                output.write_text(payload, encoding="utf-8")
            else:
                output.write_bytes(payload)
        elif isinstance(payload, bytes):
            if sys.stdout.isatty():
                raise CommandError("xlsx is binary: give -o FILE or redirect standard output")
            sys.stdout.buffer.write(payload)
        else:
            self.stdout.write(payload, ending="")


class _RawEpilog(argparse.RawDescriptionHelpFormatter):
    pass
