"""Every page of the site checked by axe-core (WCAG 2.2 A and AA) in Debian's Chromium.

The pages are the access matrix's (tests/access_support.py), so a new page is checked as soon
as the matrix knows it. Each persona that sees different content walks every page it may
read, and one refusal page of each status it meets; the pack's HTML editions, downloaded
rather than browsed, are checked as the files they are. axe-core is pinned in
tests/axe/package.json and installed by `npm ci` (scripts/test does it); in CI a missing
axe-core or Chromium fails these tests instead of skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steerco.core.models import Meeting, Programme
from steerco.io.loader import load
from steerco.pack.builder import build_document
from steerco.pack.editions import AUDIENCES, Edition, pack_path
from steerco.pack.html import render_html
from steerco.rules import findings
from steerco.rules.frame import build
from tests import test_web_browser as web
from tests.access_support import Page, samples
from tests.conftest import EXAMPLE, ROOT
from tests.portal_support import open_next_period
from tests.test_web_access import EXPECTED
from tests.test_web_browser import ARGS, CHROMIUM, password_of_key
from tests.web_support import Cast

cast = web.cast
_reload_example_after = web._reload_example_after

AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# One of each kind of reader: the admin and the PMO edit; DCC's contact reports (RECCo's
# pages are DCC's with other records); the steering group reads; the public persona reads
# the programme once it is made public; a visitor signs in and resets a password.
PERSONAS = ("admin", "pmo", "dcc", "steering", "public", "anonymous")
# The admin is granted what the PMO is; a steering-group member reads what the PMO reads,
# without its edit and import controls. Their pages are the PMO's but for those controls and
# the name in the header: one page of each kind (each URL name) is enough for them.
ONE_OF_EACH = {"admin", "steering"}
# Answers that are not pages: JSON, files to download, the load balancer's check.
NOT_PAGES = {
    "health",
    "web:meeting-pack",
    "web:meeting-pack-html",
    "web:meeting-paper",
    "transfers:download",
    "api:root",
    "api:schema",
    "api:programme",
    "api:register-list",
    "api:register-item",
    "api:export",
    "calendars:feed",
}

# Every page is checked at a laptop's width; at a phone's (390 px), where wide tables and
# charts scroll in their own boxes, one page of each URL name is, for each persona whose pages
# are not the PMO's with another name in the header.
WIDE, NARROW = 1360, 390
NARROW_PERSONAS = set(PERSONAS) - ONE_OF_EACH

pytestmark = pytest.mark.browser


def _needed(path: Path, what: str, how: str) -> None:
    """Fail in CI and under scripts/test (which installs every tool), skip with a message
    elsewhere, when a tool these tests drive is missing."""
    if path.exists():
        return
    message = f"{what} is missing ({path}): {how}"
    if os.environ.get("CI") or os.environ.get("STEERCO_REQUIRE_TOOLS"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def browser() -> Iterator[Any]:
    _needed(Path(CHROMIUM), "Debian's Chromium", "apt-get install chromium")
    _needed(AXE, "axe-core", "npm ci --prefix tests/axe")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as loaded, one line per rule."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        TAGS,
    )
    lines = []
    for each in found:
        nodes = each["nodes"]
        shown = ", ".join(nodes[:5]) + (f" … and {len(nodes) - 5} more" if len(nodes) > 5 else "")
        lines.append(f"  {each['id']} ({each['impact']}, {len(nodes)}×): {each['help']} — {shown}")
    return lines


def context_for(browser: Any, base: str, persona: str, cast: Cast) -> Any:
    # The pages' Content-Security-Policy forbids inline scripts, and so axe-core's injection.
    context = browser.new_context(viewport={"width": WIDE, "height": 900}, bypass_csp=True)
    if persona == "anonymous":
        return context
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", cast.users[persona].get_username())
    page.fill("#id_password", password_of_key(persona))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{persona} could not sign in"
    page.close()
    return context


def pages(cast: Cast) -> list[Page]:
    """Every page of the site that answers GET with HTML, with sample arguments."""
    return [
        p
        for p in samples(cast, EXPECTED)
        if p.name not in NOT_PAGES and "GET" in EXPECTED[p.name][0]
    ]


def built_pack_html(programme: Programme, meeting: Meeting) -> None:
    """The HTML of each edition of the meeting's pack, where the web pages serve it from
    (the PDF is not needed here and takes longest to build)."""
    for edition in Edition:
        audience = AUDIENCES[edition]
        frame = build(programme, meeting, who=audience.audience)
        document = build_document(frame, findings.check(frame), audience)
        path = pack_path(programme.code, meeting.code, edition, "html")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_html(document), encoding="utf-8")


def api_docs_opened(page: Any) -> None:
    """Swagger UI draws the API's docs after loading the schema: wait for it, then open a
    read and an edit with "Try it out", whose parameters and request body then show."""
    page.wait_for_selector(".opblock")
    page.click("#operations-RAID_log-raid_list .opblock-summary-control")
    page.click("#operations-RAID_log-raid_edit .opblock-summary-control")
    page.click("#operations-RAID_log-raid_edit .try-out__btn")
    page.wait_for_selector("textarea.body-param__text[aria-label]")


def report_from_last_month(page: Any, base: str) -> None:
    """DCC's contact starts PSG-25's report from last month's (every row carried over),
    then saves a report date after the meeting it reports to."""
    page.goto(f"{base}/portal/p/mhhs/reports/new/")
    page.click("button[value=last]")
    page.wait_for_load_state()
    fields = page.locator("form.report").locator("input:visible, select:visible, textarea:visible")
    assert fields.count() > 100, "last month's rows were not carried over"
    page.fill("#id_report_date", "2099-01-01")  # a date input takes ISO, whatever it shows
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() > 0, "the late date was not refused"


def risk_edit_refused(page: Any, base: str) -> None:
    """The PMO saves a risk with a score out of range: the form comes back with errors."""
    page.goto(f"{base}/p/mhhs/registers/raid/?q=R040")
    page.click("#results a:text('R040')")
    page.click("a.button:text('Edit')")
    page.fill("#id_current_score", "99")
    page.evaluate("document.querySelector('form.edit').noValidate = true")  # the server refuses
    page.click("form.edit button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".field.error").count() > 0, "the bad score was not refused"


def test_the_keyboard_meets_the_skip_link_first_and_sees_where_it_is(
    browser: Any, live_server: Any
) -> None:
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/password/reset/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent, getComputedStyle(document.activeElement)"
        ".outlineStyle, getComputedStyle(document.activeElement).outlineWidth]"
    )
    assert focused == ["Skip to content", "solid", "3px"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.close()


def meeting_record_refused(page: Any, base: str) -> None:
    """The PMO records PSG-24 but gives no reason: the form comes back with errors."""
    page.goto(f"{base}/p/mhhs/meetings/PSG-24/record/")
    page.fill("#id_attendees-0-name", "Ada Chair")
    page.fill("#id_actions-0-text", "Publish the revised SIT plan")
    page.click("form.meeting-record button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".field.error").count() > 0, "the missing reason was not refused"


def meeting_recorded(page: Any, base: str) -> None:
    """The PMO gives the reason and saves: the meeting page shows what it did."""
    page.locator("textarea[name^='minutes-']").first.fill("Welcome and **apologies**.")
    page.fill("#id_record-reason", "Minutes agreed by the chair")
    page.click("form.meeting-record button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#record-heading").count() == 1, "the record was not saved"


def _new_programme(page: Any, base: str, cadence: str) -> None:
    page.goto(f"{base}/programmes/new/")
    page.fill("#id_code", "demo2")
    page.fill("#id_name", "Demo programme two")
    page.select_option("#id_calendar_country", "GB")
    page.fill("#id_calendar_subdivision", "SCT")
    page.fill("#id_body_code", "PSG")
    page.fill("#id_cadence", cadence)


def programme_refused(page: Any, base: str) -> None:
    """The admin gives a new programme a cadence no parser reads: the form says why."""
    _new_programme(page, base, "FREQ=FORTNIGHTLY")
    page.click("form.edit button:text('Create programme')")
    page.wait_for_load_state()
    assert page.locator(".field.error").count() > 0, "the bad cadence was not refused"


def programme_checked(page: Any, base: str) -> None:
    """The admin checks a new programme's cadence: it is said in words, with its dates."""
    _new_programme(page, base, "FREQ=MONTHLY;BYDAY=+2TU")
    page.click("form.edit button:text('Check the cadence')")
    page.wait_for_load_state()
    assert page.locator("text=second Tuesday of each month").count() > 0


def what_if_proposed(page: Any, base: str) -> None:
    """The PMO asks what moves if M9 is two weeks later: the proposal's tables show."""
    page.goto(f"{base}/p/mhhs/milestones/T1-TE-1000/what-if/")
    page.fill("#id_date", "2023-11-13")
    page.click("form.edit button:text('Propose')")
    page.wait_for_load_state()
    assert page.locator("#moves").count() == 1, "the proposal was not shown"


# Pages that only show after something is done on them, per persona.
JOURNEYS = {
    "pmo": [risk_edit_refused, meeting_record_refused, meeting_recorded, what_if_proposed],
    "dcc": [report_from_last_month],
    "admin": [programme_refused, programme_checked],
}


def walk(browser: Any, base: str, cast: Cast, persona: str) -> tuple[int, list[str]]:
    """Check every page as ``persona``: how many were checked, and what failed on which."""
    context = context_for(browser, base, persona, cast)
    page = context.new_page()
    report: list[str] = []
    checked = visit(page, base, cast, persona, report, one_of_each=persona in ONE_OF_EACH)
    for journey in JOURNEYS.get(persona, []):
        journey(page, base)
        check(page, f"{persona} on {journey.__name__}: {page.url}", report)
    if persona in NARROW_PERSONAS:
        page.set_viewport_size({"width": NARROW, "height": 800})
        checked += visit(page, base, cast, persona, report, one_of_each=True, width=NARROW)
    context.close()
    return checked, report


def check(page: Any, label: str, report: list[str]) -> None:
    found = violations(page)
    if found:
        report.append(f"{label}:\n" + "\n".join(found))


def visit(
    page: Any,
    base: str,
    cast: Cast,
    persona: str,
    report: list[str],
    *,
    one_of_each: bool,
    width: int = WIDE,
) -> int:
    """Check the pages ``persona`` reaches (``one_of_each``: one page of each URL name), each
    refusal status and each page redirected to once: how many were checked."""
    seen: set[str | int] = set()
    kinds: set[str] = set()
    for sample in pages(cast):
        if one_of_each and sample.name in kinds:
            continue
        kinds.add(sample.name)
        response = page.goto(f"{base}{sample.url}")
        assert response is not None, sample.url
        status = response.status
        # A refusal is checked once per status, a page redirected to (signing in) once.
        key = page.url.split("?")[0] if status == 200 else status
        if key in seen or "text/html" not in response.headers.get("content-type", ""):
            continue
        seen.add(key)
        where = f"{persona} on {sample.url}" + (f" at {width} px" if width != WIDE else "")
        if sample.name == "api:docs":
            api_docs_opened(page)
        elif not page.locator("a.skip[href='#content'] ~ main#content").count():
            report.append(f"{where}: no Skip to content link to its main")
        check(page, f"{where} ({status})", report)
    return len(seen)


# Two groups of personas of about equal work, one per test worker (a live-server test empties
# the database when it ends: fewer tests, fewer reloads of the example). The public persona
# goes last: the programme is made public for it.
@pytest.mark.parametrize(
    "personas", [("pmo", "admin", "anonymous"), ("dcc", "steering", "public")], ids="-".join
)
def test_every_page_has_no_wcag_violations_for_each_persona(
    cast: Cast,
    browser: Any,
    live_server: Any,
    personas: tuple[str, ...],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.VAR_DIR = tmp_path
    open_next_period(cast.programme)  # the portal's report forms are open for PSG-25
    failures = []
    for persona in personas:
        if persona == "public":
            cast.programme.classification = "public"
            cast.programme.save()
        checked, report = walk(browser, live_server.url, cast, persona)
        assert checked > 5, f"{persona} reached only {checked} pages"
        failures += report
    assert not failures, f"{len(failures)} pages fail WCAG 2.2 A/AA:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_each_edition_of_the_pack_has_no_wcag_violations(
    browser: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Playwright's sync API runs an event loop in this thread; these ORM calls are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.VAR_DIR = tmp_path
    programme = Programme.objects.filter(code="mhhs").first()
    if programme is None:  # emptied by a live-server test
        programme = load(EXAMPLE, actor="tests").programme
    meeting = Meeting.objects.get(programme=programme, code="PSG-24")
    built_pack_html(programme, meeting)
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    report = []
    for edition in Edition:
        path = pack_path(programme.code, meeting.code, edition, "html")
        page.goto(path.as_uri())
        found = violations(page)
        if found:
            report.append(f"{path.name}:\n" + "\n".join(found))
    context.close()
    assert not report, "\n".join(report)
