"""The canary matrix: distinct secrets planted in every kind of restricted state (see
tests/canary_support.py), then every URL the URL configuration offers — each page, as of
the meeting and live, every export format, every API endpoint, every pack edition as PDF,
HTML and PowerPoint — fetched by every persona and by an anonymous visitor. No response may hold a
secret its reader may not see; and, as a control, every reader who may see a secret finds
it somewhere, so a matrix that reads nothing cannot pass.

The pages come from the URL configuration and the register list (tests/access_support.py),
so a new page or register cannot escape the matrix."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from steerco.calendars import addresses
from steerco.calendars.models import FeedScope
from steerco.pack import service
from steerco.pack.editions import Edition, default_dir
from steerco.registers import PAGES as REGISTERS
from steerco.registers import SLUGS
from tests.access_support import samples, url_names
from tests.canary_support import MEETING, Planted, plant
from tests.test_web_registers import index_counts
from tests.web_support import PERSONA_KEYS, Cast, make_cast

pytestmark = pytest.mark.django_db


def urls(cast: Cast, planted: Planted) -> list[str]:
    """Every GET-able URL: each pattern with its sample values, then every register, export
    and API read live and as of the canary meeting, every planted record's pages, what
    changed across the cut-off, and each pack edition."""
    names = {name for name, _ in url_names()}
    found: list[str] = [page.url for page in samples(cast, names)]
    code = cast.programme.code
    as_of = f"?as_of={MEETING}"
    for register in REGISTERS:
        found.append(reverse("web:register-list", args=[code, register.slug]))
        api = reverse("api:register-list", args=[code, register.slug])
        found += [api, api + as_of, api + as_of + "&page_size=500"]
        for pk in register.model._default_manager.filter(programme=cast.programme).values_list(
            "pk", flat=True
        ):
            found.append(reverse("web:register-item", args=[code, register.slug, pk]))
            item = reverse("api:register-item", args=[code, register.slug, pk])
            found += [item, item + as_of]
    for name in SLUGS:
        export = reverse("api:export", args=[code, name])
        found += [export, export + as_of]
        download = reverse("transfers:download", args=[code, name])
        for fmt in ("csv", "xlsx"):
            found += [f"{download}?format={fmt}", f"{download}?format={fmt}&as_of={MEETING}"]
    changes = reverse("web:changes", args=[code])
    found += [changes, f"{changes}?since=PSG-24&until={MEETING}", f"{changes}?since={MEETING}"]
    found += [f"{changes}?since=PSG-23&register={r.slug}" for r in REGISTERS]
    for report in planted.meeting.programme.delivery_reports.all():
        found.append(reverse("portal:report", args=[code, report.pk]))
    for edition in Edition:
        for name in ("web:meeting-pack", "web:meeting-pack-html", "web:meeting-pack-pptx"):
            found.append(reverse(name, args=[code, MEETING]) + f"?edition={edition.value}")
        found.append(reverse("web:meeting-pack", args=[code, MEETING]))
    found.append(reverse("web:meeting", args=[code, MEETING]))
    found.append(reverse("web:meeting-papers", args=[code, MEETING]))
    for paper in planted.meeting.papers.all():
        found.append(reverse("web:meeting-paper", args=[code, MEETING, paper.pk]))
    return list(dict.fromkeys(found))


def own_feeds(cast: Cast, persona: str) -> list[str]:
    """A persona's own calendar feeds: read by whoever holds the address, as their owner may."""
    if persona not in cast.users:
        return []
    return [
        reverse(
            "calendars:feed", args=[addresses.issue(cast.users[persona], cast.programme, scope)]
        )
        for scope in FeedScope
    ]


def text_of(response: Any) -> str:
    """What a reader could read in a response: PDF text, xlsx cells, or the body."""
    body = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    if body.startswith(b"%PDF"):
        result = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True)
        return "".join(result.stdout.decode("utf-8", "replace").split())
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as package:
            return "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    return body.decode("utf-8", "replace")


@pytest.fixture
def planted_cast(settings: Any, tmp_path: Path) -> tuple[Cast, Planted]:
    settings.VAR_DIR = tmp_path
    cast = make_cast()
    planted = plant(cast)
    service.build_editions(cast.programme, planted.meeting)
    return cast, planted


# One test per reader, so that the matrix's 10,000 requests spread over the test workers.
@pytest.mark.parametrize("persona", PERSONA_KEYS)
def test_no_reader_finds_a_secret_it_may_not_see_and_each_reader_finds_its_own(
    planted_cast: tuple[Cast, Planted], persona: str
) -> None:
    cast, planted = planted_cast
    every = urls(cast, planted)
    assert len(every) > 500  # the matrix really walks the site
    # A calendar feed's address is its owner's credential: whoever holds it reads as the
    # owner may (tests/test_calendars.py). Each reader fetches the addresses it holds, its
    # own, not the sample issued to the PMO.
    every = [url for url in every if resolve(url.split("?")[0]).view_name != "calendars:feed"]
    for secret in planted.secrets:
        assert secret.readers <= set(PERSONA_KEYS), f"{secret.what}: a reader with no test"
    leaks: list[str] = []
    seen: set[str] = set()
    reached: Counter[str] = Counter()  # register → records whose page the reader opened
    client: Client = cast.client(persona)
    for url in every + own_feeds(cast, persona):
        response = client.get(url)
        if response.status_code != 200:
            continue
        match = resolve(url.split("?")[0])
        if match.view_name == "web:register-item" and "?" not in url:
            reached[match.kwargs["register"]] += 1
        text = text_of(response)
        for secret in planted.secrets:
            if secret.word in text:
                seen.add(secret.word)
                if persona not in secret.readers:
                    leaks.append(f"{persona} read {secret.what} ({secret.word}) at {url}")
    assert not leaks, "\n".join(leaks)
    unseen = [
        f"{secret.what} ({secret.word})"
        for secret in planted.secrets
        if persona in secret.readers and secret.word not in seen
    ]
    assert not unseen, f"{persona} may read but did not find:\n" + "\n".join(unseen)
    # A count is information too: the register index counts for the reader exactly the
    # records whose pages it may open.
    response = client.get(reverse("web:registers", args=[cast.programme.code]))
    if response.status_code != 200:
        assert not reached, persona
        return
    titles = {register.slug: register.title for register in REGISTERS}
    expected = {titles[slug]: reached[slug] for slug in titles}
    assert index_counts(response.content.decode()) == expected, persona


def test_only_the_pmo_edition_holds_unpublished_reports_and_findings(
    planted_cast: tuple[Cast, Planted],
) -> None:
    cast, planted = planted_cast
    folder = default_dir(cast.programme.code)
    unpublished = [s.word for s in planted.secrets if s.what.endswith("report title")]
    draft_edit = next(s.word for s in planted.secrets if "draft edit" in s.what)
    for edition in Edition:
        html = (folder / f"{MEETING}-{edition.value}.html").read_text(encoding="utf-8")
        held = [word for word in unpublished if word in html]
        assert draft_edit not in html  # the pack is the state at the cut-off, not its history
        if edition is Edition.PMO:
            assert held == unpublished, edition
            assert "Appendix: Findings" in html
        else:
            assert held == [], edition
            assert "Appendix: Findings" not in html


def test_each_edition_names_its_audience_and_classification_on_every_page(
    planted_cast: tuple[Cast, Planted],
) -> None:
    cast, _ = planted_cast
    folder = default_dir(cast.programme.code)
    for edition, words in (
        (Edition.PUBLIC, "Public edition · PUBLIC"),
        (Edition.PARTICIPANTS, "Participants' edition · PROGRAMME"),
        (Edition.MEMBERS, "Members' edition · PROGRAMME"),
        (Edition.PMO, "PMO edition · PARTICIPANT-CONFIDENTIAL"),
    ):
        pdf = folder / f"{MEETING}-{edition.value}.pdf"
        pages = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split("\f")
        pages = [page for page in pages if page.strip()]
        assert len(pages) > 3
        for number, page in enumerate(pages, 1):
            assert words in " ".join(page.split()), f"{edition} page {number}"
