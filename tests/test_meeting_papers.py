"""A meeting's narrative sections (Markdown with a preview that saves nothing, saves kept in
history, sections carried forward flagged until edited) and its papers (uploaded with a
classification, refused when oversized or not what they claim, downloaded only by those who
may see them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steerco.core.history import acting
from steerco.core.models import Meeting, NarrativeSection, Paper
from steerco.records import editing
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db

SECTIONS = reverse("web:meeting-sections", args=["mhhs", "PSG-25"])
NEW_SECTION = reverse("web:meeting-section-new", args=["mhhs", "PSG-25"])
PAPERS = reverse("web:meeting-papers", args=["mhhs", "PSG-25"])
NEW_PAPER = reverse("web:meeting-paper-new", args=["mhhs", "PSG-25"])


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def carried_from_psg24() -> list[NarrativeSection]:
    """PSG-25's sections as life.create_next drafts them: PSG-24's, copied."""
    psg25 = Meeting.objects.get(code="PSG-25")
    made = []
    with acting("tests", "drafted from PSG-24"):
        for old in NarrativeSection.objects.filter(meeting__code="PSG-24").order_by("order")[:3]:
            made.append(
                NarrativeSection.objects.create(
                    meeting=psg25,
                    order=old.order,
                    slug=old.slug,
                    title=old.title,
                    body=old.body,
                    classification=old.classification,
                )
            )
    return made


def section_url(section: NarrativeSection) -> str:
    return reverse("web:meeting-section", args=["mhhs", "PSG-25", section.pk])


def form_of(section: NarrativeSection, **changes: Any) -> dict[str, Any]:
    values = {
        "title": section.title,
        "slug": section.slug,
        "order": section.order,
        "body": section.body,
        "classification": section.classification,
        "version": editing.version_of(section),
    }
    return {**values, **changes}


# -- sections --------------------------------------------------------------------------------


def test_a_preview_renders_the_markdown_safely_and_saves_nothing(cast: Cast) -> None:
    section = carried_from_psg24()[0]
    rows = section.history.count()
    body = "## Plan\n\n**Amber** until M9.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    response = cast.client("pmo").post(
        section_url(section), form_of(section, body=body, preview="1", reason="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Plan</h2>" in html and "<strong>Amber</strong> until M9." in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)" in html
    assert 'href="javascript:' not in html
    assert "Nothing is saved until you press Save." in html
    section.refresh_from_db()
    assert section.body != body and section.history.count() == rows
    # The form comes back holding what was typed, to go on editing.
    assert response.context["form"].initial["body"] == body


def test_saving_a_section_keeps_its_reason_in_history_and_ends_carried_forward(
    cast: Cast,
) -> None:
    first, second, _ = carried_from_psg24()
    client = cast.client("pmo")
    listing = client.get(SECTIONS)
    assert [carried for _, carried in listing.context["sections"]] == [True, True, True]
    assert listing.content.decode().count("carried forward — check before freezing") == 3
    response = client.post(
        section_url(first), form_of(first, body="Sponsor: M9 on track.", reason="PSG-25 update")
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.body == "Sponsor: M9 on track."
    newest = first.history.latest("history_id")
    assert newest.history_change_reason == "PSG-25 update"
    assert newest.history_actor == cast.users["pmo"].get_username()
    after = dict((s.pk, carried) for s, carried in client.get(SECTIONS).context["sections"])
    assert after == {first.pk: False, second.pk: True, _.pk: True}


def test_a_section_saved_by_someone_else_meanwhile_is_not_overwritten(cast: Cast) -> None:
    section = carried_from_psg24()[0]
    opened = form_of(section, body="Mine.", reason="mine")
    with acting("someone else", "theirs"):
        section.body = "Theirs."
        section.save()
    response = cast.client("pmo").post(section_url(section), opened)
    assert response.status_code == 409
    section.refresh_from_db()
    assert section.body == "Theirs."


def test_a_new_section_is_added_with_its_reason(cast: Cast) -> None:
    response = cast.client("pmo").post(
        NEW_SECTION,
        {
            "title": "Readiness",
            "slug": "readiness",
            "order": 9,
            "body": "- DCC ready",
            "classification": "programme",
            "reason": "new for PSG-25",
        },
    )
    assert response.status_code == 302
    made = NarrativeSection.objects.get(meeting__code="PSG-25", slug="readiness")
    assert made.history.get().history_change_reason == "new for PSG-25"


def test_a_published_meetings_sections_are_refused(cast: Cast) -> None:
    section = NarrativeSection.objects.filter(meeting__code="PSG-24").first()
    assert section is not None
    url = reverse("web:meeting-section", args=["mhhs", "PSG-24", section.pk])
    response = cast.client("pmo").post(url, form_of(section, body="Changed.", reason="late"))
    assert response.status_code == 409 and "can no longer change" in response.content.decode()
    section.refresh_from_db()
    assert section.body != "Changed."


# -- papers ----------------------------------------------------------------------------------


def upload(client: Any, name: str, data: bytes, classification: str = "programme") -> Any:
    return client.post(
        NEW_PAPER,
        {
            "title": f"Paper {name}",
            "classification": classification,
            "reason": "for PSG-25",
            "file": SimpleUploadedFile(name, data),
        },
    )


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_paper_is_uploaded_and_downloaded_by_those_who_may_see_it(
    cast: Cast, settings: Any
) -> None:
    data = b"%PDF-1.4\nconfidential readiness figures\n"
    response = upload(cast.client("pmo"), "readiness.pdf", data, "confidential")
    assert response.status_code == 302, response.content.decode()[:2000]
    paper = Paper.objects.get(meeting__code="PSG-25")
    assert paper.history.get().history_change_reason == "for PSG-25"
    assert Path(paper.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    url = reverse("web:meeting-paper", args=["mhhs", "PSG-25", paper.pk])
    got = cast.client("pmo").get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == data
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"].startswith("attachment;")
    for persona in ("steering", "dcc", "public", "anonymous"):
        client = cast.client(persona)
        assert client.get(url).status_code in (302, 404), persona
        assert b"Paper readiness.pdf" not in client.get(PAPERS).content, persona
    assert b"Paper readiness.pdf" in cast.client("admin").get(PAPERS).content
    paper.classification = "programme"
    paper.save()
    assert cast.client("steering").get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("minutes.pdf", b"<!doctype html><script>steal()</script>", "not a PDF file"),
        ("plan.docx", b"MZ\x90\x00 an executable", "not a DOCX file"),
        ("notes.txt", b"<svg onload=alert(1)>", "not a TXT file"),
        ("page.html", b"<html></html>", "a paper must be one of"),
        ("empty.pdf", b"", "The submitted file is empty"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_kept(
    cast: Cast, settings: Any, name: str, data: bytes, why: str
) -> None:
    response = upload(cast.client("pmo"), name, data)
    assert response.status_code == 400
    assert why in response.content.decode()
    assert not Paper.objects.filter(meeting__code="PSG-25").exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == []


@pytest.mark.parametrize("size", [5_000, 200_000])
def test_an_oversized_paper_is_refused_while_it_is_received(
    cast: Cast, settings: Any, size: int
) -> None:
    """5,000 bytes is stopped by the upload's cap as it streams; 200,000 by its stated
    length before any of it is read."""
    settings.PAPER_MAX_BYTES = 1_000
    response = upload(cast.client("pmo"), "big.pdf", b"%PDF-1.4\n" + b"x" * size)
    assert response.status_code == 413
    assert "over the 1,000-byte limit" in response.content.decode()
    assert not Paper.objects.filter(meeting__code="PSG-25").exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == []


def test_a_paper_within_the_limit_is_taken(cast: Cast, settings: Any) -> None:
    settings.PAPER_MAX_BYTES = 1_000
    response = upload(cast.client("pmo"), "small.pdf", b"%PDF-1.4\n" + b"x" * 900)
    assert response.status_code == 302


def test_papers_are_refused_for_a_published_meeting_and_for_non_editors(cast: Cast) -> None:
    url = reverse("web:meeting-paper-new", args=["mhhs", "PSG-24"])
    data = {"title": "Late", "classification": "programme", "reason": "late"}
    file = SimpleUploadedFile("late.pdf", b"%PDF-1.4\n")
    response = cast.client("pmo").post(url, {**data, "file": file})
    assert response.status_code == 409 and "can no longer change" in response.content.decode()
    assert upload(cast.client("steering"), "x.pdf", b"%PDF-1.4\n").status_code == 403
    assert not Paper.objects.exists()
