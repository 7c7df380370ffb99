from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from steerco.core.history import acting, command_actor
from steerco.core.lookup import LookupFailed, default_programme
from steerco.core.models import Programme
from steerco.io import importer, yamlfile
from steerco.io.mapping import Mapping, MappingError
from steerco.registers import SLUGS
from steerco.transfers.models import ColumnMapping


class Command(BaseCommand):
    help = (
        "Import a register from xlsx or CSV (run as `steerco import`). Without --commit it is "
        "a dry run: what would be created, changed and left alone, and every problem by row, "
        "column and value. With --commit it applies all of it or none of it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "register",
            choices=SLUGS,
            metavar="REGISTER",
            help="one of: " + ", ".join(SLUGS),
        )
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="apply the import")
        parser.add_argument(
            "--mapping",
            metavar="NAME|FILE",
            help="a saved column mapping's name, or a mapping YAML file",
        )
        parser.add_argument(
            "--save-mapping",
            metavar="NAME",
            help="save the --mapping file under NAME for later imports",
        )
        parser.add_argument("--programme", metavar="CODE")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            programme = default_programme(options["programme"])
        except LookupFailed as error:
            raise CommandError(str(error)) from None
        mapping = self._mapping(programme, options)
        try:
            result = importer.plan(options["register"], options["file"], programme, mapping)
        except importer.ImportError_ as error:
            raise CommandError(f"{error}\nNothing was written.") from None
        self._report(result)
        if result.problems:
            raise CommandError(f"{len(result.problems)} problems: nothing was written.")
        if options["commit"]:
            counts = importer.commit(result, programme, command_actor("import"))
            self.stdout.write(
                f"Imported: {counts['create']} created, {counts['change']} changed, "
                f"{counts['unchanged']} unchanged."
            )
        else:
            self.stdout.write("Dry run: nothing was written. Add --commit to apply.")

    def _mapping(self, programme: Programme, options: dict[str, Any]) -> Mapping | None:
        name = options["mapping"]
        if not name:
            return None
        path = Path(name)
        try:
            if path.exists():
                spec = yamlfile.read(path)
            else:
                saved = ColumnMapping.objects.filter(programme=programme, name=name).first()
                if saved is None:
                    raise CommandError(f"no mapping file or saved mapping named '{name}'")
                spec = saved.spec
            mapping = Mapping.parse(spec)
        except (yamlfile.YamlError, MappingError) as error:
            raise CommandError(f"mapping {name}: {error}") from None
        if options["save_mapping"]:
            with acting(command_actor("import"), f"save mapping from {name}"):
                saved, _ = ColumnMapping.objects.get_or_create(
                    programme=programme,
                    name=options["save_mapping"],
                    defaults={"register": options["register"], "spec": {}},
                )
                saved.register, saved.spec = options["register"], yamlfile.read(path)
                saved.save()
        return mapping

    def _report(self, result: importer.Plan) -> None:
        console = Console(record=True, width=140, file=io.StringIO())
        console.print(result.summary())
        if result.problems:
            table = Table("sheet", "row", "column", "value", "reason", title="Problems")
            for problem in result.problems[:200]:
                table.add_row(
                    problem.sheet,
                    str(problem.row),
                    problem.column,
                    "" if problem.value is None else str(problem.value)[:40],
                    problem.reason,
                )
            console.print(table)
            if len(result.problems) > 200:
                console.print(f"… and {len(result.problems) - 200} more")
        changed = [row for row in result.rows if row.action == "change"]
        if changed:
            table = Table("sheet", "row", "record", "fields changed", title="Changes")
            for row in changed[:200]:
                table.add_row(
                    row.section.key,
                    str(row.row),
                    " / ".join(map(str, row.key)),
                    ", ".join(row.changed),
                )
            console.print(table)
        self.stdout.write(console.export_text())
