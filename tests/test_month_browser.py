"""One whole month in a real browser (Playwright driving Debian's Chromium against a live
server): PSG-24 is published and nothing is scheduled after it. The PMO sets up PSG-25 from
the PSG cadence with its agenda drafted from PSG-24's standing items and adds an item; adds
a risk with theme, scores and a mitigation; updates a milestone; DCC's contact submits its
report and the PMO publishes it; the PMO freezes and publishes PSG-25; a steering-group
member downloads the members' edition and finds the new risk with its derived movement and
the milestone's RAG against PSG-24's; the meeting's attendance, a decision and two actions
are recorded; the PMO closes it and PSG-26 is current with the open actions carried.

Every derived value is checked against a value worked out by hand here: dates from the
calendar, slots from the durations, refs from the seed's numbering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from steerco.core.history import acting
from steerco.core.models import AgendaItem, Meeting, Programme
from steerco.raid.models import Action, RaidItem
from steerco.reports.models import DeliveryReport
from tests import test_web_browser as web
from tests.test_portal_browser import RAGS, as_persona
from tests.test_web_browser import CHROMIUM, SHOTS
from tests.web_support import Cast

browser = web.browser
cast = web.cast
_reload_example_after = web._reload_example_after

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# PSG-24's standing items as the PMO marks them, with the durations PSG-24's agenda gives.
STANDING = {
    "Minutes and Actions": 10,
    "Sponsor Update": 5,
    "Delivery Dashboards": 15,
    "Summary and Next Steps": 10,
}


def _month_starts_after_psg24(programme: Programme) -> None:
    """PSG-24 just published, its standing items marked, nothing scheduled after it."""
    with acting("tests", "the month starts after PSG-24"):
        Meeting.objects.filter(programme=programme, date__gt=dt.date(2023, 9, 6)).delete()
        for item in AgendaItem.objects.filter(meeting__code="PSG-24", title__in=STANDING):
            item.standing = True
            item.save()


def _rows(html: str, ref: str) -> list[str]:
    """Each table row of the pack that names ``ref`` (from the ref to the row's end): the
    executive summary's and the register section's alike."""
    return [part.split("</tr>", 1)[0] for part in html.split(f'<code class="ref">{ref}</code>')[1:]]


def test_one_month_from_setting_up_psg25_to_closing_it(
    cast: Cast, browser: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    settings.TASKS = IMMEDIATE  # the pack builds once the freeze commits, inside the request
    programme = cast.programme
    _month_starts_after_psg24(programme)
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    pmo = as_persona(cast, browser, base, "pmo")

    # 1. PSG-25 from the cadence: the first Wednesday after Wednesday 6 September 2023.
    pmo.goto(f"{base}/p/mhhs/meetings/")
    pmo.click("text=Set up the next PSG meeting")
    assert "Wednesday 4 October 2023" in pmo.inner_text("main")
    pmo.click("button:text('Set up PSG-25')")
    pmo.wait_for_load_state()
    assert "PSG-25 is set up for Wednesday 04 October 2023, open" in pmo.inner_text("main")
    psg25 = Meeting.objects.get(programme=programme, code="PSG-25")
    assert (psg25.number, psg25.state, psg25.cutoff) == (25, "open", None)
    drafted = list(psg25.agenda_items.order_by("number").values_list("title", flat=True))
    assert drafted == list(STANDING)

    # 2. The agenda: one item added at the end; slots from 10:00 and the durations.
    pmo.click("text=Edit the agenda")
    pmo.fill("#id_agenda_items-4-number", "5")
    pmo.fill("#id_agenda_items-4-title", "M9 Progress / FTIG Update")
    pmo.fill("#id_agenda_items-4-duration_minutes", "20")
    pmo.fill("#id_reason", "PSG-25 agenda")
    pmo.click("button:text('Save the agenda')")
    pmo.wait_for_load_state()
    slots = pmo.locator("td.saved-slot").all_inner_texts()
    assert slots == ["10:00–10:10", "10:10–10:15", "10:15–10:30", "10:30–10:40", "10:40–11:00"]
    pmo.screenshot(path=str(SHOTS / "month-agenda.png"), full_page=True)

    # 3. A new risk with theme, scores and a mitigation.
    pmo.goto(f"{base}/p/mhhs/registers/raid/new/")
    ref = pmo.input_value("#id_ref")
    pmo.select_option("#id_type", "risk")
    pmo.select_option("#id_theme", index=1)
    pmo.fill("#id_description", "Supplier test environments not ready for SIT entry")
    pmo.fill("#id_initial_score", "20")
    pmo.fill("#id_current_score", "16")
    pmo.fill("#id_target_score", "6")
    pmo.fill("#id_mitigations-0-order", "1")
    pmo.fill("#id_mitigations-0-text", "Weekly environment readiness calls")
    pmo.fill("#id_reason", "Raised at the RAID board")
    pmo.click("form.edit button[type=submit]")
    pmo.wait_for_load_state()
    risk = RaidItem.objects.get(programme=programme, ref=ref)
    assert [m.text for m in risk.mitigations.all()] == ["Weekly environment readiness calls"]

    # 4. A milestone updated: M9's current RAG to Red (Yellow at PSG-24).
    milestone_id = programme.milestones.get(code="T1-TE-1000").pk
    pmo.goto(f"{base}/p/mhhs/registers/milestones/{milestone_id}/edit/")
    pmo.select_option("#id_rag", "red")
    pmo.fill("#id_reason", "M9 at risk")
    pmo.click("form.edit button[type=submit]")
    pmo.wait_for_load_state()

    # 5. DCC's contact reports for PSG-25; the PMO publishes it.
    dcc = as_persona(cast, browser, base, "dcc")
    dcc.goto(f"{base}/portal/p/mhhs/")
    dcc.click("text=Your report for PSG-25")
    dcc.click('button:text("Start from last month\'s")')
    dcc.wait_for_load_state()
    for dimension, rag in RAGS.items():
        dcc.select_option(f"#id_{dimension}_rag", rag)
    dcc.fill("#id_report_date", "2023-09-29")  # before the meeting it reports to
    dcc.fill("#id_progress_next_month", "SIT data prep workshop held.")
    dcc.click("button[name=submit]")
    dcc.wait_for_load_state()
    assert dcc.locator("#status").count(), dcc.inner_text("main")[:3000]
    assert "Submitted" in dcc.inner_text("#status")
    pmo.goto(dcc.url)
    pmo.click("button[value=publish]")
    pmo.wait_for_load_state()
    report = DeliveryReport.objects.get(meeting=psg25, organisation__name="DCC")
    assert report.status == "published"

    # 6. Frozen (the editions build), then published: everyone told by e-mail.
    pmo.goto(f"{base}/p/mhhs/meetings/PSG-25/")
    pmo.fill("#reason-freeze", "pack due")
    pmo.click("button:text('Freeze: the cut-off is now')")
    pmo.wait_for_load_state()
    psg25.refresh_from_db()
    assert psg25.state == "frozen" and psg25.cutoff is not None
    pmo.goto(f"{base}/p/mhhs/meetings/PSG-25/")
    assert "findings in the frozen registers" in pmo.inner_text("main")
    mail.outbox.clear()
    pmo.click("button:text('Publish to every audience')")
    pmo.wait_for_load_state()
    assert "PSG-25 is published" in pmo.inner_text("main")
    steering_mail = [m for m in mail.outbox if m.to == [cast.users["steering"].email]]
    assert len(steering_mail) == 1 and "?edition=members" in steering_mail[0].body
    pmo.screenshot(path=str(SHOTS / "month-published.png"), full_page=True)

    # 7. A member downloads the members' edition: the new risk is a "New item" (it did not
    # exist at PSG-24's cut-off); M9 is Red now and was Yellow at PSG-24.
    steering = as_persona(cast, browser, base, "steering")
    steering.goto(f"{base}/p/mhhs/meetings/PSG-25/")
    assert "Members' edition" in steering.inner_text("main")
    edition = steering.request.get(f"{base}/p/mhhs/meetings/PSG-25/pack.html?edition=members")
    assert edition.status == 200
    html = edition.text()
    assert "DRAFT" not in html
    # In the risk theme's table (the summary's top risks list it too, without mitigations).
    assert any(
        "New item" in row and "Weekly environment readiness calls" in row
        for row in _rows(html, ref)
    )
    assert any(">Red<" in row and ">Yellow<" in row for row in _rows(html, "T1-TE-1000"))
    assert report.title in html

    # 8. The meeting is recorded: attendance, a decision, two actions numbered PSG25-01/02.
    pmo.goto(f"{base}/p/mhhs/meetings/PSG-25/record/")
    pmo.fill("#id_attendees-0-name", "Programme chair")
    pmo.fill("#id_decisions-0-title", "CIT entry criteria approved")
    pmo.fill("#id_actions-0-text", "Circulate the revised SIT plan")
    pmo.fill("#id_actions-0-owners", "Programme")
    pmo.fill("#id_actions-0-due_date", "2023-10-18")
    pmo.fill("#id_actions-1-text", "Confirm DCC's environment dates")
    pmo.fill("#id_actions-1-owners", "DCC")
    pmo.fill("#id_record-reason", "minutes of PSG-25")
    pmo.click("form.meeting-record button[type=submit]")
    pmo.wait_for_load_state()
    psg25.refresh_from_db()
    assert psg25.state == "held"
    raised = Action.objects.filter(raised_at=psg25).order_by("ref")
    assert [a.ref for a in raised] == ["PSG25-01", "PSG25-02"]
    assert psg25.attendees.get().name == "Programme chair"
    assert psg25.decisions.get().title == "CIT entry criteria approved"

    # 9. Closed: PSG-26 (the first Wednesday after 4 October 2023) is current, and its review
    # of actions takes every open action raised before it, PSG-25's two included.
    pmo.goto(f"{base}/p/mhhs/meetings/PSG-25/")
    pmo.click("button:text('Close: the next meeting becomes current')")
    pmo.wait_for_load_state()
    programme.refresh_from_db()
    assert programme.current_meeting_code == "PSG-26"
    psg26 = Meeting.objects.get(programme=programme, code="PSG-26")
    assert psg26.date == dt.date(2023, 11, 1) and psg26.state == "open"
    pmo.goto(f"{base}/p/mhhs/meetings/PSG-26/")
    under_review = pmo.inner_text("main")
    assert "PSG25-01" in under_review and "PSG25-02" in under_review
    open_before = [
        a.ref
        for a in Action.objects.filter(programme=programme).select_related("raised_at")
        if a.status != "closed" and a.raised_at and a.raised_at.date < psg26.date
    ]
    assert all(ref in under_review for ref in open_before)
    pmo.screenshot(path=str(SHOTS / "month-psg26.png"), full_page=True)
