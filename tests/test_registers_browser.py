"""A register in a real browser at 1366 px: a reader filters the milestones, sorts them by a
column both ways, filters again, and keeps both the filter and the order throughout."""

from __future__ import annotations

from typing import Any

from steerco.milestones.models import Milestone
from tests import test_web_browser as web
from tests.test_web_browser import password_of_key
from tests.web_support import Cast

cast = web.cast
browser = web.browser
_reload_example_after = web._reload_example_after
pytestmark = web.pytestmark


def codes_shown(page: Any) -> list[str]:
    return [
        code.strip() for code in page.locator("#results tbody tr td:first-child").all_inner_texts()
    ]


def test_a_reader_sorts_a_filtered_register_and_keeps_the_filter(
    cast: Cast, browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", cast.users["steering"].get_username())
    page.fill("#id_password", password_of_key("steering"))
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.click("header a:text('Registers')")
    page.click("main a:text-is('Milestones')")
    tier3 = Milestone.objects.filter(programme=cast.programme, tier="T3")
    codes = sorted(tier3.values_list("code", flat=True))
    page.select_option("#id_tier", "T3")  # htmx swaps the results in place
    expect(page.locator("#results tbody tr")).to_have_count(len(codes))

    page.click("#results th a:has-text('Code')")
    page.wait_for_load_state()
    assert "tier=T3" in page.url and "sort=code" in page.url
    assert page.input_value("#id_tier") == "T3"
    assert codes_shown(page) == codes
    header = page.locator("#results th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending"
    assert "▲" in header.inner_text() and "sorted ascending" in header.inner_text()

    page.click("#results th a:has-text('Code')")
    page.wait_for_load_state()
    assert codes_shown(page) == codes[::-1]
    assert page.locator("#results th[aria-sort]").get_attribute("aria-sort") == "descending"

    # A further filter keeps the order: the T3 milestones of one RAG, still last code first.
    rag = tier3.exclude(rag="").values_list("rag", flat=True).first()
    assert rag
    page.select_option("#id_rag", rag)
    wanted = sorted(tier3.filter(rag=rag).values_list("code", flat=True), reverse=True)
    expect(page.locator("#results tbody tr")).to_have_count(len(wanted))
    assert codes_shown(page) == wanted
    assert "sort=-code" in page.url and "tier=T3" in page.url
    # Nothing pushes the page sideways at 1366 px.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, width
    context.close()
