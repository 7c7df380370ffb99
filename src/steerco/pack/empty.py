"""Nothing empty in the pack: what steerco does not know is said once, in words, rather
than drawn as an empty visual or repeated cell after cell.

- a table whose every cell is unknown becomes one line naming what is not known;
- a column unknown in every row of a table is left out, and the table's note names it;
- a chart with no value known becomes one line saying so.

Applied to the document model, so HTML, PDF and slides all say the same.
"""

from __future__ import annotations

from dataclasses import replace

from steerco.pack.document import Block, Chart, Table, Text, Unknown


def tidy(blocks: list[Block]) -> list[Block]:
    """``blocks`` with every empty visual replaced by the line that says what is not known."""
    return [_tidy(block) for block in blocks]


def _tidy(block: Block) -> Block:
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart) and block.data is not None and not known(block):
        return Text(f"{block.title}: no value is known, so there is nothing to draw.", tone="note")
    return block


def known(chart: Chart) -> bool:
    """Whether the chart draws at least one known value."""
    assert chart.data is not None
    return any(value is not None for series in chart.data.series for value in series.values)


def unknown_columns(table: Table) -> list[int]:
    """The columns whose every cell is unknown (none for a table with no rows)."""
    if not table.rows:
        return []
    return [
        index
        for index in range(len(table.columns))
        if all(isinstance(row[index], Unknown) for row in table.rows)
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
        rows=tuple(tuple(row[i] for i in kept) for row in table.rows),
        note=f"{table.note} {said}".strip(),
    )
