"""Reads the seed pack's text directly, so that tests compare the loaded example with the
source rather than with the transcription."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

MILESTONE_ROW = re.compile(r"^(T[123])\t(T[123]-[A-Z]{2}-\d{4})\t")
RISK_ROW = re.compile(r"^(R\d{3})\t")
CR_ROW = re.compile(r"^(CR\d{3})\t")
ACTION_ROW = re.compile(r"^(PSG\d{2}-\d{2})\t")
RAGS = {"Red", "Amber", "Yellow", "Green", "Blue", "Grey"}


TAG = re.compile(r"</?[a-z][^>]*>")


def text(cell: str) -> str:
    """A cell's words as the text copy prints them: HTML tags dropped, spaces collapsed."""
    return " ".join(TAG.sub(" ", cell).split())


def column(lines: Iterable[str], pattern: re.Pattern[str], group: int = 1) -> list[str]:
    return [m.group(group) for line in lines if (m := pattern.match(line))]


def milestone_rags(lines: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """Code → (previous, current, forecast) RAG as the status tables print them."""
    rags = {}
    for line in lines:
        if MILESTONE_ROW.match(line):
            cells = line.split("\t")
            rags[cells[1]] = (cells[5], cells[6], cells[7])
    return rags


def block(lines: list[str], start: str, stop: str, occurrence: int = 1) -> list[str]:
    """The lines after the ``occurrence``-th line starting with ``start``, up to ``stop``."""
    seen = 0
    for index, line in enumerate(lines):
        if line.startswith(start):
            seen += 1
            if seen == occurrence:
                rest = lines[index + 1 :]
                end = next(
                    i
                    for i, candidate in enumerate(rest)
                    if (candidate.startswith(stop) if stop else not candidate.strip())
                )
                return rest[:end]
    raise AssertionError(f"no block starting {start!r}")


def sit_participants(lines: list[str]) -> tuple[int, list[str], list[str]]:
    """From the SIT Status dashboard's constituency table: (market-role rows, role names,
    participant names)."""
    rows = [line for line in block(lines, "Constituency\tNumber of PPs", "", 2) if line.strip()]
    roles, names = [], []
    for row in rows:
        cells = row.split("\t")
        roles.append(cells[2].strip())
        names.extend(name.strip() for name in cells[5].split(",") if name.strip())
    return len(rows), roles, names


def readiness_grid(lines: list[str]) -> list[list[str]]:
    rows = block(lines, "Activity / Milestone\tNotes\tCIT Interval 1", "")
    return [row.split("\t")[2:] for row in rows if row.strip()]


FINANCE_MONTHS = [dt.date(2023 + (3 + n) // 12, (3 + n) % 12 + 1, 1) for n in range(12)]


def finance_rows(lines: list[str]) -> list[list[str]]:
    rows = block(lines, "Financial Measure\t", "Please note")
    body = [row.split("\t") for row in rows if row.strip() and not row.startswith("\t£m")]
    return body


MONTHS = {
    m: n
    for n, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
DAY = re.compile(r"^(?:[A-Z][a-z]{2} )?(\d{1,2})[/-](\d{1,2}|[A-Za-z]{3})[/-](\d{2}|\d{4})$")


def day(printed: str) -> dt.date | None:
    """A printed date ("05/07/2023", "Fri 11/08/23", "25-08-23", "27-Feb-24") as a date;
    None where the text is not one clean date."""
    found = DAY.match(printed.strip())
    if not found:
        return None
    d, m, y = found.groups()
    month = int(m) if m.isdigit() else MONTHS.get(m.lower())
    if month is None:
        return None
    year = int(y) + (2000 if len(y) == 2 else 0)
    return dt.date(year, month, int(d))


def rows(lines: list[str], header: str, occurrence: int = 1, stop: str = "") -> list[list[str]]:
    """A table's body rows, split at tabs, each cell as text: the lines after the
    ``occurrence``-th line starting with ``header``, to the first blank (or ``stop``) line."""
    return [
        [text(cell) for cell in line.split("\t")]
        for line in block(lines, header, stop, occurrence)
        if line.strip()
    ]


MARKUP = re.compile(r"^\s*(?:[-•*]|\d+\.)\s+|\*\*|\s•\s", re.M)


def words(value: object) -> str:
    """A value's words, for comparing a transcribed field with the printed cell: HTML tags,
    Markdown list markers and bold, and the text copy's bullets dropped; spaces collapsed."""
    return " ".join(MARKUP.sub(" ", TAG.sub(" ", str(value or ""))).split())
