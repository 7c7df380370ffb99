"""Pack document → Typst source → PDF.

Typst lays out the dense tables of a 60-page pack in about a second (WeasyPrint took about
20 s on the same pages), repeats table headers across page breaks, and writes the same bytes
for the same input once the document date is fixed: the PDF's date is the meeting's date,
never the build time. Fonts come from one folder (Debian's fonts-dejavu-core) with the
system's other fonts ignored, so another machine's fonts cannot change the layout; without
that folder Typst falls back to the fonts built into it.

All text from the registers enters the Typst source as string literals (see
``markdown.literal``), so nothing a participant wrote can be read as Typst code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from steerco.pack.document import (
    Badge,
    Block,
    CellValue,
    Chart,
    Code,
    Column,
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
from steerco.pack.markdown import Outline, literal, nested
from steerco.pack.typst_child import FONT_DIRS, Job

PREAMBLE = Path(__file__).with_name("pack.typ")
# Between two blocks where the page breaks anyway: a long pack may be typeset in parts that
# begin at such a line (steerco.pack.parts). A Typst comment, so a whole source keeps it.
PART_BREAK = "// part break: the page breaks here anyway"

__all__ = ["FONT_DIRS", "PART_BREAK", "typst_source"]


def typst_source(document: Document) -> str:
    """The whole pack as one Typst document."""
    return preamble() + "\n".join(_body(document)) + "\n"


def preamble() -> str:
    return PREAMBLE.read_text(encoding="utf-8") + "\n"


def inputs(document: Document) -> dict[str, str]:
    year, month, day = document.metadata_date
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "programme": document.programme,
        "meeting": document.meeting,
        "cutoff": document.cutoff,
        "classification": document.classification,
        "edition": document.edition,
        "year": str(year),
        "month": str(month),
        "day": str(day),
    }


def job(document: Document, source: str, *, ua: bool = True) -> Job:
    return Job(source, inputs(document), document.metadata_date, ua)


# Typst writes the catalogue's /MarkInfo with "/Suspects false" (the default, so saying it
# changes nothing); poppler 22 reads any Suspects that is not true as the wrong type and
# prints "Syntax Error: Suspects object is wrong type (boolean)" whenever the PDF is opened.
# The entry is blanked with spaces of the same length, so every byte offset of the file's
# cross-reference table stays right. (A pack joined from parts drops the entry instead.)
_FALSE_SUSPECTS = b"/MarkInfo<</Marked true/Suspects false>>"
_WITHOUT = b"/MarkInfo<</Marked true" + b" " * len(b"/Suspects false") + b">>"


def without_false_suspects(pdf: bytes) -> bytes:
    return pdf.replace(_FALSE_SUSPECTS, _WITHOUT, 1)


# -- body -------------------------------------------------------------------------------------


def _body(document: Document) -> Iterator[str]:
    yield from cover(document)
    yield CONTENTS
    yield "#outline(title: none, depth: 2, indent: 1.5em)"
    yield from sections(document)


CONTENTS = '#block(below: 6mm, text(15pt, weight: "bold", "Contents"))'


def sections(document: Document) -> Iterator[str]:
    """The pack after its cover and contents, with a ``PART_BREAK`` wherever a page breaks."""
    outline = Outline(0)
    for section in document.sections:
        yield from _section(section, outline)


def cover(document: Document) -> Iterator[str]:
    """The cover page, and the break to the contents' page."""
    yield "#v(12mm)"
    if document.logo is not None:
        yield f"#block(below: 6mm, {_image(document.logo)})"
    title = literal(document.title)
    subtitle = literal(document.subtitle)
    edition, classification = literal(document.edition), literal(document.classification)
    yield f'#block(below: 4mm, text(13pt, weight: "bold", {literal(document.programme)}))'
    yield (
        f"#text(9pt, fill: luma(90), tracking: 0.08em, upper({edition})) #h(2mm) "
        f'#box(stroke: 0.8pt + luma(40), inset: (x: 4pt, y: 2pt), text(9pt, weight: "bold", '
        f"tracking: 0.08em, upper({classification})))"
    )
    yield f'#block(above: 6mm, text(28pt, weight: "bold", {title}))'
    yield f"#block(above: 3mm, below: 10mm, text(16pt, fill: luma(60), {subtitle}))"
    for block in document.cover:
        yield _block(block, Outline(None))
    yield "#pagebreak()"


def _section(section: Section, outline: Outline) -> Iterator[str]:
    outline.last = min(section.level, 2, (outline.last or 0) + 1)
    if section.new_page or outline.last == 1:  # a level 1 heading begins a page (pack.typ)
        yield PART_BREAK
    if section.new_page:
        yield "#pagebreak(weak: true)"
    yield f"#heading(level: {outline.last}, {literal(section.title)})"
    for block in section.blocks:
        if isinstance(block, Heading) and block.new_page:
            yield PART_BREAK
        yield _block(block, outline)
    for child in section.children:
        yield from _section(child, outline)


def _block(block: Block, outline: Outline) -> str:
    """``outline``: the level of the heading before, so that no level is skipped (PDF/UA)."""
    if isinstance(block, Heading):
        page = "#pagebreak(weak: true)\n" if block.new_page else ""
        return page + outline.heading(3, f"#{literal(block.text)}")
    if isinstance(block, Text):
        if block.tone == "note":
            return f"#note({literal(block.text)})"
        return f"#block({literal(block.text)})"
    if isinstance(block, Markdown):
        markup, outline.last = nested(block.text, outline.last)
        return markup
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart | Diagram):
        return _picture(block)
    if isinstance(block, Image):
        caption = f"\n#note({literal(block.caption)})" if block.caption else ""
        return f"#block(breakable: false, above: 1em, below: 0.6em, {_image(block)}){caption}"
    if isinstance(block, Facts):
        pairs = ", ".join(
            f"strong({literal(label)}), {_cell(value)}" for label, value in block.items
        )
        return f"#facts({pairs})"
    raise TypeError(f"no Typst rendering for {type(block).__name__}")


def _picture(block: Chart | Diagram) -> str:
    width = f"{block.width * 100:.0f}%" if isinstance(block, Chart) else "100%"
    caption = f"\n#note({literal(block.caption)})" if block.caption else ""
    return (
        f"#block(breakable: false, above: 1em, below: 0.6em, image(bytes({literal(block.svg)}), "
        f'format: "svg", width: {width}, alt: {literal(block.title)})){caption}'
    )


def _image(image: Image) -> str:
    """A Typst image expression. An SVG's text goes in as a string literal; a PNG's or a
    JPEG's bytes as an array of numbers (Typst reads no file, and no other form of bytes can
    be written in its source)."""
    if image.format == "svg":
        data = f"bytes({literal(image.data.decode('utf-8'))})"
    else:
        data = "bytes((" + ",".join(map(str, image.data)) + ",))"
    size = f"height: {image.height:g}pt" if image.height else "width: 100%"
    return f'image({data}, format: "{image.format}", {size}, alt: {literal(image.alt)})'


def _width(column: Column) -> str:
    return "auto" if column.width is None else f"{column.width:g}fr"


def _table(table: Table) -> str:
    columns = ", ".join(_width(c) for c in table.columns)
    aligns = ", ".join(c.align for c in table.columns)
    header = ", ".join(literal(c.title) for c in table.columns)
    body = ",\n  ".join(", ".join(_placed(v) for v in row) for row in table.rows)
    size = "7pt" if table.size == "small" else "8pt"
    parts = []
    if table.caption:
        parts.append(f"#caption({literal(table.caption)})")
    parts.append(
        f"#[#set text(size: {size})\n#table(columns: ({columns},), align: ({aligns},),\n"
        f"  table.header({header}),\n  {body})]"
    )
    if table.note:
        parts.append(f"#note({literal(table.note)})")
    return "\n".join(parts)


def _placed(value: CellValue) -> str:
    """A cell in its table: a merged cell spans its columns."""
    if isinstance(value, Span):
        return f"table.cell(colspan: {value.columns}, {_cell(value.value)})"
    return _cell(value)


def _cell(value: CellValue) -> str:
    """A Typst content expression for one cell value."""
    if isinstance(value, str):
        return literal(value) if value else "[]"
    if isinstance(value, Badge):
        return f"badge({literal(value.label)}, {literal(value.colour)}, {literal(value.ink)})"
    if isinstance(value, Unknown):
        return f"unknown({literal(value.label)})"
    if isinstance(value, Code):
        return f"code({literal(value.text)})"
    if isinstance(value, Derived):
        return f"derived({literal(value.text)})"
    if isinstance(value, Markdown):
        return "[" + nested(value.text, None)[0] + "]"
    if isinstance(value, Svg):
        return (
            f'image(bytes({literal(value.svg)}), format: "svg", width: {value.width:g}pt, '
            f"alt: {literal(value.alt)})"
        )
    if isinstance(value, Stack):
        items = ", ".join(_cell(item) for item in value.items)
        return f"stack(spacing: 3pt, {items})"
    if isinstance(value, Span):
        return _cell(value.value)
    return "[]"  # Covered: a merged cell's own columns hold nothing
