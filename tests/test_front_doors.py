"""No dead end: each persona's front door has something to do; a signed-out visitor of a
page is sent to sign in and back; the 403, 404 and 500 pages carry the navigation and a way
on; the favicon answers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from steerco.core.models import Meeting
from steerco.ops.errors import server_error
from tests.web_support import Cast, make_cast, password_of, stand_in_packs

PUBLIC_PACK = "/p/mhhs/meetings/PSG-24/pack.pdf?edition=public"


@pytest.fixture
def cast(settings: Any, tmp_path: Path) -> Cast:
    """The personas, and PSG-24's editions built where the pages serve them from."""
    settings.VAR_DIR = tmp_path
    stand_in_packs(tmp_path)
    return make_cast()


def front_door(client: Client) -> tuple[str, str]:
    response = client.get("/", follow=True)
    assert response.status_code == 200
    return response.request["PATH_INFO"], response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "says"),
    [
        ("admin", ["is open: prepare its agenda", "set-up checklist", "PMO edition"]),
        ("pmo", ["is open: prepare its agenda", "set-up checklist", "PMO edition"]),
        ("dcc", ["delivery report", 'href="/portal/p/mhhs/"', "Participants&#x27; edition"]),
        ("recco", ["delivery report", 'href="/portal/p/mhhs/"', "Participants&#x27; edition"]),
        ("steering", ["The current meeting is", "migration plan", "Members&#x27; edition"]),
        ("public", ["makes public", PUBLIC_PACK, "only records classified"]),
    ],
)
def test_each_persona_lands_on_its_programme_with_something_to_do(
    cast: Cast, persona: str, says: list[str]
) -> None:
    path, page = front_door(cast.client(persona))
    assert path == "/p/mhhs/"
    for words in says:
        assert words in page, words


@pytest.mark.django_db
def test_the_public_download_the_public_edition_and_no_wider(cast: Cast) -> None:
    client = cast.client("public")
    assert client.get(PUBLIC_PACK).status_code == 200
    members = client.get("/p/mhhs/meetings/PSG-24/pack.pdf?edition=members")
    assert members.status_code == 404
    # The meeting's page is not theirs (its agenda is for the programme's members), nor an
    # open meeting's draft pack.
    assert client.get("/p/mhhs/meetings/PSG-24/").status_code == 404
    assert client.get("/p/mhhs/meetings/PSG-25/pack.pdf").status_code == 404


@pytest.mark.django_db
def test_the_public_are_told_what_will_appear_before_any_pack_is_published(
    cast: Cast, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path / "nothing built"
    Meeting.objects.filter(code="PSG-24").update(state="frozen")
    _, page = front_door(cast.client("public"))
    assert "No meeting's pack has been published to you yet" in page
    assert "its public edition" in page


@pytest.mark.django_db
def test_a_visitor_is_asked_to_sign_in_and_told_what_steerco_is() -> None:
    path, page = front_door(Client())
    assert path == "/"
    assert 'href="/accounts/login/?next=/"' in page and "Market-wide" not in page


@pytest.mark.django_db
def test_a_signed_out_visitor_of_a_page_signs_in_and_comes_back() -> None:
    cast = make_cast(with_passwords=True)
    client = Client()
    response = client.get("/p/mhhs/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/p/mhhs/"
    user = cast.users["pmo"]
    from steerco.accounts.personas import PERSONAS

    pmo = next(p for p in PERSONAS if p.key == "pmo")
    signed = client.post(
        response["Location"], {"username": user.get_username(), "password": password_of(pmo)}
    )
    assert signed.status_code == 302 and signed["Location"] == "/p/mhhs/"
    assert client.get(signed["Location"]).status_code == 200


@pytest.mark.django_db
def test_the_sign_in_redirect_says_nothing_about_what_exists() -> None:
    client = Client()
    for url in ("/p/mhhs/", "/p/no-such-programme/", "/p/mhhs/meetings/PSG-99/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.django_db
def test_a_refusal_carries_the_programmes_navigation_the_reason_and_a_way_on(cast: Cast) -> None:
    response = cast.client("public").get("/p/mhhs/registers/raid/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'aria-label="Programme"' in page and 'href="/p/mhhs/meetings/"' in page
    assert "Public may not read registers" in page
    assert 'href="/p/mhhs/">Market-wide' in page and 'href="/">The start page' in page


@pytest.mark.django_db
def test_a_missing_page_carries_the_navigation_and_a_way_on(cast: Cast) -> None:
    response = cast.client("pmo").get("/p/mhhs/meetings/PSG-99/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'aria-label="Programme"' in page and 'href="/p/mhhs/">Market-wide' in page
    assert "Sign in" not in page
    # An address that is no page at all: the start, and sign-in for a visitor.
    response = Client().get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404 and 'href="/">The start page' in page
    assert 'href="/accounts/login/?next=/no/such/page/"' in page


def _failed(error: Exception) -> Any:
    request = RequestFactory().get("/p/mhhs/registers/raid/")
    try:
        raise error
    except type(error):
        assert sys.exc_info()[1] is error
        return server_error(request)


def test_the_500_page_is_the_sites_layout_rendered_without_the_database() -> None:
    # No database here (no django_db mark): a page that read it would fall back to bare text.
    response = _failed(RuntimeError("boom"))
    page = response.content.decode()
    assert response.status_code == 500
    assert 'class="brand" href="/"' in page and "Where next" in page
    assert 'href="/p/mhhs/registers/raid/">Try this page again' in page
    unavailable = _failed(OperationalError("no database"))
    assert unavailable.status_code == 503 and unavailable["Retry-After"] == "30"
    assert "cannot reach its database" in unavailable.content.decode()
    assert "Where next" in unavailable.content.decode()


@pytest.mark.django_db
def test_the_favicon_answers_and_every_page_links_one() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")
    assert b'rel="icon"' in Client().get("/accounts/login/").content
