"""Any register as it stands now or stood at a meeting's cut-off, as rows.

The same snapshot serves every format: JSON keeps children nested; CSV and xlsx carry them
as JSON text in one column, so an export can be read back without loss.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import tablib
from django.db import models
from django.db.models.fields.related import ForeignKey
from django.db.models.fields.reverse_related import ManyToOneRel

from steerco.core.models import Meeting, Programme
from steerco.io.registry import REGISTERS, SECTIONS, sections_of

FORMATS = ("json", "csv", "xlsx")
Row = dict[str, Any]


class ExportError(ValueError):
    pass


Record = dict[str, Any]  # one stored record: attribute name → value


class Snapshot:
    """The records of one programme, live or as of an instant, as plain dicts fetched once
    per model (history rows are read as values, never built into model instances)."""

    def __init__(self, programme: Programme, as_of: dt.datetime | None = None) -> None:
        self.programme = programme
        self.as_of = as_of
        self._cache: dict[type[models.Model], list[Record]] = {}
        self._by_id: dict[type[models.Model], dict[Any, Record]] = defaultdict(dict)

    def all(self, model: type[models.Model]) -> list[Record]:
        if model not in self._cache:
            if model is Programme:
                self._cache[model] = self._records(model, id=self.programme.pk)
            else:
                self._cache[model] = self._records(model, programme_id=self.programme.pk)
        return self._cache[model]

    def by_id(self, model: type[models.Model]) -> dict[Any, Record]:
        if model not in self._by_id and model in self._cache:
            self._by_id[model] = {r["id"]: r for r in self._cache[model]}
        elif model not in self._cache and _has_programme(model):
            self._by_id[model] = {r["id"]: r for r in self.all(model)}
        return self._by_id[model]

    def children(
        self, model: type[models.Model], fk: str, parent_ids: Iterable[Any]
    ) -> dict[Any, list[Record]]:
        attname = f"{fk}_id"
        grouped: dict[Any, list[Record]] = defaultdict(list)
        for record in self._records(model, **{f"{attname}__in": set(parent_ids)}):
            grouped[record[attname]].append(record)
        return grouped

    def _records(self, model: type[models.Model], **filters: Any) -> list[Record]:
        names = [field.attname for field in model._meta.concrete_fields]
        if self.as_of is None:
            queryset: Any = model._default_manager.filter(**filters)
        else:
            history: Any = model.history  # type: ignore[attr-defined]
            # Filter after picking each record's latest row: inside the subquery a programme
            # filter would steer the database away from the (id) index.
            queryset = (
                history.filter(history_date__lte=self.as_of)
                .latest_of_each()
                .exclude(history_type="-")
                .filter(**filters)
            )
        records = sorted(queryset.values(*names), key=_sort_key(model))
        index = self._by_id[model]
        for record in records:
            index.setdefault(record["id"], record)
        return records


def _sort_key(model: type[models.Model]) -> Any:
    names = [name.lstrip("-") for name in model._meta.ordering or () if isinstance(name, str)]
    attnames = [model._meta.get_field(name).attname for name in names]  # type: ignore[union-attr]

    def key(record: Record) -> tuple[Any, ...]:
        values = [record[a] for a in attnames]
        return (*((v is None, v if v is not None else 0) for v in values), record["id"])

    return key


def resolve_meeting(programme: Programme, code: str) -> Meeting:
    meeting = Meeting.objects.filter(programme=programme, code=code).first()
    if meeting is None:
        known = ", ".join(
            Meeting.objects.filter(programme=programme).values_list("code", flat=True)
        )
        raise ExportError(f"no meeting '{code}' in programme {programme.code} (known: {known})")
    return meeting


def default_programme(code: str | None = None) -> Programme:
    if code:
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            raise ExportError(f"no programme '{code}' is loaded")
        return programme
    programmes = list(Programme.objects.order_by("code"))
    if not programmes:
        raise ExportError("no programme is loaded: run `steerco load examples/mhhs` first")
    if len(programmes) > 1:
        codes = ", ".join(p.code for p in programmes)
        raise ExportError(f"several programmes are loaded ({codes}): name one with --programme")
    return programmes[0]


def export(register: str, snapshot: Snapshot) -> dict[str, list[Row]]:
    """The register's sections, each a list of rows with their children nested."""
    if register not in REGISTERS:
        raise ExportError(f"no register '{register}' (registers: {', '.join(REGISTERS)})")
    return {
        section.key: _rows(section.model, snapshot.all(section.model), snapshot)
        for section in sections_of(register)
    }


def _rows(
    model: type[models.Model], records: list[Record], snapshot: Snapshot, parent_fk: str = ""
) -> list[Row]:
    fields = [
        f for f in model._meta.concrete_fields if f.name not in ("id", "programme", parent_fk)
    ]
    rows = [_row(fields, record, snapshot) for record in records]
    for rel in _child_relations(model):
        accessor = rel.get_accessor_name() or ""
        child_model: type[models.Model] = rel.related_model  # type: ignore[assignment]
        grouped = snapshot.children(child_model, rel.field.name, (r["id"] for r in records))
        # One query and one recursion per relation and level, not per parent.
        children = [child for record in records for child in grouped.get(record["id"], [])]
        child_rows = iter(_rows(child_model, children, snapshot, rel.field.name))
        for row, record in zip(rows, records, strict=True):
            row[accessor] = [next(child_rows) for _ in grouped.get(record["id"], [])]
    return rows


def _row(fields: list[Any], record: Record, snapshot: Snapshot) -> Row:
    row: Row = {}
    for field in fields:
        value = record[field.attname]
        if isinstance(field, ForeignKey) and value is not None:
            value = _natural_key(field.related_model, value, snapshot)  # type: ignore[arg-type]
        row[field.name] = value
    return row


def _natural_key(model: type[models.Model], pk: Any, snapshot: Snapshot) -> Any:
    target = snapshot.by_id(model).get(pk)
    if target is None:  # a record outside the programme's snapshot: read it live
        target = model._default_manager.filter(pk=pk).values().first()
    if target is None:
        return None
    natural = getattr(model, "NATURAL_KEY", None) or ("order" if "order" in target else "id")
    return target[natural]


def _has_programme(model: type[models.Model]) -> bool:
    return any(f.name == "programme" for f in model._meta.concrete_fields)


def _child_relations(model: type[models.Model]) -> list[ManyToOneRel]:
    """Relations whose records belong to a record of ``model`` and are exported inside it.

    A child is deleted with its parent (CASCADE) and has no section of its own; a model with
    its own section (a delivery report under its meeting) is exported in its own register.
    """
    own_sections = {section.model for section in SECTIONS}
    return [
        rel
        for rel in model._meta.related_objects
        if isinstance(rel, ManyToOneRel)
        and rel.on_delete is models.CASCADE
        and rel.field.name != "programme"
        and rel.related_model not in own_sections
        and not str(getattr(rel.related_model, "__name__", "")).startswith("Historical")
    ]


# -- formats ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, list | dict):
        return value
    return value


def to_json(sections: dict[str, list[Row]], meta: dict[str, Any]) -> str:
    def default(value: Any) -> Any:
        return _plain(value)

    return json.dumps({**meta, "sections": sections}, indent=2, default=default, ensure_ascii=False)


def _flat(row: Row) -> Row:
    flat: Row = {}
    for key, value in row.items():
        if isinstance(value, list | dict):
            flat[key] = json.dumps(value, default=_plain, ensure_ascii=False) if value else ""
        elif value is None:
            flat[key] = ""
        else:
            flat[key] = _plain(value)
    return flat


def to_dataset(key: str, rows: list[Row]) -> tablib.Dataset:
    flat = [_flat(row) for row in rows]
    headers: list[str] = []
    for row in flat:
        headers.extend(k for k in row if k not in headers)
    dataset = tablib.Dataset(headers=headers, title=key[:31])
    for row in flat:
        dataset.append([row.get(h, "") for h in headers])
    return dataset


def to_csv(sections: dict[str, list[Row]]) -> str:
    if len(sections) == 1:
        ((key, rows),) = sections.items()
        return str(to_dataset(key, rows).export("csv"))
    combined = [{"section": key, **row} for key, rows in sections.items() for row in rows]
    return str(to_dataset("all", combined).export("csv"))


def to_xlsx(sections: dict[str, list[Row]]) -> bytes:
    book = tablib.Databook([to_dataset(key, rows) for key, rows in sections.items()])
    return bytes(book.export("xlsx"))
