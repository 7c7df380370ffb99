"""Text a spreadsheet program would run as a formula, and the CSV escape that stops it.

OWASP's CSV-injection rule: a cell whose text starts with = + - @, tab or CR is a formula to
Excel, LibreOffice and Google Sheets. An xlsx string cell is never one, so xlsx keeps the
text as it is; CSV has no types, so the exporter puts an apostrophe in front and the CSV
reader takes exactly that apostrophe away again: an export imported back changes nothing.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_escape(value: Any) -> Any:
    """Formula-like text with an apostrophe in front. Text that already starts with
    apostrophes before such a character gets one more, so that `csv_unescape` is exact."""
    if isinstance(value, str) and looks_like_formula(value.lstrip("'")):
        return "'" + value
    return value


def csv_unescape(text: str) -> str:
    """The text `csv_escape` was given; any other text as it is."""
    if text.startswith("'") and looks_like_formula(text.lstrip("'")):
        return text[1:]
    return text


class FormulaText(str):
    """A CSV cell that is unescaped text starting with "=": what a formula looks like in a
    CSV file. The importer refuses it; the exporter never writes one."""
