from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steerco.ops import personal


class Command(BaseCommand):
    help = (
        "Personal data of one person (run as `steerco personal-data`): `export` writes what "
        "steerco holds (account, changes made, mentions by name) as JSON; `erase --confirm` "
        "anonymises the account and removes the person's name and actor entries from every "
        "register and its history, keeping the changes themselves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("export", "erase"))
        parser.add_argument("--user", metavar="USERNAME")
        parser.add_argument("--name", metavar="FULL NAME", help="as written in the registers")
        parser.add_argument("-o", "--output", type=Path, metavar="FILE")
        parser.add_argument("--confirm", action="store_true", help="needed to erase")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "export":
                found = personal.find(options["user"], options["name"])
                text = json.dumps(found.__dict__, indent=2, default=str)
                if options["output"]:
                    options["output"].write_text(text + "\n", encoding="utf-8")
                else:
                    self.stdout.write(text)
                return
            if not options["confirm"]:
                raise CommandError("erasure cannot be undone: add --confirm")
            counts = personal.erase(options["user"], options["name"])
        except personal.PersonalDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Erased: {counts['accounts']} account, {counts['history_rows']} history rows "
            f"re-attributed, {counts['text_fields']} text fields cleared."
        )
