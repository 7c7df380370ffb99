"""A deck of many slides and charts (steerco.pack.deck_parts's shortcuts through python-pptx):
it opens again whole, its parts' names are unique, and it is the very deck python-pptx
builds without the shortcuts. No database: the document is made here."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pptx
import pytest
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu, Inches

from steerco.pack import deck_parts
from steerco.pack.document import (
    Chart,
    ChartData,
    ChartSeries,
    Column,
    Document,
    Section,
    Table,
    Text,
)
from steerco.pack.slides import SVG_PPI, render_pptx

SECTIONS = 12
TALL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 4000" width="720" height="4000">'
    '<title>A tall timeline</title><rect x="10" y="10" width="700" height="3980" fill="#1565c0"/>'
    "</svg>"
)


def chart_data(number: int) -> ChartData:
    categories = tuple(f"Workstream {number}.{i}" for i in range(4))
    values = tuple(float(number * 10 + i) for i in range(4))
    return ChartData("bar", categories, (ChartSeries("Open", values, "#1565c0"),))


def large_document() -> Document:
    """Sections each with a table running over two slides and two native charts."""
    sections = []
    for number in range(1, SECTIONS + 1):
        rows = tuple((f"R{number}-{i}", f"Risk {i} of section {number}") for i in range(40))
        sections.append(
            Section(
                f"Section {number}",
                f"s{number}",
                blocks=[
                    Text(f"Section {number} opens."),
                    Table((Column("Ref"), Column("Title", 1)), rows),
                    Chart(f"Chart {number}a", "", data=chart_data(number)),
                    Chart(f"Chart {number}b", "", data=chart_data(number + 100)),
                ],
            )
        )
    sections.append(Section("Timeline", "t", blocks=[Chart("A tall timeline", TALL_SVG)]))
    return Document(
        "Large deck", "A test", "Programme", "Meeting 1", "2024-01-31", "OFFICIAL", "PMO edition",
        (2024, 2, 1), sections=sections,
    )  # fmt: skip


def template_with_a_chart(path: Path) -> Path:
    """A template whose own slide holds a chart: the slide is dropped, and with it the
    names of its chart and workbook, which the deck's charts may then take."""
    template = Presentation()
    slide = template.slides.add_slide(template.slide_layouts[5])
    data = CategoryChartData()  # type: ignore[no-untyped-call]
    data.categories = ("a", "b")
    data.add_series("s", (1, 2))  # type: ignore[no-untyped-call]
    slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED,
        Inches(1),
        Inches(1),
        Inches(4),
        Inches(3),
        data,  # type: ignore[arg-type]
    )
    template.save(str(path))
    return path


def test_the_shortcuts_are_for_the_pinned_python_pptx() -> None:
    # An upgrade of python-pptx fails here, not silently slower: check deck_parts against it.
    assert pptx.__version__ == deck_parts.KNOWN_VERSION


@pytest.mark.parametrize("templated", [False, True])
def test_a_large_deck_is_the_deck_python_pptx_builds_plainly(
    templated: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = template_with_a_chart(tmp_path / "t.pptx") if templated else None
    document = large_document()
    quick = render_pptx(document, template)
    monkeypatch.setattr(deck_parts, "KNOWN_VERSION", "not this one")  # the plain way
    assert render_pptx(document, template) == quick


def test_a_large_deck_opens_again_with_every_slide_and_chart(tmp_path: Path) -> None:
    data = render_pptx(large_document(), template_with_a_chart(tmp_path / "t.pptx"))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == len(set(names))
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    assert len(slides) > 3 * SECTIONS
    assert sorted(n for n in names if n.startswith("ppt/slides/slide")) == sorted(
        f"ppt/slides/slide{i}.xml" for i in range(1, len(slides) + 1)
    )
    charts = {}
    for slide in slides:
        assert slide.shapes.title is not None and slide.shapes.title.text
        for shape in slide.shapes:
            if shape.has_chart:
                charts[shape.chart.chart_title.text_frame.text] = shape.chart
    assert len(charts) == 2 * SECTIONS
    for number in range(1, SECTIONS + 1):
        chart = charts[f"Chart {number}b"]
        expected = chart_data(number + 100)
        assert tuple(chart.plots[0].categories) == expected.categories
        assert tuple(chart.plots[0].series[0].values) == expected.series[0].values
        workbook = chart.part.chart_workbook.xlsx_part
        assert workbook is not None and zipfile.is_zipfile(io.BytesIO(workbook.blob))
    parts = [chart.part.partname for chart in charts.values()]
    workbooks = [chart.part.chart_workbook.xlsx_part.partname for chart in charts.values()]
    assert len(set(parts)) == len(parts) and len(set(workbooks)) == len(workbooks)


def test_a_picture_shrunk_to_fit_is_drawn_no_finer_than_it_is_shown() -> None:
    deck = Presentation(io.BytesIO(render_pptx(large_document())))
    (picture,) = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    _, height_px = picture.image.size
    shown_h = Emu(picture.height).pt
    assert height_px <= shown_h * SVG_PPI / 72 + 1
    assert height_px >= shown_h * SVG_PPI / 72 - 2  # still as fine as the slide shows it
