"""The import page's two steps around ``steerco.io.importer``: preview an upload (a dry
run that writes nothing) and commit exactly what was previewed, all or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from steerco.core.models import Programme
from steerco.io import importer
from steerco.io.loader import LoadError
from steerco.io.mapping import Mapping, MappingError
from steerco.transfers.exports import unregistered
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

    @property
    def rows(self) -> list[importer.Planned]:
        if self.plan is None:
            return []
        return [row for row in self.plan.rows if row.action != "unchanged"][:SHOWN]

    @property
    def problems(self) -> list[importer.Problem]:
        return self.plan.problems[:SHOWN] if self.plan else []


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
) -> Preview:
    """A dry run of ``path``; ``ticket`` (without its fingerprint yet) names the upload."""
    try:
        plan = importer.plan(register, path, programme, mapping_of(saved))
    except (importer.ImportError_, MappingError) as error:
        return Preview(None, error=str(error))
    _refuse_accounts(plan)
    if plan.problems:
        return Preview(plan)
    signed = Ticket(**{**ticket.__dict__, "fingerprint": fingerprint(plan)}).sign()
    return Preview(plan, ticket=signed)


def _refuse_accounts(plan: importer.Plan) -> None:
    """A column of records that are not register data (bound contacts: accounts) is a
    problem: the import page never touches who may sign in as what."""
    for row in plan.rows:
        for accessor in unregistered(row.section.model):
            if accessor in row.record:
                reason = "accounts are managed in the admin, not imported: remove this column"
                problem = importer.Problem(row.section.key, row.row, accessor, None, reason)
                plan.problems.append(problem)


def commit(programme: Programme, plan: importer.Plan, actor: str) -> dict[str, int]:
    """All of the plan or none of it; a reference that fails only when written is an error
    of the import, reported as such (the transaction has rolled back)."""
    try:
        return importer.commit(plan, programme, actor)
    except LoadError as error:
        raise importer.ImportError_(str(error)) from None
