"""Nothing empty in the pack: what steerco does not know is said once, in words, rather
than drawn as an empty visual or repeated cell after cell.

- a table whose every cell is unknown becomes one line naming what is not known;
- a column unknown in every row of a table is left out, and the table's note names it;
- unknown cells side by side in a row are one cell spanning their columns;
- a chart with no value known becomes one line saying so.

Applied to the document model, so HTML, PDF and slides all say the same.
"""

from __future__ import annotations

from dataclasses import replace

from steerco.pack.document import (
    Block,
    CellValue,
    Chart,
    Covered,
    Span,
    Table,
    Text,
    Unknown,
)


def tidy(blocks: list[Block]) -> list[Block]:
    """``blocks`` with every empty visual replaced by the line that says what is not known."""
    return [_tidy(block) for block in blocks]


def _tidy(block: Block) -> Block:
    if isinstance(block, Table):
        tidied = _table(block)
        return _grouped(tidied) if isinstance(tidied, Table) else tidied
    if isinstance(block, Chart) and block.data is not None and not known(block):
        return Text(f"{block.title}: no value is known, so there is nothing to draw.", tone="note")
    return block


def known(chart: Chart) -> bool:
    """Whether the chart draws at least one known value."""
    assert chart.data is not None
    return any(value is not None for series in chart.data.series for value in series.values)


def unknown_columns(table: Table) -> list[int]:
    """The columns whose every cell is unknown (none for a table with no rows). A column a
    merged cell covers is not unknown: the merged cell speaks for it."""
    if not table.rows:
        return []
    grid = table.grid
    return [
        index
        for index in range(len(table.columns))
        if all(isinstance(row[index], Unknown) for row in grid)
    ]


def _table(table: Table) -> Block:
    empty = unknown_columns(table)
    if not empty:
        return table
    names = ", ".join(table.columns[i].title for i in empty)
    if len(empty) == len(table.columns):
        what = f"{table.caption}: not known" if table.caption else "Not known"
        return Text(f"{what}: {names}.", tone="note")
    if len(table.rows) < 2:
        return table  # one row reads as it is: a column of one unknown is not a repetition
    kept = [i for i in range(len(table.columns)) if i not in empty]
    said = f"{names}: not known for any row."
    return replace(
        table,
        columns=tuple(table.columns[i] for i in kept),
        rows=tuple(
            tuple(row[i] for i in kept if not isinstance(row[i], Covered)) for row in table.grid
        ),
        note=f"{table.note} {said}".strip(),
    )


def _grouped(table: Table) -> Table:
    """``table`` with each run of unknown cells side by side in a row printed as one
    "unknown" across their columns. A merged unknown (a quarter not known) joins its
    neighbours; only cells saying the same word are grouped."""
    rows = tuple(_group(row) for row in table.rows)
    return table if rows == table.rows else replace(table, rows=rows)


def _group(row: tuple[CellValue, ...]) -> tuple[CellValue, ...]:
    grouped: list[CellValue] = []
    for value in row:
        this = _unknown(value)
        last = _unknown(grouped[-1]) if grouped else None
        if this and last and this[0] == last[0]:
            grouped[-1] = Span(Unknown(this[0]), last[1] + this[1])
        else:
            grouped.append(value)
    return tuple(grouped)


def _unknown(value: CellValue) -> tuple[str, int] | None:
    """The word and the number of columns of a cell that says only "unknown"; None if it
    says more."""
    if isinstance(value, Unknown):
        return value.label, 1
    if isinstance(value, Span) and isinstance(value.value, Unknown):
        return value.value.label, value.columns
    return None
