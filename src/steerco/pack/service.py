"""Build one edition of a meeting's pack: freeze the registers at its cut-off as the
edition's audience may see them, check them, build the document, render HTML, PDF and
PowerPoint, write all three. The command, the background job, the benchmark and the tests
call this; nothing here prints."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from steerco.core.models import Meeting, Programme
from steerco.pack import editions
from steerco.pack.builder import build_document
from steerco.pack.document import Document
from steerco.pack.editions import AUDIENCES, Edition, filename
from steerco.pack.html import render_html
from steerco.pack.parts import render_pdf
from steerco.pack.slides import render_pptx, template_for
from steerco.pack.typst_child import Children
from steerco.rules import findings
from steerco.rules.frame import build

STEPS = ("freeze", "check", "build", "render", "write")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Rendered:
    edition: Edition
    document: Document
    html: str
    pdf: bytes
    pptx: bytes
    findings: tuple[findings.Finding, ...] = ()


@dataclass(frozen=True)
class Written:
    html: Path
    pdf: Path
    pptx: Path


def render(
    programme: Programme,
    meeting: Meeting,
    edition: Edition = Edition.PMO,
    progress: Progress | None = None,
    template: Path | None = None,
) -> Rendered:
    """``template``: the .pptx whose masters and layouts the deck uses (default: the
    programme's own, if it has one; see ``slides.template_for``)."""
    audience = AUDIENCES[edition]
    step = progress or (lambda name: None)
    # Typst's process starts now, and loads its fonts while the registers are read.
    with Children() as children:
        step("freeze")
        frame = build(programme, meeting, who=audience.audience)
        step("check")
        # Checked as the audience sees the registers, so the marks a section carries (a
        # broken timetable cell) cannot speak of what the edition leaves out.
        found = findings.check(frame)
        step("build")
        document = build_document(frame, found, audience)
        step("render")
        # Typst typesets in its own process, so the HTML and the slides are laid out
        # meanwhile on the other core.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pdf = pool.submit(render_pdf, document, children)
            html = render_html(document)
            pptx = render_pptx(document, template or template_for(programme.code))
            return Rendered(edition, document, html, pdf.result(), pptx, tuple(found))


def write(pack: Rendered, out_dir: Path) -> Written:
    out_dir.mkdir(parents=True, exist_ok=True)
    meeting = pack.document.meeting
    written = Written(
        out_dir / filename(meeting, pack.edition, "html"),
        out_dir / filename(meeting, pack.edition, "pdf"),
        out_dir / filename(meeting, pack.edition, "pptx"),
    )
    files = (
        (written.html, pack.html.encode("utf-8")),
        (written.pdf, pack.pdf),
        (written.pptx, pack.pptx),
    )
    # Each file appears whole or not at all: a build killed midway leaves no partial pack.
    for path, data in files:
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)
    return written


def build_editions(
    programme: Programme,
    meeting: Meeting,
    wanted: tuple[Edition, ...] = tuple(Edition),
    progress: Callable[[Edition, str], None] | None = None,
    out_dir: Path | None = None,
    found: list[findings.Finding] | None = None,
    template: Path | None = None,
) -> list[Written]:
    """Render and write each wanted edition (every one by default), in turn; the PMO
    edition's findings (every finding) are appended to ``found`` when it is given."""
    out = out_dir or editions.default_dir(programme.code)
    written = []
    for edition in wanted:

        def step(name: str, edition: Edition = edition) -> None:
            if progress is not None:
                progress(edition, name)

        rendered = render(programme, meeting, edition, step, template)
        step("write")
        written.append(write(rendered, out))
        if found is not None and edition == Edition.PMO:
            found.extend(rendered.findings)
    return written
