"""The one place the deck reaches into python-pptx's package internals, for a large deck.

python-pptx (pinned at 1.0.2 in pyproject.toml) does two things that are harmless for a deck
of tens of slides and not for a 40× programme's (1,447 slides, 160 charts):

- it names each new chart and each chart's workbook by walking every part of the package
  (``OpcPackage.next_partname``), so adding them is quadratic in the deck's size;
- it relates each new slide to the presentation after looking through every slide so far
  for the same relationship, and numbers it after reading every slide's id;
- it keeps every part as a parsed lxml tree until the deck is saved, and a slide of tables
  is a large tree: hundreds of megabytes for a thousand slides.

``Parts`` names new parts from the names it has seen, walking the package once per name
template, adds a slide as python-pptx does less those two reads (to the same relationship
id and slide id), and lets a finished slide (and its charts) go as the bytes it would be
saved as. All rely on what python-pptx 1.0.2 does inside; with any other version they stand
aside and the deck is built the plain way, the same deck more slowly (a test checks the pin).
"""

from __future__ import annotations

import zlib
from typing import Any

import pptx
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part, XmlPart
from pptx.opc.packuri import PackURI
from pptx.parts.chart import ChartPart
from pptx.parts.slide import SlidePart
from pptx.slide import Slide, SlideLayout

KNOWN_VERSION = "1.0.2"
MAX_SLIDE_ID = 2147483647  # python-pptx looks for a free id below it beyond that

# What a plain (binary) Part of python-pptx 1.0.2 holds in its __dict__: its name, content
# type, package and bytes, and the lazily made relationships and cached properties. The rest
# of an XML part's __dict__ is its lxml tree (_element) and objects that wrap it.
_PLAIN_PART = frozenset(
    {"_partname", "_content_type", "_package", "_blob", "_rels", "rels", "package", "content_type"}
)


class _Finished(Part):
    """A finished part: its bytes kept compressed (a slide of tables compresses tenfold)
    until the deck is saved."""

    @property  # type: ignore[misc]  # read only, as XmlPart's is
    def blob(self) -> bytes:
        return zlib.decompress(self._blob or b"")


class Parts:
    """A presentation's package, with new parts named without a walk of the whole package
    each time, and finished parts kept as bytes."""

    def __init__(self, presentation: Any) -> None:
        self.presentation = presentation
        self.package = package = presentation.part.package
        self.active = pptx.__version__ == KNOWN_VERSION
        self._taken: dict[str, set[str]] = {}
        self._slide_id = 0
        if self.active:
            # An instance attribute shadows OpcPackage.next_partname for this package only.
            package.next_partname = self.next_partname

    def next_partname(self, template: str) -> PackURI:
        """What ``OpcPackage.next_partname(template)`` gives — the highest free number up to
        one more than the names already taken with the template's prefix — from the names
        seen at the first call for that prefix plus those given since. Every part added with a
        name from the template comes through here, so the names stay unique; the package is
        walked then, not at the start, as a template's dropped slides' charts are gone by
        then."""
        prefix = template[: (template % 42).find("42")]
        taken = self._taken.get(prefix)
        if taken is None:
            taken = {p.partname for p in self.package.iter_parts() if p.partname.startswith(prefix)}
            self._taken[prefix] = taken
        for number in range(len(taken) + 1, 0, -1):
            name = template % number
            if name not in taken:
                taken.add(name)
                return PackURI(name)
        raise AssertionError("more names taken than numbers below their count")  # unreachable

    def add_slide(self, layout: SlideLayout) -> Slide:
        """``presentation.slides.add_slide(layout)``, step by step as python-pptx 1.0.2 takes
        it, less its look for an existing relationship to the new slide (there is none) and
        its read of every slide's id (the next one is one more than the last one given)."""
        if not self.active:
            return self.presentation.slides.add_slide(layout)
        part = self.presentation.part
        new: Any = SlidePart.new
        slide_part = new(part._next_slide_partname, self.package, layout.part)
        rid = part.rels._add_relationship(RT.SLIDE, slide_part)
        slide: Slide = slide_part.slide
        slide.shapes.clone_layout_placeholders(layout)
        ids = self.presentation.slides._sldIdLst
        if not 0 < self._slide_id <= MAX_SLIDE_ID:
            self._slide_id = ids._next_id
        ids._add_sldId(id=self._slide_id, rId=rid)
        self._slide_id += 1
        return slide

    def finish(self, part: XmlPart) -> None:
        """Keep a slide part that will not change again, and its charts, as the bytes the
        deck saves for them (an XML part's ``blob`` is its tree serialized), compressed, and
        drop their trees: such a part becomes a python-pptx ``Part`` that holds bytes, as a
        part of a kind it does not know is when it opens a file. Its relationships (its
        layout, charts, pictures) stay as they are, so the saved package is the same."""
        if not self.active:
            return
        charts = [
            rel.target_part
            for rel in part.rels.values()
            if not rel.is_external and isinstance(rel.target_part, ChartPart)
        ]
        finished: Any
        for finished in (part, *charts):
            blob = finished.blob
            state = finished.__dict__
            for key in set(state) - _PLAIN_PART:
                del state[key]
            finished.__class__ = _Finished
            finished._blob = zlib.compress(blob, 1)
