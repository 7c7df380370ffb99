"""Reading an uploaded spreadsheet safely: what it really is, and what it must not hold.

A file is taken as xlsx or CSV by its content, not its name; a name that says otherwise is
refused. xlsx packages are inspected before any reader opens them (`steerco.io.packages`:
size, extent and cell limits, entity declarations, formula and merged cells, hidden sheets,
damaged ZIPs), then read with python-calamine, which is several times faster than openpyxl.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from steerco.env import env_int
from steerco.io import packages
from steerco.io.cells import FormulaText, csv_unescape

MAX_BYTES = env_int("STEERCO_IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass(frozen=True)
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (spreadsheet row number, column → value)


def size_problem(path: Path, max_bytes: int = MAX_BYTES) -> str | None:
    """Why an uploaded file is refused for its size before it is read, if it is."""
    size = path.stat().st_size
    if size == 0:
        return f"{path.name} is empty"
    if size > max_bytes:
        return (
            f"{path.name} is {size:,} bytes, over the {max_bytes:,}-byte limit "
            "(STEERCO_IMPORT_MAX_BYTES)"
        )
    return None


def read(path: Path, *, max_bytes: int = MAX_BYTES) -> list[Sheet]:
    """The sheets of an xlsx file or the one table of a CSV file."""
    problem = size_problem(path, max_bytes)
    if problem:
        raise SpreadsheetError(problem)
    with path.open("rb") as handle:
        head = handle.read(4)
    is_zip = head == b"PK\x03\x04"
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and not is_zip:
        raise SpreadsheetError(f"{path.name} is named .xlsx but is not an xlsx (ZIP) package")
    if suffix == ".csv" and is_zip:
        raise SpreadsheetError(f"{path.name} is named .csv but is a ZIP package (xlsx?)")
    if suffix not in (".xlsx", ".csv"):
        raise SpreadsheetError(f"{path.name}: only .xlsx and .csv files can be imported")
    sheets = _read_xlsx(path) if is_zip else [_read_csv(path)]
    if not any(sheet.rows for sheet in sheets):
        raise SpreadsheetError(f"{path.name} has a header but no rows")
    return sheets


def _read_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise SpreadsheetError(f"{path.name} is not text (it holds NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(f"{path.name} is not UTF-8 text (byte {error.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise SpreadsheetError(f"{path.name} is empty: no header row")
    header = _check_header(path.name, header)
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise SpreadsheetError(f"{path.name}, row {number}: more cells than the header has")
        rows.append((number, dict(zip(header, map(_csv_cell, cells), strict=False))))
    return Sheet(path.stem, header, rows)


def _csv_cell(text: str) -> str:
    """A CSV cell's text with the exporter's escape undone; unescaped text starting with "="
    is marked as the formula it would be to a spreadsheet program."""
    if text.startswith("=") and len(text) > 1:
        return FormulaText(text)
    return csv_unescape(text)


def _check_header(name: str, header: list[Any]) -> list[str]:
    names = [str(h).strip() if h is not None else "" for h in header]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    for position, column in enumerate(names, start=1):
        if not column:
            raise SpreadsheetError(f"{name}: column {position} of the header is blank")
        if column in seen:
            raise SpreadsheetError(f"{name}: column '{column}' appears twice in the header")
        seen.add(column)
    return names


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        packages.inspect(path)
    except packages.PackageError as error:
        raise SpreadsheetError(f"{path.name} is refused: {error}") from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types for damaged files
        raise SpreadsheetError(f"{path.name} cannot be read as xlsx: {error}") from None
    sheets = []
    for name in workbook.sheet_names:
        cells = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if not cells or not any(c not in ("", None) for c in cells[0]):
            continue
        header = _check_header(f"{path.name}, sheet '{name}'", list(cells[0]))
        rows = []
        for number, values in enumerate(cells[1:], start=2):
            if all(v in ("", None) for v in values):
                continue
            if any(v not in ("", None) for v in values[len(header) :]):
                raise SpreadsheetError(
                    f"{path.name}, sheet '{name}', row {number}: a value beyond the last column"
                )
            rows.append((number, {h: _cell(v) for h, v in zip(header, values, strict=False)}))
        sheets.append(Sheet(name, header, rows))
    if not sheets:
        raise SpreadsheetError(f"{path.name} is empty: no sheet has a header row")
    return sheets


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value
