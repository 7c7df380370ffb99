"""Any register as it stands now or stood at a meeting's cut-off, as rows, read through the
audience-aware reader (``steerco.accounts.reader``) for whoever asks.

The same rows serve every format: JSON keeps children nested; CSV and xlsx carry them
as JSON text in one column, so an export can be read back without loss.

Text a spreadsheet program would run as a formula never becomes one (see `steerco.io.cells`).
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
from typing import Any

import openpyxl
import tablib
from django.db import models
from django.db.models.fields.related import ForeignKey
from openpyxl.styles import Alignment, Font

from steerco import registers
from steerco.accounts.reader import Reader, Record
from steerco.io.cells import csv_escape, looks_like_formula

FORMATS = ("json", "csv", "xlsx")
Row = dict[str, Any]


class ExportError(ValueError):
    pass


def export(slug: str, reader: Reader) -> dict[str, list[Row]]:
    """The register's rows, with their children nested, under its section name."""
    try:
        register = registers.get(slug)
    except registers.UnknownRegister as error:
        raise ExportError(str(error)) from None
    return {register.section: _rows(register.model, reader.all(register.model), reader)}


def _rows(
    model: type[models.Model], records: list[Record], reader: Reader, parent_fk: str = ""
) -> list[Row]:
    fields = [
        f for f in model._meta.concrete_fields if f.name not in ("id", "programme", parent_fk)
    ]
    rows = [_row(fields, record, reader) for record in records]
    for accessor, child in registers.children_of(model).items():
        rel = registers.relation(model, child)
        child_model = child.model
        grouped = reader.children(child_model, rel.field.name, (r["id"] for r in records))
        # One query and one recursion per relation and level, not per parent.
        children = [child for record in records for child in grouped.get(record["id"], [])]
        child_rows = iter(_rows(child_model, children, reader, rel.field.name))
        for row, record in zip(rows, records, strict=True):
            row[accessor] = [next(child_rows) for _ in grouped.get(record["id"], [])]
    return rows


def _row(fields: list[Any], record: Record, reader: Reader) -> Row:
    row: Row = {}
    for field in fields:
        value = record[field.attname]
        if isinstance(field, ForeignKey) and value is not None:
            value = reader.name(field.related_model, value)  # type: ignore[arg-type]
        row[field.name] = value
    return row


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


def to_dataset(key: str, rows: list[Row], *, escape: bool = False) -> tablib.Dataset:
    """``escape``: formula-like text with the CSV escape (`steerco.io.cells.csv_escape`)."""
    flat = [_flat(row) for row in rows]
    headers: list[str] = [] if flat else _columns(key)
    for row in flat:
        headers.extend(k for k in row if k not in headers)
    dataset = tablib.Dataset(headers=headers, title=key[:31])
    for row in flat:
        values = [row.get(h, "") for h in headers]
        dataset.append([csv_escape(v) for v in values] if escape else values)
    return dataset


def _columns(section: str) -> list[str]:
    """An empty register's columns, so that its export is a form to fill in and import."""
    register = next((r for r in registers.REGISTERS if r.section == section), None)
    if register is None:
        return []
    fields = [f.name for f in register.model._meta.concrete_fields]
    return [
        *(name for name in fields if name not in ("id", "programme")),
        *registers.children_of(register.model),
    ]


def to_csv(sections: dict[str, list[Row]]) -> str:
    if len(sections) == 1:
        ((key, rows),) = sections.items()
        return str(to_dataset(key, rows, escape=True).export("csv"))
    combined = [{"section": key, **row} for key, rows in sections.items() for row in rows]
    return str(to_dataset("all", combined, escape=True).export("csv"))


def to_xlsx(sections: dict[str, list[Row]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True)
    for key, rows in sections.items():
        dataset = to_dataset(key, rows)
        sheet = book.create_sheet(dataset.title)
        if dataset.headers:  # an empty section is an empty sheet
            sheet.append(dataset.headers)
            for column in range(1, dataset.width + 1):
                sheet.cell(1, column).font = bold
            sheet.freeze_panes = "A2"
        for number, values in enumerate(dataset, start=2):
            sheet.append(values)
            for column, value in enumerate(values, start=1):
                if isinstance(value, str):
                    _as_text(sheet.cell(number, column), value, wrap)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _as_text(cell: Any, value: str, wrap: Any) -> None:
    """openpyxl takes any text starting with "=" for a formula: keep it a string cell, and
    mark formula-like text quoted, so a spreadsheet program shows and keeps it as text."""
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if "\n" in value:
        cell.alignment = wrap
