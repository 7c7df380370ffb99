"""`steerco pack` on the MHHS example: the PSG-24 pack holds what the seed pack holds, in its
order, is the same bytes every time, and is frozen at the meeting's cut-off.

The pack is built once per test module (per xdist worker) through the command itself; the
expensive part is the PDF, so the other tests reuse it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from steerco.core.history import acting
from steerco.core.models import Meeting, Programme
from steerco.milestones.models import Milestone
from steerco.pack import service
from tests.seed import ACTION_ROW, CR_ROW, MILESTONE_ROW, RISK_ROW, block, column

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils) is not installed"
)

# The seed pack's sections, in its order, as the issue lists them (subsections included),
# with steerco's executive summary after the agenda.
HEADINGS = [
    "Programme Steering Group #24",
    "Agenda",
    "Executive Summary",  # derived from the registers: steerco's, not the seed's
    "Minutes and Actions",
    "Action log",
    "Sponsor Update",
    "Programme Reporting",
    "MHHS Milestone Status (1)",
    "MHHS Milestone Status (2)",
    "SIT Update",
    "SIT Readiness",
    "Core Capability Providers",
    "SIT participants against the minimum viable cohort",
    "SIT CIT Readiness",
    "Decision Choreography and High-Level Criteria",
    "Qualification Testing",
    "Control Point 2",
    "Decision options",
    "SASWG Status Update",
    "Delivery Dashboards",
    "Risk Themes",
    "Change Control",
    "SIT Status",
    "Core Capability Provider Delivery Plans",
    "LDSO Status",
    "Central Party Finances",
    "SI Workstream Update",
    "Code Drafting Status",
    "Fast Track Implementation Group (FTIG) Update & SIT Outlook",
    "Level 3 Advisory Group Updates",
    "PPC Activity",
    "Industry Change: Horizon Scanning",
    "Independent Programme Assurance (IPA)",
    "Summary and Next Steps",
    "Appendix: Findings",
]


@dataclass(frozen=True)
class Built:
    html: str
    pdf: bytes
    pdf_path: Path


@pytest.fixture(scope="module")
def psg24(psg24_pmo_pack: Path) -> Built:
    pdf = psg24_pmo_pack / "PSG-24-pmo.pdf"
    html = (psg24_pmo_pack / "PSG-24-pmo.html").read_text(encoding="utf-8")
    return Built(html, pdf.read_bytes(), pdf)


@pytest.fixture(scope="module")
def pdf_text(psg24: Built) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    result = subprocess.run(
        ["pdftotext", str(psg24.pdf_path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def seed_refs(lines: list[str]) -> dict[str, set[str]]:
    return {
        "milestone": set(column(lines, MILESTONE_ROW, 2)),
        "risk": set(column(lines, RISK_ROW)),
        "change request": set(column(lines, CR_ROW)),
        "action": set(column(lines, ACTION_ROW)),
    }


def core_providers(lines: list[str]) -> set[str]:
    """Names in the seed's two core capability provider tables (SIT update, SIT status)."""
    names = set()
    for occurrence in (1, 2):
        for row in block(lines, "Core Capability Providers\tStatus", "", occurrence):
            if row.strip():
                names.add(row.split("\t")[0].strip())
    return names


def test_the_command_writes_html_and_pdf_to_the_folder_asked_for(psg24: Built) -> None:
    assert psg24.html.startswith("<!DOCTYPE html>")
    assert psg24.pdf.startswith(b"%PDF-")
    assert psg24.pdf_path.with_suffix(".html").is_file()


@needs_poppler
def test_the_pdf_holds_every_ref_of_the_seed_pack(pdf_text: str, seed_lines: list[str]) -> None:
    text = flat(pdf_text)
    refs = seed_refs(seed_lines)
    assert all(refs.values()), "the seed's tables were not found"
    for kind, expected in refs.items():
        missing = sorted(ref for ref in expected if ref not in text)
        assert not missing, f"{kind} refs missing from the PDF: {missing}"


@needs_poppler
def test_the_pdf_names_every_core_provider_of_the_seed(
    pdf_text: str, seed_lines: list[str]
) -> None:
    names = core_providers(seed_lines)
    assert {"St Clements", "DCC", "RECCo", "ElectraLink"} <= names
    text = flat(pdf_text)
    assert not sorted(name for name in names if name not in text)


@needs_poppler
def test_the_pdf_has_the_seeds_sections_in_order(pdf_text: str) -> None:
    # The contents page lists every heading too: read the pages after it.
    pages = pdf_text.split("\f")
    body = flat(" ".join(p for p in pages if "Contents" not in p.split("\n", 3)[:3]))
    position = 0
    for heading in HEADINGS:
        found = body.find(heading, position)
        assert found >= 0, f"'{heading}' is missing or out of order"
        position = found + len(heading)


def test_the_html_has_the_same_sections_in_order(psg24: Built) -> None:
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[12]>(.*?)</h[12]>", psg24.html)]
    titles = iter(h.replace("&amp;", "&") for h in headings)
    for heading in HEADINGS[1:]:
        assert any(t.startswith(heading) for t in titles), heading


def test_derived_columns_come_from_history_not_from_typed_text(psg24: Built) -> None:
    # R040's score moved 9 → 8 between PSG-23 and PSG-24: the movement is derived from history.
    assert "-1 (9 to 8)" in psg24.html
    # R272's scores are unknown: the pack states "No change", steerco cannot know it.
    assert "pack states: No change" in psg24.html
    assert "Previous RAG (PSG-23, derived)" in psg24.html


def test_unknown_values_read_unknown_and_rags_carry_their_label(psg24: Built) -> None:
    # A column unknown in every row is said once (tests/test_pack_empty.py), the rest cell
    # by cell.
    assert psg24.html.count('class="badge badge-unknown">unknown<') > 20
    assert re.search(r'class="badge" style="background:#2e7d32;color:#ffffff">Green<', psg24.html)
    assert "<script" not in psg24.html


def test_an_amber_badge_in_the_html_pack_is_dark_on_amber_at_wcag_aa(psg24: Built) -> None:
    # White on #ef6c00 is about 3:1; the one ink rule (core.colours.ink_for) gives 5.2:1.
    assert 'style="background:#ef6c00;color:#212121">Amber<' in psg24.html
    assert "background:#ef6c00;color:#ffffff" not in psg24.html


def test_the_findings_appendix_lists_the_checkers_findings(psg24: Built) -> None:
    appendix = psg24.html.split('id="appendix-findings"', 1)[1]
    assert "duplicate-ref" in appendix and "PSG23-02" in appendix
    assert "schedule-relation" in appendix


def test_charts_and_the_choreography_diagram_are_inline_svg(psg24: Built) -> None:
    assert psg24.html.count("<svg") >= 10
    assert "Decision choreography: milestones, gates and their criteria" in psg24.html
    for code in ("T1-TE-1000", "T2-TE-0250", "T3-TE-0060"):
        assert code in psg24.html.split("Decision choreography:", 1)[1].split("</svg>", 1)[0]


@needs_poppler
def test_no_word_of_the_pdf_falls_outside_its_page(psg24: Built, tmp_path: Path) -> None:
    """Nothing cut off: every word's box lies within the page, inside the side margins."""
    out = tmp_path / "words.html"
    subprocess.run(["pdftotext", "-bbox", str(psg24.pdf_path), str(out)], check=True)
    markup = out.read_text(encoding="utf-8")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', markup, re.S)
    assert len(pages) > 20
    for number, (width, height, words) in enumerate(pages, 1):
        for x_max, y_max, word in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', words):
            assert float(x_max) <= float(width) - 30, f"page {number}: '{word}' runs off the right"
            assert float(y_max) <= float(height) - 10, f"page {number}: '{word}' runs off the foot"


@needs_poppler
def test_every_page_renders_to_png(psg24: Built, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", str(psg24.pdf_path), str(tmp_path / "page")], check=True
    )
    pngs = sorted(tmp_path.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(psg24.pdf_path)], capture_output=True, text=True).stdout
    assert len(pngs) == int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert all(p.stat().st_size > 500 for p in pngs)


# -- file quality ------------------------------------------------------------------------------


def _tool(name: str) -> str:
    """The tool's path; fail under scripts/test or CI (which install it), skip elsewhere."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (scripts/test installs it with apt-get)"
        if os.environ.get("CI") or os.environ.get("STEERCO_REQUIRE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.parametrize("tool", ["pdfinfo", "pdftotext", "pdffonts"])
def test_poppler_reads_the_pdf_without_a_word_of_complaint(psg24: Built, tool: str) -> None:
    args = [_tool(tool), str(psg24.pdf_path)] + (["-"] if tool == "pdftotext" else [])
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stderr == ""


def test_qpdf_finds_nothing_wrong_with_the_pdf(psg24: Built) -> None:
    result = subprocess.run(
        [_tool("qpdf"), "--check", str(psg24.pdf_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr  # 3: warnings, 2: errors
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in (result.stdout + result.stderr).upper()


def test_the_pdf_is_tagged_and_declares_pdf_ua_1(psg24: Built) -> None:
    info = subprocess.run([_tool("pdfinfo"), str(psg24.pdf_path)], capture_output=True, text=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)
    metadata = subprocess.run(
        [_tool("pdfinfo"), "-meta", str(psg24.pdf_path)], capture_output=True, text=True
    ).stdout
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata


# -- determinism and freezing ----------------------------------------------------------------


def _render(code: str) -> service.Rendered:
    programme = Programme.objects.get(code="mhhs")
    return service.render(programme, Meeting.objects.get(programme=programme, code=code))


@pytest.mark.django_db
def test_building_psg24_twice_gives_byte_identical_html_and_pdf(psg24: Built) -> None:
    again = _render("PSG-24")
    assert again.html == psg24.html
    assert again.pdf == psg24.pdf


@pytest.mark.django_db
def test_an_edit_after_the_cutoff_leaves_psg24_unchanged_and_changes_psg25(psg24: Built) -> None:
    before_25 = _render("PSG-25").html
    milestone = Milestone.objects.get(programme__code="mhhs", code="T1-TE-1000")
    # Recorded between PSG-24's cut-off and PSG-25's, as a late register update would be…
    with acting("tests", "M9 now at risk", at=dt.datetime(2023, 9, 20, 12, tzinfo=dt.UTC)):
        milestone.rag = "red"
        milestone.save()
    # …and one made now, after every cut-off.
    with acting("tests", "retitled"):
        milestone.title = "Retitled after every cut-off"
        milestone.save()
    after_24 = _render("PSG-24")
    assert after_24.html == psg24.html
    assert after_24.pdf == psg24.pdf
    # PSG-25 is open: its draft is the live state, said to be a draft.
    draft_25 = _render("PSG-25").html
    assert draft_25 != before_25
    assert "Retitled after every cut-off" in draft_25 and "DRAFT" in draft_25
    # Frozen at its start (as a freeze then would have been), the later edit is left out.
    Meeting.objects.filter(programme__code="mhhs", code="PSG-25").update(
        state="frozen", cutoff=dt.datetime(2023, 10, 4, 9, tzinfo=dt.UTC)
    )
    after_25 = _render("PSG-25").html
    row = after_25.split('<code class="ref">T1-TE-1000</code>', 1)[1].split("</tr>", 1)[0]
    assert ">Red<" in row and ">Yellow<" in row  # current Red, previous (PSG-24) Yellow
    assert "Retitled after every cut-off" not in after_25 and "DRAFT" not in after_25


@pytest.mark.django_db
def test_an_unknown_meeting_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="no meeting 'PSG-99'"):
        call_command("pack", "--programme", "mhhs", "--meeting", "PSG-99")
