"""Nothing empty in the pack: a visual with no value known is one line saying what is not
known, a column unknown in every row is said once, and no section is left blank. Checked
over the document model of every edition of PSG-24, and on small tables."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from steerco.core.models import Meeting, Programme
from steerco.io.generator import Generator
from steerco.io.loader import load
from steerco.pack.builder import build_document
from steerco.pack.document import (
    Block,
    Chart,
    ChartData,
    ChartSeries,
    Column,
    Document,
    Section,
    Span,
    Stack,
    Svg,
    Table,
    Text,
    Unknown,
)
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.empty import tidy
from steerco.rules import findings
from steerco.rules.frame import build


def _document(edition: Edition, programme: Programme | None = None) -> Document:
    programme = programme or Programme.objects.get(code="mhhs")
    meeting = (
        Meeting.objects.get(programme=programme, code="PSG-24")
        if programme.code == "mhhs"
        else Meeting.objects.filter(programme=programme).latest("date")
    )
    audience = AUDIENCES[edition]
    frame = build(programme, meeting, who=audience.audience)
    return build_document(frame, findings.check(frame), audience)


def _sections(sections: list[Section]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _sections(section.children)


def _cells(block: Block) -> Iterator[object]:
    if isinstance(block, Table):
        for row in block.rows:
            for cell in row:
                yield from _parts(cell)


def _says_only_unknown(cell: object) -> bool:
    return isinstance(cell, Unknown) or (isinstance(cell, Span) and isinstance(cell.value, Unknown))


def _unknown_runs(document: Document) -> tuple[list[str], int]:
    """Where two unknown cells stand side by side in a row (none should), and how many
    cells print one "unknown" across several columns."""
    side_by_side, spanning = [], 0
    for section in _sections(document.sections):
        for block in section.blocks:
            if not isinstance(block, Table):
                continue
            for row in block.rows:
                spanning += sum(isinstance(cell, Span) and _says_only_unknown(cell) for cell in row)
                for left, right in itertools.pairwise(row):
                    if _says_only_unknown(left) and _says_only_unknown(right):
                        side_by_side.append(f"{section.title}: {block.caption or row[0]}")
    return side_by_side, spanning


def _parts(cell: object) -> Iterator[object]:
    if isinstance(cell, Stack):
        for item in cell.items:
            yield from _parts(item)
    else:
        yield cell


@pytest.mark.django_db
@pytest.mark.parametrize("edition", list(Edition))
def test_no_section_of_any_edition_holds_an_empty_visual(edition: Edition) -> None:
    document = _document(edition)
    for section in _sections(document.sections):
        where = f"{edition} / {section.title}"
        assert section.blocks or section.children, f"{where} is empty"
        for block in section.blocks:
            if isinstance(block, Chart) and block.data is not None:
                values = [v for s in block.data.series for v in s.values]
                assert any(v is not None for v in values), f"{where}: chart {block.title}"
            if isinstance(block, Table):
                assert block.rows, f"{where}: a table with no rows"
                for index, column in enumerate(block.columns):
                    column_cells = [_unknown_grid(row)[index] for row in block.rows]
                    alone = len(block.rows) == 1 and len(block.columns) > 1
                    assert alone or not all(column_cells), (
                        f"{where}: column '{column.title}' is unknown in every row"
                    )
                every = [c for row in block.rows for c in row]
                assert not all(_says_only_unknown(c) for c in every), f"{where}: all unknown"
            for cell in _cells(block):
                if isinstance(cell, Svg):
                    # The alt text says each value the picture draws: one must be known.
                    values = cell.alt.split(":", 1)[1].split(",")
                    assert not all(v.strip().endswith("unknown") for v in values), where


def _unknown_grid(row: tuple[object, ...]) -> list[bool]:
    """For each column a row's cells fill, whether it says only "unknown"."""
    flags: list[bool] = []
    for cell in row:
        flags.extend([_says_only_unknown(cell)] * (cell.columns if isinstance(cell, Span) else 1))
    return flags


@pytest.mark.django_db
@pytest.mark.parametrize("edition", [Edition.PMO, Edition.PUBLIC])
def test_no_two_unknown_cells_stand_side_by_side_in_psg24(edition: Edition) -> None:
    side_by_side, _ = _unknown_runs(_document(edition))
    assert side_by_side == []


@pytest.mark.django_db
def test_a_generated_programme_prints_its_runs_of_unknowns_as_one_cell(tmp_path: Path) -> None:
    # The synthetic programme leaves whole stretches of a row unknown (finance months
    # not yet forecast, RAGs not given): each run is one cell across its columns.
    Generator(scale=1, seed=3).write(tmp_path / "g")
    programme = load(tmp_path / "g", actor="tests").programme
    side_by_side, spanning = _unknown_runs(_document(Edition.PMO, programme))
    assert side_by_side == []
    assert spanning > 0


@pytest.mark.django_db
def test_risks_with_no_score_known_read_as_one_line_not_as_empty_scales() -> None:
    document = _document(Edition.PMO)
    themes = next(s for s in _sections(document.sections) if s.anchor == "risk-themes")
    tables = {
        row[0].text: block  # type: ignore[union-attr]
        for block in themes.blocks
        if isinstance(block, Table)
        for row in block.rows
    }
    # R040's scores are in the seed (9 to 8): its scale is drawn, its alt text says them.
    scored = tables["R040"]
    column = [c.title for c in scored.columns].index("Score: initial / current / target")
    strip = next(row[column] for row in scored.rows if row[0].text == "R040")  # type: ignore[union-attr]
    assert isinstance(strip, Svg) and "current 8" in strip.alt
    # No score of R272's theme is in the seed: one note says so, no column of empty scales.
    unscored = tables["R272"]
    assert "Score: initial / current / target" not in [c.title for c in unscored.columns]
    assert "Score: initial / current / target: not known for any row." in unscored.note


@pytest.mark.django_db
def test_a_delivery_report_with_no_rag_given_says_so_once() -> None:
    document = _document(Edition.PMO)
    plans = next(
        s
        for s in _sections(document.sections)
        if s.anchor == "core-capability-provider-delivery-plans"
    )
    lines = [b.text for b in plans.blocks if isinstance(b, Text)]
    assert any(line.startswith("Not known: Overall, Approach, ") for line in lines), lines


def test_a_table_unknown_throughout_becomes_one_line_naming_its_columns() -> None:
    table = Table((Column("Overall"), Column("Scope")), ((Unknown(), Unknown()),), caption="RAGs")
    assert tidy([table]) == [Text("RAGs: not known: Overall, Scope.", tone="note")]


def test_a_column_unknown_in_every_row_is_left_out_and_named_in_the_note() -> None:
    columns = (Column("Ref"), Column("Owner"), Column("Due"))
    table = Table(columns, (("R1", Unknown(), "May"), ("R2", Unknown(), Unknown())), note="N.")
    (tidied,) = tidy([table])
    assert isinstance(tidied, Table)
    assert [c.title for c in tidied.columns] == ["Ref", "Due"]
    assert tidied.rows == (("R1", "May"), ("R2", Unknown()))
    assert tidied.note == "N. Owner: not known for any row."


def test_a_table_with_some_value_known_in_each_column_is_left_as_it_is() -> None:
    table = Table((Column("A"), Column("B")), (("1", Unknown()), (Unknown(), "2")))
    assert tidy([table]) == [table]


def test_unknown_cells_side_by_side_are_one_cell_across_their_columns() -> None:
    columns = tuple(Column(f"c{index}") for index in range(11))
    quarter = Span(Unknown(), 3)  # a quarter's amount not known, merged over its months
    row = ("R1", Unknown(), quarter, "4", Unknown(), Unknown("n/a"), Unknown("n/a"), "a", "b")
    other = ("R2", *"123456789", "10")
    (tidied,) = tidy([Table(columns, (row, other))])
    assert isinstance(tidied, Table)
    assert tidied.rows[0] == (
        "R1",
        Span(Unknown(), 4),  # the month and the quarter beside it
        "4",
        Unknown(),  # alone: nothing to group it with that says the same
        Span(Unknown("n/a"), 2),
        "a",
        "b",
    )
    assert tidied.rows[1] == other


def test_a_chart_with_no_value_known_becomes_a_line_saying_so() -> None:
    data = ChartData("bar", ("x", "y"), (ChartSeries("s", (None, None), "#263238"),))
    chart = Chart("Budget by month", "<svg/>", data=data)
    (line,) = tidy([chart])
    assert line == Text(
        "Budget by month: no value is known, so there is nothing to draw.", tone="note"
    )
