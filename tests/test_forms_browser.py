"""The forms in Chromium at a laptop's width (1366 px) and a phone's (390 px): a
participant's report edit page and the report view never scroll the page sideways (wide
tables scroll in their own box), and a report submitted without its RAGs comes back with
each problem beside its field and a summary whose links lead to the fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from steerco.reports.models import DeliveryReport
from tests import test_web_browser as web
from tests.portal_support import open_next_period
from tests.test_portal_browser import as_persona
from tests.test_web_browser import CHROMIUM, SHOTS
from tests.web_support import Cast

browser = web.browser
cast = web.cast
_reload_example_after = web._reload_example_after

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

WIDTHS = (1366, 390)
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def fits(page: Any, width: int, name: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), (name, width, widths)


def test_the_report_form_fits_both_widths_and_shows_each_error_beside_its_field(
    cast: Cast, browser: Any, live_server: Any
) -> None:
    base = f"{live_server.url}/portal/p/mhhs"
    open_next_period(cast.programme)
    dcc = as_persona(cast, browser, live_server.url, "dcc")
    dcc.goto(f"{base}/reports/new/")
    dcc.click('button:text("Start from last month\'s")')
    dcc.wait_for_load_state()
    edit_url = dcc.url
    for width in WIDTHS:
        fits(dcc, width, "portal-report-edit")
    # The browser's date input: whatever layout it shows, it sends ISO.
    assert dcc.get_attribute("#id_milestones-0-forecast_date", "type") == "date"
    dcc.fill("#id_milestones-0-forecast_date", "2023-11-17")
    dcc.fill("#id_progress_next_month", "")
    dcc.click("button[name=submit]")
    dcc.wait_for_load_state()
    assert dcc.url == edit_url  # refused: back on the form, nothing saved
    for name, problem in (
        ("plan_rag", "Give the plan RAG before submitting."),
        ("budget_rag", "Give the budget RAG before submitting."),
        ("progress_next_month", "Say what is expected next month before submitting."),
    ):
        field = dcc.locator(f".field:has(#id_{name})")
        assert problem in field.locator(".errorlist").inner_text(), name
        assert dcc.get_attribute(f"#id_{name}", "aria-invalid") == "true"
        described = dcc.get_attribute(f"#id_{name}", "aria-describedby") or ""
        assert problem in dcc.inner_text(f"#{described.split()[-1]}"), name
        link = dcc.locator(f'.error-summary a[href="#id_{name}"]')
        assert problem in link.inner_text()
    dcc.click('.error-summary a[href="#id_budget_rag"]')
    assert dcc.evaluate("location.hash") == "#id_budget_rag"
    for width in WIDTHS:
        fits(dcc, width, "portal-report-edit-errors")
    report = DeliveryReport.objects.get(pk=int(edit_url.rstrip("/").split("/")[-2]))
    assert report.status == "draft"


def test_the_report_view_fits_both_widths(cast: Cast, browser: Any, live_server: Any) -> None:
    report = DeliveryReport.objects.get(title="Monthly Delivery Report – DCC")
    dcc = as_persona(cast, browser, live_server.url, "dcc")
    dcc.goto(f"{live_server.url}/portal/p/mhhs/reports/{report.pk}/")
    # The seed's RAID columns, its "Date to be resolved/impact" among them.
    headers = dcc.locator("#raid + .scroll thead th").all_inner_texts()
    assert len(headers) == 8 and any("impact" in h.lower() for h in headers), headers
    for width in WIDTHS:
        fits(dcc, width, "portal-report-view")
