"""`steerco import`: a spreadsheet into a register in two steps.

The dry run reads and checks every row and says what would be created, changed and left
alone, with every fault named by sheet, row, column, value and reason; it writes nothing.
The commit applies the same plan in one transaction — all of it or none of it — with the
import as the reason in history. An export imported back changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models.fields.related import ForeignKey

from steerco import registers
from steerco.accounts.reader import Reader
from steerco.core.history import acting
from steerco.core.models import Programme
from steerco.io import plans, spreadsheets
from steerco.io.cells import FormulaText
from steerco.io.exporter import export
from steerco.io.loader import LoadError, Where, _children_of, _Loader
from steerco.io.mapping import Mapping, MappingError


class ImportError_(ValueError):
    """The file cannot be imported at all (as opposed to faults in some of its rows)."""


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    value: Any
    reason: str

    def __str__(self) -> str:
        shown = "" if self.value in (None, "") else f" (value {self.value!r})"
        return f"{self.sheet}, row {self.row}, column '{self.column}'{shown}: {self.reason}"


@dataclass
class Planned:
    section: registers.Register
    row: int
    key: tuple[Any, ...]
    action: str  # create, change or unchanged
    record: dict[str, Any]
    compare: dict[str, Any] = field(default_factory=dict)  # the row's values, converted
    changed: list[str] = field(default_factory=list)


@dataclass
class Plan:
    register: str
    source: str
    rows: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    left_alone: int = 0

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def summary(self) -> str:
        return (
            f"{self.source}: {self.count('create')} to create, {self.count('change')} to change, "
            f"{self.count('unchanged')} unchanged, {self.left_alone} existing records left alone, "
            f"{len(self.problems)} problems"
        )


# The stages `plan` reports, in order (a background job shows them as its progress).
# Every record an import writes has this before its source's name as its history's reason.
REASON_PREFIX = "import "
STAGES = ("reading the file", "reading the register", "checking rows", "comparing")


def plan(
    register: str,
    path: Path,
    programme: Programme,
    mapping: Mapping | None = None,
    progress: Callable[[str], None] = lambda stage: None,
) -> Plan:
    """Read and check ``path`` against ``register``; write nothing. ``progress`` is told each
    of STAGES as it starts."""
    try:
        spec = registers.get(register)
    except registers.UnknownRegister as error:
        raise ImportError_(str(error)) from None
    if spec.part_of:
        raise ImportError_(
            f"{spec.title.lower()} are kept inside {spec.part_of}: import '{spec.part_of}'"
        )
    if mapping and mapping.register and mapping.register != register:
        raise ImportError_(f"the mapping is for register '{mapping.register}', not '{register}'")
    progress(STAGES[0])
    try:
        sheets = plans.read(path, mapping) if plans.is_plan(path) else spreadsheets.read(path)
    except (spreadsheets.SpreadsheetError, plans.PlanError) as error:
        raise ImportError_(str(error)) from None
    sections = [spec]
    result = Plan(register, path.name)
    writer = _Loader.for_programme(programme, "dry run", "dry run")
    progress(STAGES[1])
    existing = export(register, Reader(programme, None))
    progress(STAGES[2])
    found: list[tuple[Planned, dict[str, Any] | None]] = []
    for sheet in sheets:
        for section, rows in _split(sheet, sections, result, mapping):
            current = {_key(section, row): row for row in existing.get(section.key, [])}
            seen: set[tuple[Any, ...]] = set()
            for number, cells in rows:
                planned = _plan_row(section, sheet.name, number, cells, mapping, writer, result)
                if planned is None:
                    continue
                if planned.key in seen:
                    result.problems.append(
                        Problem(
                            sheet.name,
                            number,
                            ", ".join(section.match),
                            planned.key,
                            "a second row for the same record",
                        )
                    )
                    continue
                seen.add(planned.key)
                found.append((planned, current.get(planned.key)))
                result.rows.append(planned)
            result.left_alone += len(set(current) - seen)
    progress(STAGES[3])
    for planned, existing_row in found:
        _compare(planned, existing_row)
    return result


def _split(
    sheet: spreadsheets.Sheet,
    sections: list[registers.Register],
    result: Plan,
    mapping: Mapping | None,
) -> list[tuple[registers.Register, list[tuple[int, dict[str, Any]]]]]:
    """Which section each row belongs to: by a `section` column, else by the sheet's name,
    else the section whose fields the columns name most."""
    by_key = {section.key: section for section in sections}
    if "section" in sheet.header:
        grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for number, cells in sheet.rows:
            name = str(cells.pop("section", "") or "")
            if name not in by_key:
                result.problems.append(
                    Problem(
                        sheet.name, number, "section", name, f"not a section of {result.register}"
                    )
                )
                continue
            # A CSV of several sections has every section's columns: drop the blank ones
            # that belong to other sections.
            own = _columns_of(by_key[name].model)
            kept = {k: v for k, v in cells.items() if k in own or v not in ("", None)}
            grouped.setdefault(name, []).append((number, kept))
        return [(by_key[name], rows) for name, rows in grouped.items()]
    if sheet.name in by_key:
        return [(by_key[sheet.name], sheet.rows)]
    names = set(mapping.columns.values()) if mapping else set(sheet.header)
    if mapping and mapping.score:
        names.add(mapping.score.target)
    best = max(sections, key=lambda section: len(names & _columns_of(section.model)))
    return [(best, sheet.rows)]


@cache
def _columns_of(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields} | set(_children_of(model))


def _plan_row(
    section: registers.Register,
    sheet: str,
    number: int,
    cells: dict[str, Any],
    mapping: Mapping | None,
    writer: _Loader,
    result: Plan,
) -> Planned | None:
    origin: dict[str, str] = {}
    for column in registers.kept_elsewhere(section.model):
        if column in cells:
            reason = (
                "not part of this register (accounts are managed in the admin, the portal's "
                "answers in the portal): remove this column"
            )
            result.problems.append(Problem(sheet, number, column, None, reason))
            return None
    try:
        if mapping:
            cells, origin = mapping.apply(cells)
        record = _record(section.model, cells)
    except (MappingError, ValueError) as error:
        result.problems.append(Problem(sheet, number, "", None, str(error)))
        return None
    children = _children_of(section.model)
    try:
        scalars = {k: v for k, v in record.items() if k not in children}
        checked = writer.check_values(section.model, scalars, Where(sheet, number))
    except LoadError as error:
        column = origin.get(error.field or "", error.field or "")
        result.problems.append(Problem(sheet, number, column, cells.get(column), error.message))
        return None
    for accessor in (k for k in record if k in children):
        problem = _child_problem(section.model, accessor, record[accessor], writer, sheet, number)
        if problem:
            result.problems.append(problem)
            return None
    compare = {**checked, **{k: v for k, v in record.items() if k in children}}
    key = tuple(_plain(checked.get(name, _default(section.model, name))) for name in section.match)
    return Planned(section, number, key, "create", record, compare)


def _default(model: type[models.Model], name: str) -> Any:
    return model._meta.get_field(name).get_default()  # type: ignore[union-attr]


def _instance_key(section: registers.Register, instance: models.Model) -> tuple[Any, ...]:
    """The values that find the record a row updates, in the exporter's terms (a reference
    by its natural key)."""
    return tuple(_plain(getattr(instance, name, None)) for name in section.match)


def _child_problem(
    model: type[models.Model], accessor: str, items: Any, writer: _Loader, sheet: str, number: int
) -> Problem | None:
    """Children are checked field by field before the commit; references inside them are
    resolved when they are written (their parent does not exist yet)."""
    if not isinstance(items, list):
        return Problem(sheet, number, accessor, items, "must be a JSON list of records")
    rel = _children_of(model)[accessor]
    child_model: type[models.Model] = rel.related_model  # type: ignore[assignment]
    for position, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            return Problem(sheet, number, accessor, item, f"item {position} is not a record")
        plain = {
            k: v
            for k, v in item.items()
            if k not in _children_of(child_model)
            and k != rel.field.name
            and not isinstance(_field(child_model, k), ForeignKey)
        }
        try:
            writer._assign(
                child_model(), plain, Where(sheet, number), prefix=f"{accessor}[{position}]."
            )
        except LoadError as error:
            return Problem(sheet, number, error.field or accessor, None, error.message)
    return None


def _field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _record(model: type[models.Model], cells: dict[str, Any]) -> dict[str, Any]:
    """Cells as a loader record: blank cells unknown, children parsed from JSON text."""
    children = _children_of(model)
    record: dict[str, Any] = {}
    for column, value in cells.items():
        if isinstance(value, FormulaText):
            raise ValueError(f"column '{column}' holds a formula ({value[:30]})")
        if column in children or _is_json(model, column):
            record[column] = (
                json.loads(value)
                if isinstance(value, str) and value
                else ([] if column in children else value or [])
            )
            continue
        record[column] = None if value == "" else value
    return record


def _is_json(model: type[models.Model], name: str) -> bool:
    try:
        return isinstance(model._meta.get_field(name), models.JSONField)
    except Exception:
        return False


def _key(section: registers.Register, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(_plain(row.get(name)) for name in section.match)


def _plain(value: Any) -> Any:
    """A value in one comparable form, whatever reader produced it."""
    if isinstance(value, models.Model):
        natural = getattr(type(value), "NATURAL_KEY", None) or "order"
        return _plain(getattr(value, natural))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None:
        return ""
    return str(value)


def _compare(planned: Planned, existing: dict[str, Any] | None) -> None:
    if existing is None:
        return
    _keep_unsaid(planned, existing)
    incoming = _plain(planned.compare)
    current = _plain(existing)
    planned.changed = sorted(k for k in incoming if k in current and incoming[k] != current[k])
    planned.action = "change" if planned.changed else "unchanged"


def _keep_unsaid(planned: Planned, existing: dict[str, Any]) -> None:
    """A child the file states with fewer fields than steerco holds (a plan's predecessor
    link has no note) keeps the fields the file does not say, from the child it matches."""
    for accessor in _children_of(planned.section.model):
        items, held = planned.compare.get(accessor), existing.get(accessor)
        if not isinstance(items, list) or not isinstance(held, list):
            continue
        completed = []
        for item in items:
            if isinstance(item, dict):
                match = next(
                    (
                        h
                        for h in held
                        if isinstance(h, dict)
                        and set(item) < set(h)
                        and all(_plain(h[k]) == _plain(v) for k, v in item.items())
                    ),
                    None,
                )
                if match is not None:
                    item = {**{k: v for k, v in match.items() if k != "id"}, **item}
            completed.append(item)
        planned.compare[accessor] = planned.record[accessor] = completed


def commit(result: Plan, programme: Programme, actor: str) -> dict[str, int]:
    """Apply a plan with no problems, all or nothing."""
    if result.problems:
        raise ImportError_(f"{len(result.problems)} problems: nothing was written")
    reason = f"{REASON_PREFIX}{result.source}"
    writer = _Loader.for_programme(programme, actor, reason)
    found: dict[str, dict[tuple[Any, ...], models.Model]] = {}
    with transaction.atomic(), acting(actor, reason):
        for planned in result.rows:
            if planned.action == "unchanged":
                continue
            section = planned.section
            if section.key not in found:
                found[section.key] = {
                    _instance_key(section, record): record
                    for record in section.model._default_manager.filter(programme=programme)
                }
            _apply(planned, programme, writer, found[section.key].get(planned.key))
    return {action: result.count(action) for action in ("create", "change", "unchanged")}


def _apply(
    planned: Planned, programme: Programme, writer: _Loader, instance: models.Model | None
) -> None:
    model = planned.section.model
    children = _children_of(model)
    where = Where(planned.section.key, planned.row)
    if instance is None:
        instance = model()
        instance.programme = programme  # type: ignore[attr-defined]
    scalars = {k: v for k, v in planned.record.items() if k not in children}
    writer._assign(instance, scalars, where)
    instance.save()
    touched = [
        k
        for k in planned.record
        if k in children and (planned.action == "create" or k in planned.changed)
    ]
    for accessor in touched:
        for child in getattr(instance, accessor).all():
            child.delete()
    if touched:
        at = dt.datetime.now(dt.UTC)
        writer._children(instance, {k: planned.record[k] for k in touched}, where, at)
