"""A pack's PDF; a long one typeset in parts, each in its own process, and joined.

Typst needs about 2.4 MB of memory a page of dense tables and gives none back until its
process ends, so a 40-times programme's 860-page pack would need 2 GB in one go. Cut into
parts of at most ``PART_CHARS`` characters of source, each typeset by a child process that
exits after, it needs at most what its largest part does.

The source is cut only at a ``pdf.PART_BREAK``, where the page breaks anyway, so the pages
come out as they would whole. Each part is typeset without its page furniture; its pages
and bookmarks are read back. Once every page is counted, the cover with a contents that
lists each section's page, and the furniture of every page (header, and a footer with
"Page 12 of 859"), are typeset, and steerco.pack.pdfjoin joins them: the pages, one tag
tree for PDF/UA, one set of bookmarks, the furniture drawn over each page as the artifact
Typst marks it. In a joined pack the contents' entries are not links (the bookmarks are),
and a part is checked against PDF/UA-1 only as part of the whole: alone it may begin below
its first heading's level, which Typst's check refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from steerco.pack import pdf
from steerco.pack.document import Document
from steerco.pack.markdown import literal
from steerco.pack.typst_child import Children

if TYPE_CHECKING:
    from steerco.pack.pdfjoin import Bookmark

# Characters of source a part may hold, not counting its pictures' SVG text (``_weight``):
# Typst needs at most about 400 MB for that much of the densest tables (bench/RESULTS.md).
PART_CHARS = 500_000
NO_FURNITURE = "#set page(header: none, footer: none)\n"


def render_pdf(document: Document, children: Children | None = None) -> bytes:
    """The pack's PDF, typeset in a child process; a long pack in parts. ``children``:
    processes started ahead (default: started as needed)."""
    return typeset(document, PART_CHARS, children)


def typeset(
    document: Document, part_chars: int = PART_CHARS, children: Children | None = None
) -> bytes:
    """``children``: processes started ahead (default: started as needed)."""
    if children is None:
        with Children() as started:
            return typeset(document, part_chars, started)
    parts = list(_cut(pdf.sections(document), part_chars))
    if len(parts) <= 1:
        return pdf.without_false_suspects(
            children.compile(pdf.job(document, pdf.typst_source(document)))
        )
    # pikepdf takes a tenth of a second to import: only a pack in parts needs it.
    from steerco.pack import pdfjoin

    bare = pdf.preamble() + NO_FURNITURE
    done: list[bytes] = []
    pages: list[int] = []
    bookmarks: list[list[pdfjoin.Bookmark]] = []
    for number, lines in enumerate(parts, 1):
        data = children.compile(pdf.job(document, bare + "\n".join(lines), ua=False), more=True)
        count, marks = pdfjoin.bookmarks(data, number, levels(lines))
        done.append(data)
        pages.append(count)
        bookmarks.append(marks)
    cover, own = _cover(document, bare, bookmarks, pages, children)
    furniture = children.compile(pdf.job(document, pdf.preamble() + _blank_pages(own + sum(pages))))
    return pdfjoin.join([cover, *done], furniture, [m for part in bookmarks for m in part])


def _cut(lines: Iterator[str], part_chars: int) -> Iterator[list[str]]:
    """Consecutive runs of ``lines``, each begun at a part break, of at most ``part_chars``
    characters unless a run from one break to the next is longer by itself."""
    part: list[str] = []
    size = 0
    for run in _runs(lines):
        length = sum(map(_weight, run))
        if part and size + length > part_chars:
            yield part
            part, size = [], 0
        part += run
        size += length
    if part:
        yield part


# A picture's SVG text costs Typst little beside the same length of table text.
_SVG = re.compile(r'bytes\("<svg.*?</svg>"\)', re.S)


def _weight(line: str) -> int:
    """Characters of Typst source, not counting those of pictures' SVG text."""
    return len(line) + 1 - sum(len(found) for found in _SVG.findall(line))


def _runs(lines: Iterator[str]) -> Iterator[list[str]]:
    """``lines`` from one part break to the next."""
    run: list[str] = []
    for line in lines:
        if line == pdf.PART_BREAK and run:
            yield run
            run = []
        run.append(line)
    if run:
        yield run


# -- bookmarks and the contents ------------------------------------------------------------


_SECTION_HEADING = re.compile(r'^#heading\(level: (\d), "')  # as pdf._section writes one


def levels(lines: list[str]) -> list[int]:
    """The levels of the section headings in ``lines``: those that Typst bookmarks."""
    return [int(m[1]) for m in map(_SECTION_HEADING.match, lines) if m]


def _cover(
    document: Document,
    bare: str,
    marks: list[list[Bookmark]],
    pages: list[int],
    children: Children,
) -> tuple[bytes, int]:
    """The cover and contents, typeset until the number of their own pages, on which every
    entry's page number depends, no longer changes."""
    from steerco.pack import pdfjoin

    cover = "\n".join(pdf.cover(document))
    own = 2
    for _ in range(4):
        entries = []
        first = own + 1
        for part, count in zip(marks, pages, strict=True):
            entries += [
                f"#contents-entry({m.level}, {literal(m.title)}, {first + m.page})" for m in part
            ]
            first += count
        source = "\n".join([bare + cover, pdf.CONTENTS, *entries])
        data = children.compile(pdf.job(document, source), more=True)
        count = pdfjoin.page_count(data)
        if count == own:
            return data, own
        own = count
    raise RuntimeError("the contents' length did not settle")


def _blank_pages(count: int) -> str:
    """``count`` pages with nothing but the furniture the preamble gives every page."""
    return f"#for _ in range({count - 1}) {{ pagebreak() }}\n"
