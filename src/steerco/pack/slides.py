"""Pack document → an editable PowerPoint deck (.pptx), beside the PDF and the HTML.

The same document the HTML and PDF renderers read; this module only lays it out: a title
slide, a contents slide, then a slide for each section and subsection in the document's
order, continued on further slides where it runs over. Tables are split across slides with
their header row repeated; a badge (RAG, status, band) is a cell on its colour that says its
label, so the deck reads in greyscale; a chart whose figures the document carries is a
native PowerPoint chart (its numbers stay editable), and any other picture (the decision
choreography) is a PNG drawn from its SVG by Typst, the engine that sets the PDF, with the
same fonts, so no other SVG library is needed.

A programme may supply its own template (masters and layouts): its "Title Slide" and "Title
Only" layouts are used, and any slides it holds are dropped. The same document gives the
same bytes: the deck's dates are the meeting's date (as in the PDF) and the zip is written
again with fixed entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from functools import cache, lru_cache
from html import unescape
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import typst
from django.conf import settings
from markdown_it.tree import SyntaxTreeNode
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE, MSO_PATTERN
from pptx.enum.text import PP_ALIGN
from pptx.oxml import parse_xml
from pptx.parts.image import Image as PictureBlob
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Pt

from steerco.charts import GRID, INK, MUTED, wrap
from steerco.core.colours import ink_for
from steerco.pack.deck_parts import Parts
from steerco.pack.document import (
    Badge,
    Block,
    CellValue,
    Chart,
    ChartData,
    Code,
    Column,
    Covered,
    Derived,
    Diagram,
    Document,
    Facts,
    Heading,
    Image,
    Markdown,
    Section,
    Span,
    Stack,
    Svg,
    Table,
    Text,
    Unknown,
)
from steerco.pack.markdown import tree
from steerco.pack.pdf import FONT_DIRS

WIDE = (960.0, 540.0)  # 16:9 in points (13.33 × 7.5 in) when no template sets a size
MARGIN = 28.0
TITLE_TOP, TITLE_H = 14.0, 46.0
FOOTER_H = 22.0
HEADER_FILL = "#37474f"
SIZES = {"normal": 10.0, "small": 8.0}
TEXT_SIZES = {"plain": 13.0, "lead": 15.0, "note": 10.0}
LEADING = 1.22
CELL_PAD = 4.0  # points of margin inside a table cell, each side
# Series told apart in greyscale as in the SVG charts: solid, hatched, dotted, cross-hatched.
PATTERNS = (
    None,
    MSO_PATTERN.WIDE_UPWARD_DIAGONAL,
    MSO_PATTERN.SMALL_CONFETTI,
    MSO_PATTERN.SMALL_GRID,
)


def template_for(programme_code: str) -> Path | None:
    """The programme's own template, ``<STEERCO_PACK_TEMPLATE_DIR>/<code>.pptx``, if there
    is one."""
    path = Path(settings.PACK_TEMPLATE_DIR) / f"{programme_code}.pptx"
    return path if path.is_file() else None


def render_pptx(document: Document, template: Path | None = None) -> bytes:
    deck = Deck(document, template)
    deck.title_slide()
    deck.contents()
    for section in document.sections:
        deck.section(section)
    return deck.save()


# -- a deck and its cursor ---------------------------------------------------------------------


class Deck:
    """The presentation being written and where the next block goes on the current slide."""

    def __init__(self, document: Document, template: Path | None) -> None:
        self.document = document
        self.prs = Presentation(str(template)) if template else Presentation()
        self.templated = template is not None
        if self.templated:
            _drop_slides(self.prs)
        else:
            self.prs.slide_width, self.prs.slide_height = (Pt(v) for v in WIDE)
        self.parts = Parts(self.prs)
        self.width = Emu(self.prs.slide_width or Pt(WIDE[0])).pt
        self.height = Emu(self.prs.slide_height or Pt(WIDE[1])).pt
        self.content_w = self.width - 2 * MARGIN
        self.slide: Slide | None = None
        self.y = 0.0
        self.top = 0.0
        self.title = ""
        self.count = 0

    @property
    def bottom(self) -> float:
        return self.height - FOOTER_H - 6

    @property
    def room(self) -> float:
        return self.bottom - self.y

    def new_slide(self, title: str, layout: str = "Title Only") -> Slide:
        if self.slide is not None:  # nothing is added to a slide once the next one starts
            self.parts.finish(self.slide.part)
        slide = self.parts.add_slide(_layout(self.prs, layout))
        self.count += 1
        self.slide, self.title = slide, title
        heading = slide.shapes.title
        if heading is not None:
            heading.text = title
            if not self.templated:
                heading.left, heading.top = Pt(MARGIN), Pt(TITLE_TOP)
                heading.width, heading.height = Pt(self.content_w), Pt(TITLE_H)
                frame = heading.text_frame
                frame.paragraphs[0].alignment = PP_ALIGN.LEFT
                frame.paragraphs[0].runs[0].font.size = Pt(24 if len(title) < 60 else 18)
                frame.paragraphs[0].runs[0].font.bold = True
            self.top = Emu(heading.top + heading.height).pt + 6 if heading.height else 70.0
        else:
            self.top = MARGIN
            self._box(title, MARGIN, MARGIN, self.content_w, TITLE_H, 24, bold=True)
            self.top = MARGIN + TITLE_H + 6
        self.y = self.top
        self._footer()
        return slide

    def fresh(self) -> bool:
        return self.y <= self.top + 0.5

    def need(self, height: float) -> None:
        """Start a continuation slide unless ``height`` fits below what is already here."""
        if height > self.room and not self.fresh():
            self.new_slide(_continued(self.title))

    def _footer(self) -> None:
        doc = self.document
        words = f"{doc.meeting} · {doc.edition} · {doc.classification}"
        top = self.height - FOOTER_H
        self._box(words, MARGIN, top, self.content_w - 40, FOOTER_H - 4, 8, colour=MUTED)
        self._box(
            str(self.count),
            self.width - MARGIN - 40,
            top,
            40,
            FOOTER_H - 4,
            8,
            colour=MUTED,
            align="r",
        )

    def _box(
        self,
        text: str,
        left: float,
        top: float,
        width: float,
        height: float,
        size: float,
        *,
        bold: bool = False,
        italic: bool = False,
        colour: str = INK,
        align: str = "l",
    ) -> None:
        assert self.slide is not None
        box = self.slide.shapes.add_textbox(Pt(left), Pt(top), Pt(width), Pt(height))
        paragraphs = "".join(
            _paragraph_xml(line, size, colour, bold=bold, italic=italic, align=align)
            for line in text.split("\n")
        )
        element = box._element
        element.remove(element.txBody)
        element.append(
            parse_xml(
                f'<p:txBody xmlns:p="{P_NS}" xmlns:a="{A_NS}"><a:bodyPr wrap="square" lIns="0" '
                f'tIns="0" rIns="0" bIns="0"/><a:lstStyle/>{paragraphs}</p:txBody>'
            )
        )

    # -- slides -----------------------------------------------------------------------------

    def title_slide(self) -> None:
        doc = self.document
        self.new_slide(doc.title, "Title Slide")
        assert self.slide is not None
        placeholders = [p for p in self.slide.placeholders if p.placeholder_format.idx != 0]
        subtitle = f"{doc.programme}\n{doc.subtitle}\n{doc.edition} · {doc.classification}"
        if doc.logo is not None:
            self.logo(doc.logo)
        if placeholders:
            placeholders[0].text = subtitle
            if not self.templated:
                placeholders[0].left, placeholders[0].top = Pt(MARGIN), Pt(self.top)
                placeholders[0].width, placeholders[0].height = Pt(self.content_w), Pt(60)
            self.y = self.top + 70
        else:
            self.text(Text(subtitle, tone="lead"))
        for block in doc.cover:
            self.block(block)

    def logo(self, logo: Image) -> None:
        """The programme's logo in the title slide's top right corner, 40 pt high."""
        assert self.slide is not None
        png = raster(logo)
        width, height = PictureBlob.from_blob(png).size
        shown_h = 40.0
        shown_w = min(shown_h * width / height, self.content_w / 3)
        shown_h = shown_w * height / width
        left = self.width - MARGIN - shown_w
        picture = self.slide.shapes.add_picture(
            io.BytesIO(png), Pt(left), Pt(MARGIN / 2), Pt(shown_w), Pt(shown_h)
        )
        picture.name = "Programme logo"
        element: Any = picture._element
        element.nvPicPr.cNvPr.set("descr", logo.alt)

    def contents(self) -> None:
        self.new_slide("Contents")
        lines = [s.title for s in self.document.sections]
        self.paragraphs([(line, 0, False) for line in lines], TEXT_SIZES["plain"])

    def section(self, section: Section, parent: str = "") -> None:
        """A section (or subsection) starts a slide of its own; a third level does unless
        the one before leaves room for its heading and a little of what follows."""
        if section.level <= 2 or self.room < 120:
            self.new_slide(section.title)
        else:
            self.heading(Heading(section.title, level=section.level))
        for block in section.blocks:
            self.block(block)
        for child in section.children:
            self.section(child, section.title)

    # -- blocks -----------------------------------------------------------------------------

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Text):
            self.text(block)
        elif isinstance(block, Markdown):
            self.markdown(block.text)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Facts):
            columns = (Column("Item"), Column("Value", 3))
            self.table(Table(columns, tuple(block.items)), header=False)
        elif isinstance(block, Chart):
            if block.data is not None:
                self.chart(block, block.data)
            else:
                self.svg_picture(block.svg, block.title, block.caption, block.width)
        elif isinstance(block, Diagram):
            self.svg_picture(block.svg, block.title, block.caption, 1.0)
        elif isinstance(block, Image):
            self.picture(raster(block), block.alt, block.caption, 1.0)

    def heading(self, block: Heading) -> None:
        size = 15.0 if block.level <= 3 else 13.0
        if block.new_page and not self.fresh():
            self.new_slide(_continued(self.title))
        height = _text_height(block.text, self.content_w, size, bold=True) + 4
        self.need(height + 40)  # a heading never ends a slide alone
        self._box(block.text, MARGIN, self.y, self.content_w, height, size, bold=True)
        self.y += height + 2

    def text(self, block: Text) -> None:
        size = TEXT_SIZES[block.tone]
        italic = block.tone == "note"
        colour = MUTED if block.tone == "note" else INK
        self.paragraphs([(block.text, 0, False)], size, italic=italic, colour=colour)

    def markdown(self, source: str) -> None:
        for item in _markdown(tree(source)):
            if isinstance(item, Table):
                self.table(item)
            else:
                self.paragraphs(item, TEXT_SIZES["plain"])

    def paragraphs(
        self,
        paragraphs: Sequence[tuple[str, int, bool]],
        size: float,
        *,
        italic: bool = False,
        colour: str = INK,
    ) -> None:
        """Paragraphs (text, indent level, bold) in text boxes, as many to a slide as fit."""
        pending: list[str] = []
        height = 0.0
        box_top = self.y

        def flush() -> None:
            if pending:
                self._box(
                    "\n".join(pending),
                    MARGIN,
                    box_top,
                    self.content_w,
                    height,
                    size,
                    italic=italic,
                    colour=colour,
                )

        for text, level, bold in paragraphs:
            indent = "    " * level
            line_h = _text_height(indent + text, self.content_w, size, bold=bold) + size * 0.3
            if line_h > self.room and not (self.fresh() and not pending):
                flush()
                pending, height = [], 0.0
                self.new_slide(_continued(self.title))
                box_top = self.y
            pending.append(indent + text)
            height += line_h
            self.y += line_h
        flush()
        self.y += 4

    def table(self, table: Table, *, header: bool = True) -> None:
        size = SIZES[table.size]
        widths = _column_widths(table, self.content_w, size)
        head = tuple(c.title for c in table.columns)
        head_h = _row_height(head, widths, size, bold=True) if header else 0.0
        rows = [(row, _row_height(row, widths, size)) for row in table.grid]
        if table.caption:
            self.heading(Heading(table.caption, level=4))
        first = rows[0][1] if rows else 0.0
        self.need(head_h + first)
        while rows:
            chunk: list[tuple[tuple[CellValue, ...], float]] = []
            used = head_h
            while rows and (not chunk or used + rows[0][1] <= self.room):
                chunk.append(rows.pop(0))
                used += chunk[-1][1]
            self._table_shape(table, widths, head if header else None, head_h, chunk, size)
            self.y += used + 6
            if rows:
                self.new_slide(_continued(self.title))
        if table.note:
            self.text(Text(table.note, tone="note"))

    def _table_shape(
        self,
        table: Table,
        widths: list[float],
        head: tuple[str, ...] | None,
        head_h: float,
        chunk: list[tuple[tuple[CellValue, ...], float]],
        size: float,
    ) -> None:
        assert self.slide is not None
        total = head_h + sum(h for _, h in chunk)
        frame = self.slide.shapes.add_table(
            1, len(widths), Pt(MARGIN), Pt(self.y), Pt(sum(widths)), Pt(total)
        )
        grid = frame.table
        grid.first_row = head is not None
        grid.horz_banding = False
        for column, width in zip(grid._tbl.tblGrid.gridCol_lst, widths, strict=True):
            column.set("w", str(Pt(width)))
        rows: list[tuple[tuple[CellValue, ...], float, bool]] = []
        if head is not None:
            rows.append((head, head_h, True))
        rows.extend((row, height, False) for row, height in chunk)
        # Written as XML in one go: python-pptx's cell-by-cell API takes a second and a half
        # for PSG-24's three thousand cells, this a tenth of that.
        body = "".join(
            f'<a:tr h="{Pt(height)}">'
            + "".join(
                _cell_xml(value, size, table.columns[c], is_head) for c, value in enumerate(row)
            )
            + "</a:tr>"
            for row, height, is_head in rows
        )
        tbl = grid._tbl
        for old in tbl.tr_lst:
            tbl.remove(old)
        tbl.extend(parse_xml(f'<a:tbl xmlns:a="{A_NS}">{body}</a:tbl>'))

    def chart(self, block: Chart, data: ChartData) -> None:
        unknown = _unknown_points(data)
        height = min(300.0, 90 + 22 * len(data.categories)) if data.shape == "bar" else 280.0
        notes = [block.caption] if block.caption else []
        if unknown:
            notes.append("Not known, so not drawn: " + "; ".join(unknown) + ".")
        self.need(height)
        assert self.slide is not None
        width = self.content_w * max(block.width, 0.6)
        chart_data = CategoryChartData(number_format="#,##0.##")  # type: ignore[no-untyped-call]
        chart_data.categories = data.categories
        for series in data.series:
            chart_data.add_series(series.name, series.values)  # type: ignore[no-untyped-call]
        kind = {
            "bar": XL_CHART_TYPE.BAR_CLUSTERED,
            "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
            "line": XL_CHART_TYPE.LINE,
        }[data.shape]
        frame: Any = self.slide.shapes.add_chart(
            kind,
            Pt(MARGIN),
            Pt(self.y),
            Pt(width),
            Pt(height),
            chart_data,  # type: ignore[arg-type]
        )
        _style_chart(frame.chart, block.title, data)
        self.y += height + 4
        for note in notes:
            self.text(Text(note, tone="note"))

    def _shown(
        self, width: float, height: float, caption: str, share: float
    ) -> tuple[float, float]:
        """The size in points a picture of ``width`` × ``height`` is shown at: ``share`` of
        the width, shrunk to fit the slide."""
        room_h = self.bottom - self.top - (24 if caption else 0)
        shown_w = min(self.content_w * share, self.content_w)
        shown_h = shown_w * height / width
        if shown_h > room_h:
            shown_w, shown_h = shown_w * room_h / shown_h, room_h
        return shown_w, shown_h

    def svg_picture(self, svg: str, title: str, caption: str, share: float) -> None:
        """An SVG drawn as a PNG at SVG_PPI, or at SVG_PPI of the size the slide shows it at
        where that is smaller: a 40× programme's milestone timeline is 10,000 points tall,
        shrunk to fit a slide, and drawing it full size first took 250 MB for nothing."""
        natural = _svg_size(svg)
        ppi = SVG_PPI
        if natural is not None:
            shown_w, _ = self._shown(*natural, caption, share)
            ppi *= min(1.0, shown_w / natural[0])
        self.picture(svg_png(svg, ppi), title, caption, share)

    def picture(self, png: bytes, title: str, caption: str, share: float) -> None:
        """A PNG or JPEG picture at ``share`` of the width, shrunk to fit the slide."""
        shown_w, shown_h = self._shown(*PictureBlob.from_blob(png).size, caption, share)
        self.need(shown_h)
        assert self.slide is not None
        picture = self.slide.shapes.add_picture(
            io.BytesIO(png), Pt(MARGIN), Pt(self.y), Pt(shown_w), Pt(shown_h)
        )
        picture.name = title
        # The picture's description is what a screen reader says, as the SVG's title is.
        element: Any = picture._element
        element.nvPicPr.cNvPr.set("descr", caption or title)
        self.y += shown_h + 4
        if caption:
            self.text(Text(caption, tone="note"))

    def save(self) -> bytes:
        props = self.prs.core_properties
        year, month, day = self.document.metadata_date
        stamp = dt.datetime(year, month, day)
        props.title = f"{self.document.title}: {self.document.edition}"
        props.subject = self.document.programme
        props.author = props.last_modified_by = "steerco"
        props.category = self.document.classification
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        out = io.BytesIO()
        self.prs.save(out)
        return stable_zip(out.getvalue(), (year, month, day, 0, 0, 0))


# -- tables ------------------------------------------------------------------------------------


def _plain(value: CellValue) -> str:
    """A cell value as the words it shows."""
    if isinstance(value, str):
        return value
    if isinstance(value, Badge | Unknown):
        return value.label
    if isinstance(value, Code | Derived):
        return value.text
    if isinstance(value, Markdown):
        return "\n".join(
            "    " * level + text
            for item in _markdown(tree(value.text))
            for text, level, _ in (item if isinstance(item, list) else _table_lines(item))
        )
    if isinstance(value, Stack):
        return " ".join(_plain(item) for item in value.items)
    if isinstance(value, Span):
        return _plain(value.value)
    if isinstance(value, Covered):
        return ""
    if isinstance(value, Svg):
        found = re.search(r"<title>(.*?)</title>", value.svg, re.S)
        return unescape(found.group(1)) if found else ""
    return str(value)


def _badge_of(value: CellValue) -> Badge | None:
    if isinstance(value, Badge):
        return value
    if isinstance(value, Stack):
        return next((b for b in (_badge_of(i) for i in value.items) if b), None)
    return None


A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
ALIGN = {"left": "l", "right": "r", "center": "ctr"}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell_xml(value: CellValue, size: float, column: Column, head: bool) -> str:
    """One table cell: a badge is the cell's fill with its label in bold on it; unknown
    and derived values in italics; the header on a dark fill. A merged cell spans its
    columns (gridSpan), each column it covers marked as merged into it (hMerge)."""
    if isinstance(value, Covered):
        return (
            '<a:tc hMerge="1"><a:txBody><a:bodyPr/><a:lstStyle/><a:p/></a:txBody><a:tcPr/></a:tc>'
        )
    span = f' gridSpan="{value.columns}"' if isinstance(value, Span) else ""
    value = value.value if isinstance(value, Span) else value
    badge = _badge_of(value)
    fill = HEADER_FILL if head else badge.colour if badge else "#ffffff"
    ink = ink_for(fill) if head or badge else MUTED if isinstance(value, Unknown) else INK
    paragraphs = "".join(
        _paragraph_xml(
            line,
            size,
            ink,
            bold=head or badge is not None,
            italic=isinstance(value, Unknown | Derived),
            align=ALIGN[column.align],
        )
        for line in _plain(value).split("\n")
    )
    pad = Pt(CELL_PAD)
    return (
        f"<a:tc{span}><a:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</a:txBody>"
        f'<a:tcPr marL="{pad}" marR="{pad}" marT="{Pt(2)}" marB="{Pt(2)}">'
        f'<a:solidFill><a:srgbClr val="{_hex(fill)}"/></a:solidFill></a:tcPr></a:tc>'
    )


def _paragraph_xml(
    text: str, size: float, colour: str, *, bold: bool, italic: bool, align: str
) -> str:
    sz = round(size * 100)
    flags = (' b="1"' if bold else "") + (' i="1"' if italic else "")
    run = (
        f'<a:r><a:rPr lang="en-GB" sz="{sz}"{flags} dirty="0"><a:solidFill>'
        f'<a:srgbClr val="{_hex(colour)}"/></a:solidFill></a:rPr>'
        f"<a:t>{_xml_text(text)}</a:t></a:r>"
        if text
        else ""
    )
    return f'<a:p><a:pPr algn="{align}"/>{run}<a:endParaRPr lang="en-GB" sz="{sz}"/></a:p>'


def _xml_text(text: str) -> str:
    return escape(NOT_XML.sub("", text))


def _column_widths(table: Table, total: float, size: float) -> list[float]:
    """Columns sized to content take what their longest line needs (up to a quarter of
    the slide); the rest share what is left by their weights."""
    natural = []
    for index, column in enumerate(table.columns):
        texts = [column.title] + [_plain(row[index]) for row in table.grid]
        longest = max(
            (_width(line, size) for text in texts for line in text.split("\n")), default=20
        )
        # A header breaks at its spaces: its longest word is the floor, not the whole title.
        floor = max((_width(word, size, bold=True) for word in column.title.split()), default=0)
        natural.append(max(min(longest, total / 4), floor) + 2 * CELL_PAD + 2)
    fixed = sum(n for n, c in zip(natural, table.columns, strict=True) if c.width is None)
    shares = sum(c.width or 0 for c in table.columns)
    if shares == 0:
        scale = min(1.0, total / sum(natural))
        return [n * scale for n in natural]
    if fixed > total * 0.65:  # too many content-sized columns: shrink them to leave room
        natural = [
            n * total * 0.65 / fixed if c.width is None else n
            for n, c in zip(natural, table.columns, strict=True)
        ]
        fixed = total * 0.65
    free = total - fixed
    return [
        natural[i] if c.width is None else free * c.width / shares
        for i, c in enumerate(table.columns)
    ]


def _row_height(
    row: Sequence[CellValue], widths: list[float], size: float, bold: bool = False
) -> float:
    lines = 1
    for value, width in zip(row, widths, strict=True):
        text = value if isinstance(value, str) else _plain(value)
        lines = max(lines, _lines(text, width - 2 * CELL_PAD, size, bold))
    return lines * size * LEADING + 6


# -- text --------------------------------------------------------------------------------------


def _width(text: str, size: float, bold: bool = False) -> float:
    from steerco.charts import text_width

    return text_width(text, size, bold)


@lru_cache(maxsize=65536)
def _lines(text: str, width: float, size: float, bold: bool = False) -> int:
    return sum(len(wrap(part, max(width, 10), size, bold)) for part in text.split("\n"))


def _text_height(text: str, width: float, size: float, bold: bool = False) -> float:
    return _lines(text, width, size, bold) * size * LEADING


def _hex(colour: str) -> str:
    value = colour.lstrip("#")
    return ("".join(c * 2 for c in value) if len(value) == 3 else value).upper()


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(_hex(colour))  # type: ignore[no-untyped-call]


def _continued(title: str) -> str:
    return title if title.endswith("(continued)") else f"{title} (continued)"


Paragraphs = list[tuple[str, int, bool]]


def _markdown(root: SyntaxTreeNode) -> Iterator[Paragraphs | Table]:
    """Narrative Markdown as runs of paragraphs (text, indent, bold) and tables."""
    pending: Paragraphs = []
    for node in root.children:
        if node.type == "table":
            if pending:
                yield pending
                pending = []
            yield _markdown_table(node)
        else:
            pending.extend(_paragraphs(node, 0))
    if pending:
        yield pending


def _paragraphs(node: SyntaxTreeNode, level: int) -> Paragraphs:
    if node.type in ("bullet_list", "ordered_list"):
        found: Paragraphs = []
        start = int(node.attrs.get("start", 1) or 1)
        for number, item in enumerate(node.children, start):
            mark = "•" if node.type == "bullet_list" else f"{number}."
            inner = [p for child in item.children for p in _paragraphs(child, level + 1)]
            if inner:
                text, depth, bold = inner[0]
                inner[0] = (f"{mark} {text}", depth, bold)
            found.extend(inner)
        return found
    if node.type == "heading":
        return [(_inline_text(node), level, True)]
    if node.type in ("code_block", "fence"):
        return [(line, level, False) for line in node.content.rstrip().split("\n")]
    if node.type == "hr":
        return []
    if node.type == "blockquote":
        return [p for child in node.children for p in _paragraphs(child, level + 1)]
    return [(_inline_text(node), level, False)]


def _inline_text(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type == "softbreak":
        return " "
    if node.type == "hardbreak":
        return "\n"
    return "".join(_inline_text(child) for child in node.children)


def _markdown_table(node: SyntaxTreeNode) -> Table:
    rows = [
        [_inline_text(cell) for cell in row.children]
        for section in node.children
        for row in section.children
    ]
    head, *body = rows or [[""]]
    width = max(len(row) for row in rows or [head])
    columns = tuple(Column(title, 1) for title in head + [""] * (width - len(head)))
    cells = tuple(tuple(row + [""] * (width - len(row))) for row in body)
    return Table(columns, cells, size="small")


def _table_lines(table: Table) -> Paragraphs:
    rows = [tuple(c.title for c in table.columns), *table.grid]
    return [(" | ".join(_plain(v) for v in row), 0, False) for row in rows]


# -- charts and pictures -----------------------------------------------------------------------


def _unknown_points(data: ChartData) -> list[str]:
    found = []
    for series in data.series:
        for category, value in zip(data.categories, series.values, strict=False):
            if value is None:
                name = category if len(data.series) == 1 else f"{series.name}, {category}"
                found.append(name)
    return found


def _style_chart(chart: Any, title: str, data: ChartData) -> None:
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.bold = True
    chart.has_legend = len(data.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(10)
    chart.font.size = Pt(10)
    plot = chart.plots[0]
    if data.shape != "line":
        plot.has_data_labels = True  # every bar labelled with its value, as in the SVG
        plot.data_labels.font.size = Pt(9)
        plot.data_labels.number_format = "#,##0.##"
        plot.data_labels.number_format_is_linked = False
        plot.gap_width = 60
    if data.shape == "bar":
        chart.category_axis.reverse_order = True  # the first bar on top, as in the SVG
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = _rgb(GRID)
    for index, (shown, series) in enumerate(zip(plot.series, data.series, strict=True)):
        if data.shape == "line":
            line = shown.format.line
            line.color.rgb = _rgb(series.colour)
            line.width = Pt(1.75 if series.dash else 2.5)
            if series.dash:
                line.dash_style = MSO_LINE.DASH
            shown.smooth = False
            continue
        _fill(shown.format.fill, series.colour, PATTERNS[index % len(PATTERNS)])
        shown.format.line.color.rgb = _rgb(series.colour)
        for point, colour in enumerate(series.colours):
            if colour != series.colour:
                _fill(shown.points[point].format.fill, colour, None)


def _fill(fill: Any, colour: str, pattern: Any) -> None:
    """Solid for the first series, patterned for the others, so they differ in greyscale."""
    if pattern is None:
        fill.solid()
        fill.fore_color.rgb = _rgb(colour)
        return
    fill.patterned()
    fill.pattern = pattern
    fill.fore_color.rgb = _rgb(colour)
    fill.back_color.rgb = _rgb("#ffffff")


@cache
def _png_compiler() -> typst.Compiler:
    # A compiler of its own: the PDF's may be typesetting on another thread meanwhile.
    fonts = [str(d) for d in FONT_DIRS if d.is_dir()]
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True)


PNG_SOURCE = b"#set page(width: auto, height: auto, margin: 0pt)\n#image(bytes(sys.inputs.svg))\n"


SVG_PPI = 160.0
SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def _svg_size(svg: str) -> tuple[float, float] | None:
    """An SVG's own size in points (its width and height are CSS pixels, ¾ of a point), if
    its root element gives them as plain numbers, as steerco's charts and diagrams do."""
    found = SVG_SIZE.match(svg.lstrip())
    return (float(found[1]) * 0.75, float(found[2]) * 0.75) if found else None


def svg_png(svg: str, ppi: float = SVG_PPI) -> bytes:
    """The SVG drawn as a PNG by Typst (resvg inside), with the PDF's fonts."""
    png = _png_compiler().compile(input=PNG_SOURCE, format="png", ppi=ppi, sys_inputs={"svg": svg})
    assert isinstance(png, bytes)
    return png


def raster(image: Image) -> bytes:
    """A picture PowerPoint shows: PNG and JPEG as they are, an SVG drawn as a PNG."""
    return svg_png(image.data.decode("utf-8")) if image.format == "svg" else image.data


# -- the package ---------------------------------------------------------------------------------


def _layout(prs: Any, name: str) -> SlideLayout:
    layouts = list(prs.slide_layouts)
    for layout in layouts:
        if layout.name == name:
            return layout
    titled = [
        lay for lay in layouts if any(p.placeholder_format.idx == 0 for p in lay.placeholders)
    ]
    return min(titled or layouts, key=lambda lay: len(lay.placeholders))


def _drop_slides(prs: Any) -> None:
    """A template's own slides are examples, not part of the pack."""
    ids = prs.slides._sldIdLst
    for slide_id in list(ids):
        prs.part.drop_rel(slide_id.rId)
        ids.remove(slide_id)


CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def stable_zip(blob: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """The package written again with every entry dated ``when``, and the same for any
    package inside it (a chart's workbook), whose own dates are set to ``when`` too."""
    stamp = dt.datetime(*when).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(blob)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".xlsx"):
                data = stable_zip(data, when)
            elif info.filename.endswith("core.xml"):
                data = CORE_DATES.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()
