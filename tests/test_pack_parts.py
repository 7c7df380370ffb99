"""A long pack typeset in parts and joined (steerco.pack.parts, steerco.pack.pdfjoin): the
same pages as typeset whole, one tag tree, one set of bookmarks, a clean file."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from steerco.core.models import Meeting
from steerco.pack import parts, pdf, pdfjoin, typst_child
from steerco.pack.builder import build_document
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.typst_child import Children, Job, TypesetFailed, compile_apart
from steerco.rules import findings
from steerco.rules.frame import build

POPPLER = shutil.which("pdftoppm") is not None


@dataclass(frozen=True)
class Both:
    whole: bytes
    joined: bytes
    count: int  # how many parts the joined one was typeset in


@pytest.fixture(scope="module")
def psg24(django_db_setup: Any, django_db_blocker: Any) -> Both:
    with django_db_blocker.unblock():
        meeting = Meeting.objects.get(programme__code="mhhs", code="PSG-24")
        audience = AUDIENCES[Edition.PMO]
        frame = build(meeting.programme, meeting, who=audience.audience)
        document = build_document(frame, findings.check(frame), audience)
    small = 40_000  # PSG-24 is about 300,000 characters: cut small, it comes in many parts
    count = len(list(parts._cut(pdf.sections(document), small)))
    return Both(parts.typeset(document), parts.typeset(document, small), count)


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def test_psg24_is_typeset_whole_by_default_and_in_parts_when_cut_small(psg24: Both) -> None:
    assert psg24.count >= 5
    with _open(psg24.whole) as whole, _open(psg24.joined) as joined:
        assert len(whole.pages) == len(joined.pages) == 55
        # Whole: Typst's own contents, whose entries are links; joined: entries written in.
        assert "/TOC" in _roles(whole) and "/TOC" not in _roles(joined)


@pytest.mark.skipif(not POPPLER, reason="pdftoppm (Debian poppler-utils) is not installed")
def test_every_page_looks_the_same_typeset_in_parts(psg24: Both, tmp_path: Path) -> None:
    """Parts begin only where the page breaks anyway, and the contents, the header and the
    "Page X of 55" footer are typeset once every page is counted: the pages are the same,
    pixel for pixel, contents included."""
    for name, data in (("whole", psg24.whole), ("joined", psg24.joined)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "30", "-png", tmp_path / f"{name}.pdf", tmp_path / name],
            check=True,
        )
    whole = sorted(tmp_path.glob("whole-*.png"))
    joined = sorted(tmp_path.glob("joined-*.png"))
    assert len(whole) == len(joined) == 55
    differing = [
        w.name for w, j in zip(whole, joined, strict=True) if w.read_bytes() != j.read_bytes()
    ]
    assert differing == []


def _bookmarks(document: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []

    def walk(items: list[pikepdf.OutlineItem], level: int) -> None:
        for item in items:
            found.append((level, item.title, pikepdf.Page(item.destination[0]).index))
            walk(item.children, level + 1)

    with document.open_outline() as outline:
        walk(outline.root, 1)
    return found


def test_the_bookmarks_are_the_same_nested_and_at_the_same_pages(psg24: Both) -> None:
    with _open(psg24.whole) as whole, _open(psg24.joined) as joined:
        expected = _bookmarks(whole)
        assert len(expected) == 45 and {level for level, _, _ in expected} == {1, 2}
        assert _bookmarks(joined) == expected


def _elements(document: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found = []
    pending: list[Any] = [document.Root.StructTreeRoot.K]
    while pending:
        current = pending.pop()
        if isinstance(current, pikepdf.Array):
            pending.extend(current)
        elif isinstance(current, pikepdf.Dictionary) and "/S" in current:
            found.append(current)
            if "/K" in current:
                pending.append(current.K)
    return found


def _roles(document: pikepdf.Pdf) -> Counter[str]:
    return Counter(str(element.S) for element in _elements(document))


def test_one_tag_tree_holds_every_part_under_one_document_element(psg24: Both) -> None:
    with _open(psg24.whole) as whole, _open(psg24.joined) as joined:
        root = joined.Root.StructTreeRoot.K
        assert isinstance(root, pikepdf.Dictionary) and root.S == "/Document"
        assert all(kid.P.objgen == root.objgen for kid in root.K)
        # The same tags, but for the contents (Typst's links there; lines of text here).
        outline_roles = {"/TOC", "/TOCI", "/Link", "/Reference"}
        expected = {r: n for r, n in _roles(whole).items() if r not in outline_roles}
        got = _roles(joined)
        assert {r: n for r, n in got.items() if r not in outline_roles} == expected | {
            "/P": got["/P"]
        }
        pages = {page.obj.objgen for page in joined.pages}
        assert all(e.Pg.objgen in pages for e in _elements(joined) if "/Pg" in e)


def test_the_parent_tree_and_the_ids_are_whole_and_unique(psg24: Both) -> None:
    with _open(psg24.joined) as joined:
        tree = joined.Root.StructTreeRoot
        keys = [key for key, _ in pikepdf.NumberTree(tree.ParentTree).items()]
        assert len(keys) == len(set(keys)) and max(keys) < int(tree.ParentTreeNextKey)
        on_pages = [int(page.obj.StructParents) for page in joined.pages]
        assert len(set(on_pages)) == 55 and set(on_pages) <= set(keys)
        ids = {name for name, _ in pikepdf.NameTree(tree.IDTree).items()}
        headers = {
            str(h)
            for e in _elements(joined)
            for a in (e.A if isinstance(e.get("/A"), pikepdf.Array) else [e.get("/A")])
            if isinstance(a, pikepdf.Dictionary) and "/Headers" in a
            for h in a.Headers
        }
        assert len(ids) > 300 and headers and headers <= ids  # every header cell found


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_poppler_and_qpdf_find_nothing_wrong_with_the_joined_pdf(
    psg24: Both, tmp_path: Path
) -> None:
    path = tmp_path / "joined.pdf"
    path.write_bytes(psg24.joined)
    for tool in ("pdfinfo", "pdffonts"):
        result = subprocess.run([_tool(tool), path], capture_output=True, text=True)
        assert result.returncode == 0 and result.stderr == "", tool
    info = subprocess.run([_tool("pdfinfo"), path], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info and "Pages:           55" in info
    meta = subprocess.run([_tool("pdfinfo"), "-meta", path], capture_output=True, text=True)
    assert "<pdfuaid:part>1</pdfuaid:part>" in meta.stdout
    check = subprocess.run([_tool("qpdf"), "--check", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "WARNING" not in (check.stdout + check.stderr).upper()


@pytest.mark.django_db
def test_typeset_in_parts_twice_gives_the_same_bytes(psg24: Both) -> None:
    meeting = Meeting.objects.get(programme__code="mhhs", code="PSG-24")
    audience = AUDIENCES[Edition.PMO]
    frame = build(meeting.programme, meeting, who=audience.audience)
    document = build_document(frame, findings.check(frame), audience)
    assert parts.typeset(document, 40_000) == psg24.joined


# -- the pieces -----------------------------------------------------------------------------


def test_renumbering_maps_references_and_leaves_strings_and_streams_alone() -> None:
    body = (
        b"<</P 12 0 R/K[3 4 0 R]/T(Status (1) of 12 0 R)/ID(U1x0y0)"
        b"/A[<</O/Table/Headers[(U1x0y0) (U2x1y0)]>>]/Alt(a \\) 5 0 R)>>"
    )
    got = pdfjoin.renumber(body, lambda n: n + 100, b"p1-")
    assert got == (
        b"<</P 112 0 R/K[3 104 0 R]/T(Status (1) of 12 0 R)/ID(p1-U1x0y0)"
        b"/A[<</O/Table/Headers[(p1-U1x0y0) (p1-U2x1y0)]>>]/Alt(a \\) 5 0 R)>>"
    )
    stream = b"<</Length 9/Filter/FlateDecode>>stream\n1 0 R (x\nendstream"
    assert pdfjoin.renumber(stream, lambda n: n + 100) == stream


def test_a_pack_is_cut_only_at_part_breaks_and_pictures_weigh_little() -> None:
    svg = 'image(bytes("<svg>' + "x" * 5000 + '</svg>"))'
    lines = [pdf.PART_BREAK, "a" * 60, "b" * 60, pdf.PART_BREAK, "c" * 60, svg, pdf.PART_BREAK, "d"]
    cut = list(parts._cut(iter(lines), 200))
    assert [part[0] for part in cut] == [pdf.PART_BREAK, pdf.PART_BREAK]
    assert cut[0] == lines[:3] and cut[1] == lines[3:]  # the picture's SVG text is not counted
    # A run longer than a part by itself stays whole.
    assert list(parts._cut(iter(lines[:3]), 10)) == [lines[:3]]


def test_a_pdf_not_written_as_typst_writes_one_is_refused_by_name(tmp_path: Path) -> None:
    document = pikepdf.new()
    document.add_blank_page()
    out = io.BytesIO()
    document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    with pytest.raises(pdfjoin.JoinFailed, match="not a classic cross-reference table"):
        pdfjoin.join([out.getvalue()], out.getvalue(), [])


def test_typst_refusing_the_source_says_why_from_the_child_process() -> None:
    with pytest.raises(TypesetFailed, match="unknown variable: nosuchthing"):
        compile_apart(Job("#nosuchthing", {}, (2023, 9, 6)))


def test_the_process_started_ahead_is_ended_when_not_needed() -> None:
    job = Job('#set document(title: "t")\n#set text(lang: "en")\nHello', {}, (2023, 9, 6))
    with Children() as children:
        assert children.compile(job, more=True).startswith(b"%PDF-")
        spare = children.ready
        assert spare is not None and spare.poll() is None  # started, waiting for a job
    assert spare.returncode is not None and children.ready is None


def test_the_pack_is_never_typeset_in_the_process_that_builds_it(psg24: Both) -> None:
    """Typst's memory would stay with a long-lived worker for good (see typst_child)."""
    assert psg24.whole.startswith(b"%PDF-")
    assert typst_child.compiler.cache_info().currsize == 0
