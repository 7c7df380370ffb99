"""Build a meeting's pack: freeze the registers at its cut-off, check them, build the
document, render HTML and PDF, write both. The command, the benchmark and the tests call
this; nothing here prints."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from steerco.core.models import Meeting, Programme
from steerco.pack.builder import build_document
from steerco.pack.document import Document
from steerco.pack.html import render_html
from steerco.pack.pdf import compile_source, typst_source
from steerco.rules import findings
from steerco.rules.frame import build

STEPS = ("freeze", "check", "build", "render", "write")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Rendered:
    document: Document
    html: str
    pdf: bytes


@dataclass(frozen=True)
class Written:
    html: Path
    pdf: Path


def default_dir(programme: Programme) -> Path:
    """var/packs/<programme>/: where the web pages look for a meeting's pack."""
    return Path(settings.VAR_DIR) / "packs" / programme.code


def render(programme: Programme, meeting: Meeting, progress: Progress | None = None) -> Rendered:
    step = progress or (lambda name: None)
    step("freeze")
    frame = build(programme, meeting)
    step("check")
    found = findings.check(frame)
    step("build")
    document = build_document(frame, found)
    step("render")
    source = typst_source(document)
    # Typst releases the GIL while it typesets, so the HTML renders meanwhile on the other core.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf = pool.submit(compile_source, source, document)
        html = render_html(document)
        return Rendered(document, html, pdf.result())


def write(pack: Rendered, out_dir: Path) -> Written:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = Written(
        out_dir / f"{pack.document.meeting}.html", out_dir / f"{pack.document.meeting}.pdf"
    )
    # Each file appears whole or not at all: a build killed midway leaves no partial pack.
    for path, data in ((written.html, pack.html.encode("utf-8")), (written.pdf, pack.pdf)):
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)
    return written
