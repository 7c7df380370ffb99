"""The delivery-report cycle in a real browser (Playwright driving Debian's Chromium, with
the web app's browser-test fixtures): DCC's contact drafts from last month's and submits,
the PMO returns it with a comment, the contact fixes and resubmits, the PMO publishes, and
the report is on the next meeting's dashboard and in the frame its pack is built from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from steerco.core.models import Meeting
from steerco.reports.models import DeliveryReport
from steerco.rules.frame import build
from tests import test_web_browser as web
from tests.portal_support import open_next_period
from tests.test_web_browser import CHROMIUM, SHOTS, password_of_key, sign_in
from tests.web_support import Cast

# The web app's browser-test fixtures: Debian's Chromium, the personas with passwords on a
# live server, and the example loaded again after these tests.
browser = web.browser
cast = web.cast
_reload_example_after = web._reload_example_after

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

RAGS = {"overall": "amber", "approach": "green", "plan": "green", "resources": "amber"}
RAGS |= {"budget": "green", "risk": "amber", "stakeholders": "green", "suppliers": "amber"}


def as_persona(cast: Cast, browser: Any, base: str, key: str) -> Any:
    return sign_in(browser, base, cast.users[key].get_username(), password_of_key(key))


def test_a_report_goes_from_draft_to_published_and_onto_the_next_meetings_dashboard(
    cast: Cast, browser: Any, live_server: Any
) -> None:
    base = f"{live_server.url}/portal/p/mhhs"
    meeting = open_next_period(cast.programme)
    dcc = as_persona(cast, browser, live_server.url, "dcc")
    dcc.goto(f"{base}/")
    dcc.click("text=Your report for PSG-25")
    dcc.click('button:text("Start from last month\'s")')
    dcc.wait_for_load_state()
    assert dcc.input_value("#id_milestones-0-name") == "Ofgem approval"  # carried over
    for dimension, rag in RAGS.items():
        dcc.select_option(f"#id_{dimension}_rag", rag)
    dcc.fill("#id_progress_next_month", "SIT data prep workshop; UIT-B extension agreed.")
    dcc.click("button[name=submit]")
    dcc.wait_for_load_state()
    assert "Submitted" in dcc.inner_text("#status")
    report_url = dcc.url

    pmo = as_persona(cast, browser, live_server.url, "pmo")
    pmo.goto(report_url)
    pmo.fill("#id_comment", "Budget is green while suppliers are amber: explain.")
    pmo.click("button[value=return]")
    pmo.wait_for_load_state()
    assert "Returned" in pmo.inner_text("#status")

    dcc.goto(report_url)
    assert "Budget is green while suppliers are amber" in dcc.inner_text("#comments")
    dcc.click("a.button:text('Edit')")
    dcc.select_option("#id_budget_rag", "amber")
    dcc.click("button[name=submit]")
    dcc.wait_for_load_state()
    assert "Submitted" in dcc.inner_text("#status")

    pmo.goto(report_url)
    pmo.click("button[value=publish]")
    pmo.wait_for_load_state()
    assert "Published" in pmo.inner_text("#status")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pmo.screenshot(path=str(SHOTS / "portal-report-published.png"), full_page=True)
    history = pmo.inner_text("#history + .scroll table")  # the history scrolls in its own box
    assert "mhhs-dcc" in history and "mhhs-pmo" in history and "Budget RAG" in history

    report = DeliveryReport.objects.get(meeting=meeting, organisation__name="DCC")
    assert (report.status, report.budget_rag) == ("published", "amber")
    frame = build(cast.programme, Meeting.objects.get(pk=meeting.pk))
    assert report.title in [r["title"] for r in frame.rows("reports")]
    cast.programme.current_meeting_code = "PSG-25"  # the programme moves on to PSG-25
    cast.programme.save()
    recco = as_persona(cast, browser, live_server.url, "recco")
    recco.goto(f"{live_server.url}/p/mhhs/dashboards/core-providers/")
    assert report.title in recco.inner_text("main")
    assert "Budget is green" not in recco.content()
