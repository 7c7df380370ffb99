"""Nothing a signed-in person is sent may be kept by a browser or a proxy: every response to
a session or an API token says `Cache-Control: no-store`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.api_support import Callers, make_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers(settings: Any, tmp_path: Path) -> Callers:
    settings.VAR_DIR = tmp_path
    made = make_callers()
    folder = tmp_path / "packs" / made.cast.programme.code
    folder.mkdir(parents=True)
    for edition in ("pmo", "members"):
        (folder / f"PSG-24-{edition}.pdf").write_bytes(b"%PDF-1.4 test pack")
    return made


URLS = [
    reverse("web:dashboard", args=["mhhs", "risk-themes"]),
    reverse("web:register-list", args=["mhhs", "raid"]),
    reverse("transfers:download", args=["mhhs", "milestones"]) + "?format=xlsx",
    reverse("web:meeting-pack", args=["mhhs", "PSG-24"]),
    reverse("api:register-list", args=["mhhs", "milestones"]),
    reverse("api:root"),
]


def cache_control(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("url", URLS)
def test_every_answer_to_a_signed_in_session_is_no_store(callers: Callers, url: str) -> None:
    response = callers.cast.client("steering").get(url)
    assert response.status_code == 200, url
    assert {"no-store", "private"} <= cache_control(response), url


def test_api_answers_to_a_token_are_no_store(callers: Callers) -> None:
    client = callers.client("dcc")
    response = client.get(reverse("api:register-list", args=["mhhs", "milestones"]))
    assert response.status_code == 200 and "no-store" in cache_control(response)
    refused = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer sco_wrong").get(
        reverse("api:root")
    )
    assert refused.status_code == 401 and "no-store" in cache_control(refused)


def test_the_download_is_still_a_download(callers: Callers) -> None:
    response = callers.cast.client("pmo").get(URLS[2])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in cache_control(response)


def test_a_signed_out_visitor_is_not_sent_no_store_for_public_pages() -> None:
    response = Client(HTTP_HOST="localhost").get(reverse("web:home"))
    assert response.status_code == 200 and "no-store" not in cache_control(response)
