"""The PSG-24 pack prints the seed's tables as the seed prints them: the agenda's page
numbers, DCC's budget as one merged cell per quarter (in the document model, the HTML, the
PDF's Typst source and the PowerPoint deck alike)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pptx import Presentation

from steerco.core.models import Meeting, Programme
from steerco.pack import pdf
from steerco.pack.builder import build_document
from steerco.pack.document import Block, Document, Heading, Section, Span, Table, Text
from steerco.pack.editions import AUDIENCES
from steerco.pack.html import render_html
from steerco.pack.slides import render_pptx
from steerco.rules.frame import build
from tests import seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def document() -> Document:
    programme = Programme.objects.get(code="mhhs")
    meeting = Meeting.objects.get(programme=programme, code="PSG-24")
    audience = AUDIENCES["members"]
    return build_document(build(programme, meeting, who=audience.audience), [], audience)


def sections(items: list[Section]) -> Iterator[Section]:
    for section in items:
        yield section
        yield from sections(section.children)


def table_of(document: Document, anchor: str, first_column: str) -> Table:
    section = next(s for s in sections(document.sections) if s.anchor == anchor)
    return next(
        b for b in section.blocks if isinstance(b, Table) and b.columns[0].title == first_column
    )


def test_the_agenda_prints_each_items_page_as_the_seed_does(
    document: Document, seed_lines: list[str]
) -> None:
    printed = [r.split("\t") for r in seed.block(seed_lines, "#\tItem\tObjective", "") if r]
    agenda = table_of(document, "agenda", "#")
    page = [c.title for c in agenda.columns].index("Page")
    assert [(r[0], r[page]) for r in agenda.rows] == [(r[0], r[6].strip()) for r in printed]


def test_dccs_budget_is_one_merged_cell_per_quarter_in_every_rendering(
    document: Document,
) -> None:
    finance = table_of(document, "central-party-finances", "Financial measure (£m)")
    dcc = next(r for r in finance.rows if r[0] == "DCC Budget")
    assert dcc[1:5] == (Span("£3.41", 3),) * 4
    assert dcc[5] == "£13.64"
    assert len(finance.grid[finance.rows.index(dcc)]) == len(finance.columns)

    html = render_html(document)
    assert html.count('<td class="right" colspan="3">£3.41</td>') == 4

    assert pdf.typst_source(document).count('table.cell(colspan: 3, "£3.41")') == 4

    deck = Presentation(io.BytesIO(render_pptx(document)))
    merged = [
        cell
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
        if cell.is_merge_origin
    ]
    assert [(c.text, c.span_width) for c in merged] == [("£3.41", 3)] * 4


def report_blocks(document: Document, title: str) -> list[Block]:
    """The blocks of one delivery report: from its heading to the next report's."""
    found: list[Block] = []
    for section in sections(document.sections):
        inside = False
        for block in section.blocks:
            if isinstance(block, Heading):
                inside = block.text == title
            elif inside:
                found.append(block)
    return found


def report_tables(document: Document, title: str) -> list[Table]:
    return [b for b in report_blocks(document, title) if isinstance(b, Table)]


def strip_columns(document: Document, title: str) -> list[str]:
    """The RAG strip's dimensions: its table's columns, or — every RAG of it unknown — the
    one line that names them (steerco.pack.empty)."""
    for block in report_blocks(document, title):
        if isinstance(block, Table) and titles(block)[0] == "Overall":
            return titles(block)
        if isinstance(block, Text) and block.text.startswith("Not known: Overall"):
            return block.text.removeprefix("Not known: ").rstrip(".").split(", ")
    raise AssertionError(f"{title}: no RAG strip")


def titles(table: Table) -> list[str]:
    return [c.title for c in table.columns]


@pytest.mark.parametrize("party", ["DNOs", "IDNOs"])
def test_the_ldso_reports_have_the_seeds_rag_strip_and_decision_columns(
    document: Document, seed_lines: list[str], party: str
) -> None:
    title = f"Monthly Delivery Report – {party}"
    tables = report_tables(document, title)
    printed = [line for line in seed_lines if line.startswith("RAGs\tOverall\tApproach")]
    assert printed[-2 if party == "DNOs" else -1].split("\t")[1:7] == strip_columns(document, title)
    decisions = [t for t in tables if t.caption == "Decisions"]
    expected = {
        "DNOs": [
            ["Decisions to be made by DNOs", "Impact of no decision", "Decision by when?"],
            ["Decisions required from the programme", "Impact of no decision", "Decision by when?"],
        ],
        "IDNOs": [  # its own decisions' table has no rows: not printed
            ["Decisions required from the programme", "Impact of no decision", "Decision by when?"],
        ],
    }[party]
    assert [titles(t) for t in decisions] == expected
    for header in expected:
        assert any([c for c in line.split("\t") if c.strip()] == header for line in seed_lines)


def test_a_core_providers_decisions_keep_from_whom_and_no_invented_impact(
    document: Document,
) -> None:
    tables = report_tables(document, "Monthly Delivery Report – ElectraLink")
    decisions = next(t for t in tables if t.caption == "Decisions")
    assert titles(decisions) == ["Decisions required", "From whom?", "By when?"]


def test_dccs_risk_dates_stand_in_their_own_columns_as_the_seed_prints_them(
    document: Document, seed_lines: list[str]
) -> None:
    header = "Risk or Issue & RAG\tMitigating or resolving action required\tAction plan complete by"
    printed = [r.split("\t") for r in seed.block(seed_lines, header, "") if r.strip()]
    raid = next(
        t for t in report_tables(document, "Monthly Delivery Report – DCC") if t.caption == "RAID"
    )
    by, impact = titles(raid).index("By"), titles(raid).index("Date to be resolved/impact")
    risks = [r for r in raid.rows if r[0] == "Risk or issue"]
    assert [(r[by], r[impact]) for r in risks] == [
        (row[2].strip() or "—", row[3].strip()) for row in printed
    ]
    assert risks[1][by] == "—" and risks[1][impact] == "19/08/23"
