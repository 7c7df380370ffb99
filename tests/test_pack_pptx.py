"""The pack as PowerPoint: the PSG-24 deck `steerco pack` writes, opened with python-pptx,
holds every ref of the seed pack, has the document's sections in its order, draws its charts
natively with the registers' figures, is the same bytes every time, and leaves out of the
public edition what only the PMO may read.

The PMO edition is built once per module through the command (its PDF is the slow part);
the other tests render only the deck, from the same document model."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.util import Inches

from steerco.core.choices import RAG
from steerco.core.models import Meeting, Programme
from steerco.finance.models import FinanceCell
from steerco.milestones.models import Milestone
from steerco.pack.builder import build_document
from steerco.pack.document import Document, Section
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.slides import render_pptx
from steerco.rules import findings
from steerco.rules.frame import build
from steerco.trackers.models import TrackerMetric
from tests.seed import ACTION_ROW, CR_ROW, MILESTONE_ROW, RISK_ROW, column


@dataclass(frozen=True)
class Built:
    data: bytes
    deck: Deck
    path: Path


@pytest.fixture(scope="module")
def psg24(psg24_pmo_pack: Path) -> Built:
    path = psg24_pmo_pack / "PSG-24-pmo.pptx"
    data = path.read_bytes()
    return Built(data, Presentation(io.BytesIO(data)), path)


def document(edition: Edition) -> Document:
    programme = Programme.objects.get(code="mhhs")
    meeting = Meeting.objects.get(programme=programme, code="PSG-24")
    audience = AUDIENCES[edition]
    frame = build(programme, meeting, who=audience.audience)
    return build_document(frame, findings.check(frame), audience)


def slide_texts(deck: Deck) -> list[str]:
    """Each slide's words: its text boxes and every table cell, in order."""
    texts = []
    for slide in deck.slides:
        words = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if shape.has_table:
                words.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append(" ".join(" ".join(words).split()))
    return texts


def titles(deck: Deck) -> list[str]:
    return [s.shapes.title.text if s.shapes.title else "" for s in deck.slides]


def tables(deck: Deck) -> Iterator[tuple[int, Any]]:
    for number, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            if shape.has_table:
                yield number, shape.table


def charts(deck: Deck) -> dict[str, Any]:
    return {
        shape.chart.chart_title.text_frame.text: shape.chart
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
    }


def test_the_command_writes_the_deck_beside_the_pdf_and_html(psg24: Built) -> None:
    assert psg24.path.with_suffix(".pdf").is_file()
    assert psg24.path.with_suffix(".html").is_file()
    assert psg24.data.startswith(b"PK\x03\x04")
    first = slide_texts(psg24.deck)[0]
    assert "Programme Steering Group #24" in first and "PMO edition" in first
    assert psg24.deck.slide_width == Inches(13.333) or psg24.deck.slide_width > Inches(13)


@pytest.mark.django_db
def test_the_deck_holds_every_ref_of_the_seed_pack(psg24: Built, seed_lines: list[str]) -> None:
    refs = {
        "milestone": set(column(seed_lines, MILESTONE_ROW, 2)),
        "risk": set(column(seed_lines, RISK_ROW)),
        "change request": set(column(seed_lines, CR_ROW)),
        "action": set(column(seed_lines, ACTION_ROW)),
    }
    # The refs read from the seed's text are the registers' own: a sample of each kind, and
    # every milestone code, is in the example loaded from examples/mhhs.
    assert {"T1-TE-1000", "T2-TE-0200"} <= refs["milestone"]
    assert {"R040", "CR019", "PSG23-02"} <= refs["risk"] | refs["change request"] | refs["action"]
    codes = set(Milestone.objects.filter(programme__code="mhhs").values_list("code", flat=True))
    assert refs["milestone"] <= codes
    text = " ".join(slide_texts(psg24.deck))
    for kind, expected in refs.items():
        assert expected, f"no {kind} refs read from the seed"
        missing = sorted(ref for ref in expected if ref not in text)
        assert not missing, f"{kind} refs missing from the deck: {missing}"


@pytest.mark.django_db
def test_the_slides_follow_the_documents_sections_in_order(psg24: Built) -> None:
    def walk(sections: list[Section]) -> Iterator[Section]:
        for section in sections:
            yield section
            yield from walk(section.children)

    every = list(walk(document(Edition.PMO).sections))
    expected = [s.title for s in every if s.level <= 2]
    shown = titles(psg24.deck)
    assert shown[:3] == ["Programme Steering Group #24", "Contents", "Agenda"]
    firsts = [t for t in shown if t in {s.title for s in every}]
    assert [t for t in firsts if t in expected] == expected
    assert expected[0] == "Agenda" and expected[-1] == "Appendix: Findings"
    # A slide that runs over is continued under the same title.
    assert "Action log (continued)" in shown


def test_a_table_split_across_slides_repeats_its_header(psg24: Built) -> None:
    found = [
        (number, [cell.text for cell in table.rows[0].cells])
        for number, table in tables(psg24.deck)
        if table.rows[0].cells[0].text == "Severity"  # the findings appendix: three slides
    ]
    assert len(found) >= 2
    assert len({tuple(header) for _, header in found}) == 1
    assert found[0][1][:3] == ["Severity", "Rule", "Record"]
    assert len({number for number, _ in found}) == len(found)  # one part per slide
    milestone_tables = [
        t for _, t in tables(psg24.deck) if t.rows[0].cells[1].text == "Milestone ID"
    ]
    assert len(milestone_tables) >= 2


def test_rag_cells_are_coloured_and_say_their_label(psg24: Built) -> None:
    colours: dict[str, set[str]] = {}
    for _, table in tables(psg24.deck):
        if "Current RAG" not in [cell.text for cell in table.rows[0].cells]:
            continue  # the milestone status tables: every RAG there is a badge
        for row in list(table.rows)[1:]:
            for cell in row.cells:
                if cell.text in ("Green", "Amber", "Red", "Blue"):
                    colours.setdefault(cell.text, set()).add(str(cell.fill.fore_color.rgb))
    for label, value in (("Green", "green"), ("Red", "red"), ("Blue", "blue")):
        assert colours[label] == {RAG.colour(value).lstrip("#").upper()}, label


@pytest.mark.django_db
def test_the_charts_are_native_with_the_registers_figures(psg24: Built) -> None:
    found = charts(psg24.deck)
    mhhs = found["MHHS: budget vs actual/forecast by month (£m)"]
    cells = FinanceCell.objects.filter(programme__code="mhhs", party="MHHS", month__isnull=False)
    for series in mhhs.plots[0].series:
        measure = "budget" if series.name == "Budget" else "actual_forecast"
        figures = cells.filter(measure=measure).order_by("month").values_list("amount", flat=True)
        assert [Decimal(str(v)) for v in series.values] == list(figures), series.name
    assert list(mhhs.plots[0].categories)[:2] == ["Apr-23", "May-23"]
    # DCC's budget is a quarter's, split monthly as the pack's note says; a month whose
    # figure is not known is no bar, and is said in words beside the chart.
    dcc = found["DCC: budget vs actual/forecast by month (£m)"]
    assert dcc.plots[0].series[0].values[1] == pytest.approx(3.41 / 3)
    assert dcc.plots[0].series[1].values[1] is None
    assert "Not known, so not drawn: Actual/forecast, Apr-23" in " ".join(slide_texts(psg24.deck))
    codes = found["Industry code changes"]
    metrics = TrackerMetric.objects.filter(
        programme__code="mhhs", group="industry-code-changes"
    ).order_by("order")
    assert list(codes.plots[0].categories) == [m.label for m in metrics]
    assert [Decimal(str(v)) for v in codes.plots[0].series[0].values] == [m.value for m in metrics]


@pytest.mark.django_db
def test_building_the_deck_twice_gives_the_same_bytes(psg24: Built) -> None:
    again = render_pptx(document(Edition.PMO))
    assert again == psg24.data


@pytest.mark.django_db
def test_the_public_deck_lacks_what_only_the_pmo_reads(psg24: Built) -> None:
    public = Presentation(io.BytesIO(render_pptx(document(Edition.PUBLIC))))
    text = " ".join(slide_texts(public))
    assert "Public edition" in text and "PMO edition" not in text
    assert "Appendix: Findings" not in titles(public)
    assert "duplicate-ref" not in text  # a finding's rule, as the PMO's appendix names it
    assert "Appendix: Findings" in titles(psg24.deck)
    assert "duplicate-ref" in " ".join(slide_texts(psg24.deck))


@pytest.mark.django_db
def test_a_programmes_template_gives_its_layouts_and_its_own_slides_are_dropped(
    tmp_path: Path,
) -> None:
    template = Presentation()  # 4:3, with a slide of its own
    template.slides.add_slide(template.slide_layouts[6])
    template.slide_layouts[5].name = "Title Only"
    path = tmp_path / "mhhs.pptx"
    template.save(str(path))
    made = document(Edition.PUBLIC)
    deck = Presentation(io.BytesIO(render_pptx(made, path)))
    assert deck.slide_width == Inches(10)  # the template's size, not the default 16:9
    first = deck.slides[0]
    assert first.shapes.title is not None and first.shapes.title.text == made.title
    assert all(s.slide_layout.name in ("Title Slide", "Title Only") for s in deck.slides)
