"""A cover a programme would use (its name and logo, meeting, date, edition and audience,
classification), the findings appendix in the PMO's edition only, and the pictures a pack
places: a logo uploaded on the programme's set-up pages and checked by what it holds, an
illustration attached to the meeting as a paper (or one line saying it is not held)."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steerco.core import images
from steerco.core.history import acting
from steerco.core.models import Meeting, NarrativeSection, Paper, Programme
from steerco.pack.builder import build_document
from steerco.pack.document import Document, Facts, Image, Section, Text
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.html import render_html
from steerco.pack.parts import render_pdf
from steerco.pack.slides import render_pptx
from steerco.rules import findings
from steerco.rules.frame import build
from tests.web_support import Cast, make_cast

LOGO = reverse("web:programme-logo", args=["mhhs"])
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
    b'<rect width="120" height="40" fill="#0b4f8a"/><text x="8" y="26" fill="#fff">MHHS</text>'
    b"</svg>"
)


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG (grey pixels), made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def document(code: str, edition: Edition) -> Document:
    programme = Programme.objects.get(code="mhhs")
    meeting = Meeting.objects.get(programme=programme, code=code)
    audience = AUDIENCES[edition]
    frame = build(programme, meeting, who=audience.audience)
    return build_document(frame, findings.check(frame), audience)


def sections(found: list[Section]) -> list[Section]:
    return [s for section in found for s in (section, *sections(section.children))]


# -- what a picture may be ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [(png(), "png"), (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg"), (SVG, "svg")],
)
def test_a_picture_is_told_by_its_bytes(data: bytes, expected: str) -> None:
    assert images.format_of(data, images.LOGO_MAX_BYTES) == expected


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty"),
        (b"<html><body>not a picture</body></html>", "not a PNG, JPEG or SVG"),
        (b"GIF89a" + b"\x00" * 10, "not a PNG, JPEG or SVG"),
        (SVG.replace(b"</svg>", b"<script>alert(1)</script></svg>"), "<script>"),
        (SVG.replace(b"<rect ", b'<rect onclick="alert(1)" '), "event handler"),
        (SVG.replace(b"</svg>", b"<foreignObject><p>x</p></foreignObject></svg>"), "foreign"),
        (
            SVG.replace(b"</svg>", b'<image href="https://tracker.example/x.png"/></svg>'),
            "outside itself",
        ),
        (SVG.replace(b"<rect ", b'<rect style="fill:url(http://x.example/y)" '), "outside"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG, "DOCTYPE"),
        (SVG[:-3], "not well-formed"),
        (b'<?xml-stylesheet href="https://x.example/s.css"?>' + SVG, "style sheet"),
        (SVG.replace(b"<rect ", b'<rect stroke="java\nscript:alert(1)" '), "javascript:"),
        (
            SVG.replace(b"</svg>", b'<a><set attributeName="href" to="#x"/></a></svg>'),
            "animates a link",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (images.LOGO_MAX_BYTES), "at most"),
    ],
)
def test_a_file_that_is_not_a_safe_picture_is_refused_saying_why(data: bytes, why: str) -> None:
    with pytest.raises(images.Refused, match=why.replace("(", r"\(")):
        images.format_of(data, images.LOGO_MAX_BYTES)


def test_an_svg_may_hold_an_embedded_png_and_links_within_itself() -> None:
    inner = b'<image href="data:image/png;base64,iVBORw0KGgo="/><use href="#a"/>'
    assert images.format_of(SVG.replace(b"</svg>", inner + b"</svg>"), 10_000) == "svg"


# -- the logo on the set-up pages and the cover ------------------------------------------------


@pytest.fixture
def cast(db: Any) -> Cast:
    return make_cast()


def upload(cast: Cast, name: str, data: bytes, persona: str = "pmo") -> Any:
    file = SimpleUploadedFile(name, data)
    return cast.client(persona).post(LOGO, {"logo": file, "reason": "our logo"})


def test_the_pmo_uploads_a_logo_and_every_edition_carries_it_on_its_cover(cast: Cast) -> None:
    response = upload(cast, "logo.svg", SVG)
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get(code="mhhs")
    assert programme.logo.name.endswith("/logo.svg")
    assert programme.history.latest().history_change_reason == "our logo"
    page = cast.client("pmo").get(LOGO).content.decode()
    assert 'alt="Market-wide Half-Hourly Settlement (MHHS) Programme logo"' in page
    shown = document("PSG-24", Edition.PUBLIC)
    assert shown.logo == Image(SVG, "svg", f"{programme.name} logo", height=40)
    html = render_html(shown)
    assert html.count('class="logo" src="data:image/svg+xml;base64,') == 1
    assert render_pdf(shown).startswith(b"%PDF-")
    assert render_pptx(shown, None).startswith(b"PK")


def test_a_png_logo_is_drawn_in_print_and_in_the_deck(cast: Cast) -> None:
    assert upload(cast, "logo.png", png(40, 20)).status_code == 302
    shown = document("PSG-24", Edition.PUBLIC)
    assert shown.logo is not None and shown.logo.format == "png"
    assert render_pdf(shown).startswith(b"%PDF-")
    assert render_pptx(shown, None).startswith(b"PK")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logo.svg", SVG.replace(b"</svg>", b"<script>alert(1)</script></svg>")),
        ("logo.png", b"<html>a page named .png</html>"),
    ],
)
def test_a_logo_that_is_not_a_safe_picture_is_refused_and_nothing_is_stored(
    cast: Cast, name: str, data: bytes
) -> None:
    response = upload(cast, name, data)
    assert response.status_code == 400
    assert "is not taken" in response.content.decode() or "not a PNG" in response.content.decode()
    assert not Programme.objects.get(code="mhhs").logo


def test_a_logo_over_the_limit_is_refused(cast: Cast) -> None:
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * images.LOGO_MAX_BYTES
    assert upload(cast, "logo.png", big).status_code in (400, 413)
    assert not Programme.objects.get(code="mhhs").logo


def test_only_editors_may_upload_a_logo(cast: Cast) -> None:
    assert upload(cast, "logo.svg", SVG, persona="steering").status_code == 403
    assert not Programme.objects.get(code="mhhs").logo


@pytest.mark.django_db
@pytest.mark.parametrize("edition", list(Edition))
def test_the_cover_names_programme_meeting_date_edition_audience_and_classification(
    edition: Edition,
) -> None:
    shown = document("PSG-24", edition)
    audience = AUDIENCES[edition]
    facts = dict(next(b for b in shown.cover if isinstance(b, Facts)).items)
    assert facts["Programme"] == "Market-wide Half-Hourly Settlement (MHHS) Programme"
    assert facts["Meeting"] == "PSG-24, Wednesday 06 September 2023"
    assert facts["Edition"] == f"{audience.title}, for {audience.readers}"
    assert facts["Classification"] == audience.classification.label
    assert shown.logo is None  # none uploaded: the cover carries the name alone
    appendix = [s for s in shown.sections if s.anchor == "appendix-findings"]
    # The findings speak of every record: the PMO's edition alone carries them.
    assert bool(appendix) == (edition == Edition.PMO)


# -- illustrations held as papers ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_illustration_not_attached_reads_as_one_line_saying_it_is_not_held() -> None:
    shown = document("PSG-24", Edition.PMO)
    lines = [b.text for s in sections(shown.sections) for b in s.blocks if isinstance(b, Text)]
    for title in (
        "Illustration of PPs' readiness reporting scheme",
        "Qualification timeline",
        "Control Point 2 schedule",
    ):
        assert any(line.startswith(f"Illustration not held: {title}.") for line in lines)


@pytest.mark.django_db
def test_an_illustration_attached_as_a_paper_is_placed_where_the_narrative_refers_to_it() -> None:
    meeting = Meeting.objects.get(programme__code="mhhs", code="PSG-25")
    picture = png(8, 6)
    with acting("tests", "an illustration for PSG-25"):
        NarrativeSection.objects.create(
            meeting=meeting,
            order=1,
            slug="qualification-overview",
            title="Qualification Overview",
            body="Before.\n\n![Qualification timeline](paper)\n\nAfter.",
        )
        paper = Paper(meeting=meeting, title="Qualification timeline", classification="programme")
        paper.file.save("timeline.png", SimpleUploadedFile("timeline.png", picture), save=True)
    shown = document("PSG-25", Edition.MEMBERS)
    overview = next(s for s in sections(shown.sections) if s.anchor == "qualification-overview")
    placed = [b for b in overview.blocks if isinstance(b, Image)]
    assert placed == [
        Image(picture, "png", "Qualification timeline", caption="Qualification timeline")
    ]
    kinds = [type(b).__name__ for b in overview.blocks][:3]
    assert kinds == ["Markdown", "Image", "Markdown"]
    assert 'alt="Qualification timeline"' in render_html(shown)
    assert render_pdf(shown).startswith(b"%PDF-")
    # A confidential paper is not the members' to see: their edition says it is not held.
    paper.classification = "confidential"
    with acting("tests", "made confidential"):
        paper.save()
    hidden = document("PSG-25", Edition.MEMBERS)
    overview = next(s for s in sections(hidden.sections) if s.anchor == "qualification-overview")
    assert not [b for b in overview.blocks if isinstance(b, Image)]
