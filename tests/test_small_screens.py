"""Pages on a phone (390 px) and a laptop (1366 px) in Debian's Chromium: each persona's
front door, a register, a meeting, a dashboard with charts and (DCC) its report in the
portal. The page never scrolls sideways (a wide table or chart scrolls in its own box), the
header spans the viewport, chart labels stay 10 px or more, and the long meeting page opens
with its contents.

Set STEERCO_SCREENSHOTS=1 to keep a full-page screenshot of each page at each width in
var/screenshots/small-screens/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests import test_web_browser as web
from tests.test_web_browser import CHROMIUM, SHOTS, password_of_key
from tests.web_support import Cast

browser = web.browser
cast = web.cast
_reload_example_after = web._reload_example_after

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

WIDTHS = (1366, 390)
LEGIBLE_PX = 10
# What a page measures of itself once loaded: how wide it is laid out against the viewport,
# how wide its header is, and the smallest chart label as rendered (font size times the
# chart's scale on screen, so a chart shrunk to fit shows here).
MEASURE = """() => {
    const sizes = [...document.querySelectorAll('svg.chart text')]
        .filter(t => t.getClientRects().length)
        .map(t => {
            const m = t.getScreenCTM();
            return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
        });
    const header = document.querySelector('header.top');
    const edge = document.documentElement.clientWidth;
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (typeof e.className === 'string' && e.className.trim()
            ? '.' + e.className.trim().split(/ +/).join('.') : '');
    // The outermost elements that reach past the right edge, outside any box that scrolls
    // or clips them: what makes the page scroll (looked for only when it does).
    const past = e => e.getBoundingClientRect().right > edge + 1;
    const boxed = e => {
        for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return true;
        }
        return false;
    };
    const wide = document.documentElement.scrollWidth <= window.innerWidth ? [] :
        [...document.querySelectorAll('body *')]
        .filter(e => past(e) && !(e.parentElement && past(e.parentElement)) && !boxed(e))
        .slice(0, 3).map(e => `${name(e)} (${Math.round(e.getBoundingClientRect().right)} px)`);
    return {
        scroll: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
        inner: window.innerWidth,
        header: header ? header.getBoundingClientRect().width : -1,
        labels: sizes.length,
        smallest: sizes.length ? Math.min(...sizes) : null,
        height: document.documentElement.scrollHeight,
        wide: wide,
    };
}"""


def urls(cast: Cast, persona: str) -> list[str]:
    """The pages ``persona`` may read that this test loads, in order."""
    programme = {"programme": cast.programme.code}
    front = reverse("web:home")
    register = reverse("web:register-list", kwargs={**programme, "register": "raid"})
    meeting = reverse("web:meeting", kwargs={**programme, "meeting": "PSG-24"})
    finances = reverse("web:dashboard", kwargs={**programme, "dashboard": "finances"})
    if persona == "anonymous":
        return [front, reverse("accounts:login")]
    if persona == "public":  # once the programme is made public
        return [front, reverse("web:programme", kwargs=programme), finances]
    pages = [front, register, meeting, finances]
    if persona == "pmo":  # the other charts: bars by RAG, and a grid of breakdowns
        for board in ("milestones", "industry-change"):
            pages.append(reverse("web:dashboard", kwargs={**programme, "dashboard": board}))
    if persona == "dcc":
        pages.append(reverse("portal:report", kwargs={**programme, "report": cast.draft.pk}))
    return pages


def signed_in(browser: Any, base: str, cast: Cast, persona: str) -> Any:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    if persona == "anonymous":
        return context
    page = context.new_page()
    page.goto(f"{base}{reverse('accounts:login')}")
    page.fill("#id_username", cast.users[persona].get_username())
    page.fill("#id_password", password_of_key(persona))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert reverse("accounts:login") not in page.url, f"{persona} could not sign in"
    page.close()
    return context


def problems(persona: str, width: int, url: str, found: dict[str, Any]) -> list[str]:
    where = f"{persona} at {width} px on {url}"
    said = []
    if found["scroll"] > found["inner"]:
        wide = ", ".join(found["wide"])
        said.append(f"{where}: the page is {found['scroll']} px wide (from {wide}): it scrolls")
    page_width = max(found["scroll"], found["viewport"])
    if abs(found["header"] - page_width) > 1:
        said.append(f"{where}: the header is {found['header']} px of the page's {page_width}")
    if found["smallest"] is not None and found["smallest"] < LEGIBLE_PX - 0.05:
        said.append(f"{where}: a chart label is {found['smallest']:.1f} px")
    return said


def test_every_persona_reads_its_pages_at_390_and_1366_px_without_sideways_scrolling(
    cast: Cast, browser: Any, live_server: Any
) -> None:
    shots = SHOTS / "small-screens" if os.environ.get("STEERCO_SCREENSHOTS") else None
    report: list[str] = []
    charts_seen = 0
    meeting_heights = {}
    for persona in ("admin", "pmo", "dcc", "steering", "anonymous", "public"):
        if persona == "public":
            cast.programme.classification = "public"
            cast.programme.save()
        context = signed_in(browser, live_server.url, cast, persona)
        page = context.new_page()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for url in urls(cast, persona):
                response = page.goto(f"{live_server.url}{url}")
                assert response is not None and response.status == 200, (persona, url)
                found = page.evaluate(MEASURE)
                report += problems(persona, width, url, found)
                charts_seen += found["labels"] > 0
                if "/meetings/PSG-24/" in url:
                    meeting_heights[(persona, width)] = found["height"]
                if shots is not None:
                    shots.mkdir(parents=True, exist_ok=True)
                    name = f"{persona}-{width}-{url.strip('/').replace('/', '_') or 'home'}.png"
                    page.screenshot(path=str(shots / name), full_page=True)
        context.close()
    assert not report, "\n".join(report)
    assert charts_seen >= 10, f"only {charts_seen} pages with charts were measured"
    assert meeting_heights, "no meeting page was measured"


def test_the_meeting_page_opens_with_contents_that_reach_every_section(
    cast: Cast, browser: Any, live_server: Any
) -> None:
    context = signed_in(browser, live_server.url, cast, "pmo")
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    url = reverse("web:meeting", kwargs={"programme": cast.programme.code, "meeting": "PSG-24"})
    page.goto(f"{live_server.url}{url}")
    contents = page.locator("nav.contents a")
    targets = contents.evaluate_all("links => links.map(a => a.hash.slice(1))")
    assert len(targets) > 5, targets
    missing = page.evaluate("ids => ids.filter(id => !document.getElementById(id))", targets)
    assert not missing, f"contents links to nothing: {missing}"
    headings = page.evaluate("[...document.querySelectorAll('main h2[id]')].map(h => h.id)")
    assert set(headings) <= set(targets), f"sections not in the contents: {headings}"
    # A paper is folded until asked for: following its link opens it in place.
    paper = next(t for t in targets if page.locator(f"details[id='{t}']").count())
    assert not page.locator(f"details[id='{paper}']").evaluate("d => d.open")
    page.click(f"nav.contents a[href='#{paper}']")
    assert page.locator(f"details[id='{paper}']").evaluate("d => d.open")
    height = page.evaluate("document.documentElement.scrollHeight")
    context.close()
    assert height < 12000, f"the meeting page is {height} px tall at 390 px"
