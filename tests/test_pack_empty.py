"""Nothing empty in the pack: a visual with no value known is one line saying what is not
known, a column unknown in every row is said once, and no section is left blank. Checked
over the document model of every edition of PSG-24, and on small tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from steerco.core.models import Meeting, Programme
from steerco.pack.builder import build_document
from steerco.pack.document import (
    Block,
    Chart,
    ChartData,
    ChartSeries,
    Column,
    Document,
    Section,
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


def _document(edition: Edition) -> Document:
    programme = Programme.objects.get(code="mhhs")
    meeting = Meeting.objects.get(programme=programme, code="PSG-24")
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
                    column_cells = [row[index] for row in block.rows]
                    alone = len(block.rows) == 1 and len(block.columns) > 1
                    assert alone or not all(isinstance(c, Unknown) for c in column_cells), (
                        f"{where}: column '{column.title}' is unknown in every row"
                    )
                every = [c for row in block.rows for c in row]
                assert not all(isinstance(c, Unknown) for c in every), f"{where}: all unknown"
            for cell in _cells(block):
                if isinstance(cell, Svg):
                    # The alt text says each value the picture draws: one must be known.
                    values = cell.alt.split(":", 1)[1].split(",")
                    assert not all(v.strip().endswith("unknown") for v in values), where


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


def test_a_chart_with_no_value_known_becomes_a_line_saying_so() -> None:
    data = ChartData("bar", ("x", "y"), (ChartSeries("s", (None, None), "#263238"),))
    chart = Chart("Budget by month", "<svg/>", data=data)
    (line,) = tidy([chart])
    assert line == Text(
        "Budget by month: no value is known, so there is nothing to draw.", tone="note"
    )
