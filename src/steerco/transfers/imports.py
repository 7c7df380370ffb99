"""The import page's two steps around ``steerco.io.importer``: preview an upload (a dry
run that writes nothing) and commit exactly what was previewed, all or nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.formats import localize

from steerco.core.models import Programme
from steerco.io import importer
from steerco.io.loader import LoadError
from steerco.io.mapping import Mapping, MappingError
from steerco.transfers.models import ColumnMapping
from steerco.transfers.uploads import Ticket

SHOWN = 500  # rows and problems listed on the page; the counts cover all of them


@dataclass(frozen=True)
class Preview:
    plan: importer.Plan | None
    error: str = ""  # the file as a whole cannot be imported
    ticket: str = ""  # signed; present only when the plan can be committed

    @property
    def importable(self) -> bool:
        return self.plan is not None and not self.plan.problems and not self.error


def shown(preview: Preview) -> dict[str, Any]:
    """What the preview page shows, as plain values (JSON): the same whether the preview was
    made inside the request or stored as a background job's result. Rows and problems are
    listed up to SHOWN each, with their totals."""
    plan = preview.plan
    problems = plan.problems if plan else []
    rows = [row for row in plan.rows if row.action != "unchanged"] if plan else []
    return {
        "error": preview.error,
        "summary": plan.summary() if plan else "",
        "importable": preview.importable,
        "ticket": preview.ticket,
        "problem_total": len(problems),
        "problems": [
            {
                "sheet": problem.sheet,
                "row": problem.row,
                "column": problem.column,
                # As the page would print the cell (dates in the page's format).
                "value": "" if problem.value is None else str(localize(problem.value)),
                "reason": problem.reason,
            }
            for problem in problems[:SHOWN]
        ],
        "row_total": len(rows),
        "rows": [
            {
                "sheet": row.section.key,
                "row": row.row,
                "record": " / ".join(str(part) for part in row.key),
                "action": row.action,
                "changed": ", ".join(row.changed),
            }
            for row in rows[:SHOWN]
        ],
    }


def fingerprint(plan: importer.Plan) -> str:
    """What the person saw: every row's record, action and changed fields."""
    seen = [[row.section.key, row.row, str(row.key), row.action, row.changed] for row in plan.rows]
    return hashlib.sha256(json.dumps([seen, len(plan.problems)]).encode()).hexdigest()


def mapping_of(saved: ColumnMapping | None) -> Mapping | None:
    return Mapping.parse(saved.spec) if saved is not None else None


def preview(
    programme: Programme,
    register: str,
    path: Path,
    saved: ColumnMapping | None,
    ticket: Ticket,
    progress: Callable[[str], None] = lambda stage: None,
) -> Preview:
    """A dry run of ``path``; ``ticket`` (without its fingerprint yet) names the upload.
    ``progress`` is told each of `importer.STAGES` as it starts."""
    try:
        plan = importer.plan(register, path, programme, mapping_of(saved), progress)
    except (importer.ImportError_, MappingError) as error:
        return Preview(None, error=str(error))
    if plan.problems:
        return Preview(plan)
    signed = Ticket(**{**ticket.__dict__, "fingerprint": fingerprint(plan)}).sign()
    return Preview(plan, ticket=signed)


def commit(programme: Programme, plan: importer.Plan, actor: str) -> dict[str, int]:
    """All of the plan or none of it; a reference that fails only when written is an error
    of the import, reported as such (the transaction has rolled back)."""
    try:
        return importer.commit(plan, programme, actor)
    except LoadError as error:
        raise importer.ImportError_(str(error)) from None
