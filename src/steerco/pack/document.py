"""The pack as a plain document: sections of headings, Markdown, tables, badges, charts and
diagrams. The builder fills it from a frozen frame; the HTML and PDF renderers each turn it
into their own output, so both say the same thing.

Every class has a ``kind`` so that templates can dispatch on it without isinstance checks.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal, TypeAlias

from steerco import charts
from steerco.core.colours import ink_for
from steerco.core.images import CONTENT_TYPES

UNKNOWN_TEXT = "unknown"


@dataclass(frozen=True)
class Badge:
    """A coloured label: the label always says what the colour means."""

    kind: ClassVar[str] = "badge"
    label: str
    colour: str
    hint: str = ""  # a longer explanation, shown as a tooltip in HTML

    @property
    def ink(self) -> str:
        return ink_for(self.colour)


@dataclass(frozen=True)
class Unknown:
    """A value steerco does not know: shown as the word "unknown", never as a blank."""

    kind: ClassVar[str] = "unknown"
    label: str = UNKNOWN_TEXT


@dataclass(frozen=True)
class Code:
    """A reference or code (R040, T1-TE-1000, CR019) kept on one line."""

    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True)
class Markdown:
    """Narrative text as Markdown (CommonMark with tables)."""

    kind: ClassVar[str] = "markdown"
    text: str


@dataclass(frozen=True)
class Derived:
    """A value steerco computed, marked as such beside the stated ones."""

    kind: ClassVar[str] = "derived"
    text: str


@dataclass(frozen=True)
class Stack:
    """Several cell values shown one after another (a badge and its note)."""

    kind: ClassVar[str] = "stack"
    items: tuple[CellValue, ...]


@dataclass(frozen=True)
class Svg:
    """A small picture inside a table cell (a risk's positions on the score scale)."""

    kind: ClassVar[str] = "svg"
    svg: str
    width: float  # in points, in print
    alt: str  # what it shows, in words: the PDF's alternative text (PDF/UA)


CellValue: TypeAlias = str | Badge | Unknown | Code | Markdown | Derived | Stack | Svg


@dataclass(frozen=True)
class Column:
    title: str
    width: float | None = None  # relative share of the free width; None sizes to content
    align: Literal["left", "right", "center"] = "left"


# -- blocks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 3  # 1 and 2 are the section and subsection titles
    new_page: bool = False  # in print, start a new page (one per delivery report)


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    text: str
    tone: Literal["plain", "note", "lead"] = "plain"


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    caption: str = ""
    note: str = ""
    size: Literal["normal", "small"] = "normal"

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table '{self.caption}': a row has {len(row)} cells "
                    f"for {len(self.columns)} columns"
                )


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[float | None, ...]  # None: not known, said in words, never drawn as zero
    colour: str
    colours: tuple[str, ...] = ()  # one per point where the points differ (RAG bars)
    dash: bool = False  # a line drawn dashed, to tell it apart in greyscale


@dataclass(frozen=True)
class ChartData:
    """The figures an SVG chart draws, kept beside it so that a renderer with charts of its
    own (PowerPoint) draws them natively and they stay editable."""

    shape: Literal["bar", "column", "line"]  # horizontal bars, grouped columns, lines
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]

    @classmethod
    def bars(cls, bars: Sequence[charts.Bar], name: str) -> ChartData:
        values = tuple(b.value for b in bars)
        colours = tuple(b.colour for b in bars)
        series = ChartSeries(name, values, charts.NEUTRAL, colours)
        return cls("bar", tuple(b.label for b in bars), (series,))

    @classmethod
    def grouped(cls, categories: Sequence[str], series: Sequence[charts.Series]) -> ChartData:
        return cls(
            "column",
            tuple(categories),
            tuple(ChartSeries(s.name, tuple(s.values), s.colour) for s in series),
        )

    @classmethod
    def lines(cls, days: Sequence[dt.date], lines: Sequence[charts.Line]) -> ChartData:
        return cls(
            "line",
            tuple(f"{day:%d %b %Y}" for day in days),
            tuple(
                ChartSeries(line.name, tuple(line.values), line.colour, dash=bool(line.dash))
                for line in lines
            ),
        )


@dataclass(frozen=True)
class Chart:
    """An SVG chart; ``width`` is the share of the text width it takes in print; ``data``
    the figures it draws, where a renderer may draw them itself."""

    kind: ClassVar[str] = "chart"
    title: str
    svg: str
    width: float = 1.0
    caption: str = ""
    data: ChartData | None = None


@dataclass(frozen=True)
class Diagram:
    kind: ClassVar[str] = "diagram"
    title: str
    svg: str
    caption: str = ""


@dataclass(frozen=True)
class Image:
    """A picture the programme supplied (its logo, an illustration attached to the meeting
    as a paper), checked by ``steerco.core.images``; ``height`` in points in print, 0 for
    the text width."""

    kind: ClassVar[str] = "image"
    data: bytes
    format: Literal["png", "jpg", "svg"]
    alt: str
    height: float = 0
    caption: str = ""

    @property
    def data_uri(self) -> str:
        """The picture inline, for the self-contained HTML (shown in ``<img>``, where an
        SVG runs nothing)."""
        return f"data:{CONTENT_TYPES[self.format]};base64,{base64.b64encode(self.data).decode()}"


@dataclass(frozen=True)
class Facts:
    """A short list of label → value pairs (a report header, a readiness round)."""

    kind: ClassVar[str] = "facts"
    items: tuple[tuple[str, CellValue], ...]


Block: TypeAlias = Heading | Text | Markdown | Table | Chart | Diagram | Image | Facts


@dataclass
class Section:
    """A titled part of the pack; level 1 sections start a new page in print, and so do
    subsections marked ``new_page`` (a dashboard that fills pages of its own)."""

    title: str
    anchor: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    new_page: bool = False

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    def sub(self, title: str, anchor: str, *, new_page: bool = False) -> Section:
        child = Section(title, anchor, level=self.level + 1, new_page=new_page)
        self.children.append(child)
        return child


@dataclass
class Document:
    title: str
    subtitle: str
    programme: str
    meeting: str
    cutoff: str
    classification: str
    edition: str
    metadata_date: tuple[int, int, int]  # the meeting's date, written as the PDF's date
    cover: list[Block] = field(default_factory=list)
    logo: Image | None = None  # the programme's, at the head of the cover
    sections: list[Section] = field(default_factory=list)
