"""Real browser tests: Playwright driving Debian's Chromium against a live server.

Each persona signs in and browses every dashboard; the PMO edits a risk (finding it with
the htmx filter) and sees the edit in "what changed". Screenshots of every dashboard page
go to var/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steerco.core.models import Programme
from steerco.io.loader import load
from steerco.web.dashboards import DASHBOARDS
from tests.conftest import EXAMPLE, ROOT
from tests.web_support import Cast, make_cast, password_of, stand_in_packs

CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "var" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READERS = ("admin", "pmo", "dcc", "recco", "steering")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module", autouse=True)
def _reload_example_after(django_db_blocker: Any) -> Iterator[None]:
    """A live-server test empties the database when it ends (it cannot roll back what the
    server committed); load the example again for the tests that run after these."""
    yield
    with django_db_blocker.unblock():
        if not Programme.objects.filter(code="mhhs").exists():
            load(EXAMPLE, actor="tests")


@pytest.fixture
def cast(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Cast:
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here
    # between browser steps are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Programme.objects.filter(code="mhhs").exists():
        load(EXAMPLE, actor="tests")
    return make_cast(with_passwords=True)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def sign_in(browser: Any, base: str, username: str, password: str) -> Any:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_each_persona_signs_in_and_browses_every_dashboard(
    cast: Cast, browser: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    stand_in_packs(tmp_path)  # PSG-24 built, for the public's front door
    shutil.rmtree(SHOTS, ignore_errors=True)
    for persona in READERS:
        user = cast.users[persona]
        page = sign_in(browser, live_server.url, user.get_username(), password_of_key(persona))
        assert page.url.endswith("/p/mhhs/"), (persona, page.url)
        assert user.get_username() in page.inner_text("header")
        for board in DASHBOARDS:
            response = page.goto(f"{live_server.url}/p/mhhs/dashboards/{board.slug}/")
            assert response is not None and response.status == 200, (persona, board.slug)
            assert page.inner_text("h1") == board.title
            assert page.locator("main table, main section").count() > 0, (persona, board.slug)
            if persona in ("pmo", "dcc"):
                folder = SHOTS / persona
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / f"{board.slug}.png"), full_page=True)
        page.close()
    public = sign_in(
        browser, live_server.url, cast.users["public"].get_username(), password_of_key("public")
    )
    # The public land on the programme's front door: its published packs' public edition,
    # and dashboards of Public records only.
    assert public.url.endswith("/p/mhhs/"), public.url
    assert "Public edition" in public.inner_text("main")
    response = public.goto(f"{live_server.url}/p/mhhs/dashboards/risk-themes/")
    assert response is not None and response.status == 200
    assert "R272" not in public.inner_text("main")


def password_of_key(key: str) -> str:
    from steerco.accounts.personas import PERSONAS

    return password_of(next(p for p in PERSONAS if p.key == key))


def test_a_pmo_edits_a_risk_and_sees_it_in_what_changed(
    cast: Cast, browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    page = sign_in(
        browser, live_server.url, cast.users["pmo"].get_username(), password_of_key("pmo")
    )
    page.goto(f"{live_server.url}/p/mhhs/registers/raid/")
    page.fill("input[name=q]", "R040")
    # htmx swaps the results in place as the search is typed.
    expect(page.locator("#results tbody tr")).to_have_count(1)
    page.click("#results a:text('R040')")
    page.click("a.button:text('Edit')")
    page.fill("#id_current_score", "7")
    page.fill("#id_reason", "Sample files loaded by all PPs")
    page.click("form.edit button[type=submit]")
    page.wait_for_load_state()
    assert "Sample files loaded by all PPs" in page.inner_text("#history ~ table")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "risk-item-after-edit.png"), full_page=True)
    page.goto(f"{live_server.url}/p/mhhs/changes/")
    changes = page.inner_text("main")
    assert "R040" in changes and "Sample files loaded by all PPs" in changes
    assert "Current score" in changes and "mhhs-pmo" in changes
    page.screenshot(path=str(SHOTS / "what-changed.png"), full_page=True)
    page.goto(f"{live_server.url}/p/mhhs/meetings/PSG-24/")
    assert "Delivery Dashboards" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "meeting-psg-24.png"), full_page=True)


def test_a_participant_cannot_open_another_organisations_draft(
    cast: Cast, browser: Any, live_server: Any
) -> None:
    page = sign_in(
        browser, live_server.url, cast.users["recco"].get_username(), password_of_key("recco")
    )
    response = page.goto(f"{live_server.url}/p/mhhs/registers/reports/{cast.draft.pk}/")
    assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/p/mhhs/registers/reports/")
    assert cast.draft.title not in page.inner_text("main")


def test_a_pmo_creates_a_risk_from_the_raid_log_with_its_ref_proposed(
    cast: Cast, browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    from steerco.raid.models import RaidItem

    page = sign_in(
        browser, live_server.url, cast.users["pmo"].get_username(), password_of_key("pmo")
    )
    page.goto(f"{live_server.url}/p/mhhs/registers/raid/")
    page.click("a.button:text('New RAID item')")
    proposed = page.input_value("#id_ref")
    assert proposed and not RaidItem.objects.filter(ref=proposed).exists()
    page.select_option("#id_type", "risk")
    page.select_option("#id_theme", index=1)
    page.fill("#id_description", "Supplier test environments not ready for SIT entry")
    page.fill("#id_current_score", "16")
    page.fill("#id_reason", "Raised at the RAID board")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "risk-new.png"), full_page=True)
    page.click("form.edit button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text(proposed)
    assert "Raised at the RAID board" in page.inner_text("#history ~ table")
    created = RaidItem.objects.get(ref=proposed)
    assert created.current_score == 16 and created.theme is not None
    page.screenshot(path=str(SHOTS / "risk-created.png"), full_page=True)
